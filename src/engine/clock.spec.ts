import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock.js';
import { resolveDueAt } from './due-at.js';

describe('FakeClock', () => {
  it('stands still until moved and never moves backwards', () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    clock.set('2029-06-30T10:00:00Z');
    expect(clock.now().toISOString()).toBe('2029-06-30T10:00:00.000Z');
    expect(() => clock.set('2029-01-01T00:00:00Z')).toThrow('cannot move back');
  });

  it('says which day it is in the zone it is asked about', () => {
    const clock = new FakeClock('2026-12-31T23:30:00Z');
    expect(clock.today('Europe/Berlin')).toBe('2027-01-01');
    expect(clock.today('UTC')).toBe('2026-12-31');
  });
});

describe('due times', () => {
  it('reads calendar days and wall times in the configured zone, instants as given', () => {
    expect(resolveDueAt('2026-12-31', 'Europe/Berlin').toISOString()).toBe('2026-12-30T23:00:00.000Z');
    expect(resolveDueAt('2026-03-29T08:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(resolveDueAt('2026-03-29T08:00:00Z', 'Europe/Berlin').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(() => resolveDueAt('2026-02-30', 'Europe/Berlin')).toThrow('invalid due time');
    expect(() => resolveDueAt('2026-02-30T08:00', 'Europe/Berlin')).toThrow('invalid due time');
    expect(() => resolveDueAt('2026-03-29T25:00', 'Europe/Berlin')).toThrow('invalid due time');
  });
});
