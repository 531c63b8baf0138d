import { describe, expect, it } from '@jest/globals';
import {
  addDays,
  addYears,
  dayOf,
  formatDay,
  InvalidCalendarDay,
  isCalendarDay,
  parseDay,
  shiftDay,
} from './calendar-day.js';

describe('calendar days', () => {
  it('accepts days that exist, written YYYY-MM-DD', () => {
    for (const day of [
      '2024-02-29',
      '2000-02-29',
      '2025-02-28',
      '2025-12-31',
      '2025-01-01',
      '0001-01-01',
      '9999-12-31',
    ]) {
      expect({ day, ok: isCalendarDay(day) }).toEqual({ day, ok: true });
    }
  });

  it('refuses days that do not exist and other spellings', () => {
    const refused = [
      '2025-02-29',
      '1900-02-29',
      '2025-02-30',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '2025-01-00',
      '2025-01-32',
      '0000-01-01',
      '2025-2-3',
      '25-02-03',
      '2025-02-03T00:00',
      '2025-02-03Z',
      ' 2025-02-03',
      '2025-02-03\n',
      '+02025-02-03',
      '20250203',
      '3.2.2025',
      '',
    ];
    for (const day of refused) expect({ day, ok: isCalendarDay(day) }).toEqual({ day, ok: false });
    for (const value of [20250203, null, undefined, new Date('2025-02-03'), ['2025-02-03']])
      expect(isCalendarDay(value)).toBe(false);
  });

  it('counts days and years as people do, whatever the zone of the process', () => {
    expect(addDays('2025-03-29', 1)).toBe('2025-03-30');
    expect(addDays('2025-03-30', 1)).toBe('2025-03-31');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(shiftDay('2025-03-31', { months: -1 })).toBe('2025-02-28');
    expect(parseDay('2025-03-30').weekday).toBe(7);
  });

  it('adds days by plain arithmetic exactly as calendar arithmetic does, across months, leap days and centuries', () => {
    expect(addDays('0050-12-31', 1)).toBe('0051-01-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-01-05', -2)).toBe('2026-01-03');
    expect(addDays('2026-01-05', 0)).toBe('2026-01-05');
    for (let start = Date.UTC(1999, 0, 1); start < Date.UTC(2031, 0, 1); start += 37 * 86_400_000) {
      const day = new Date(start).toISOString().slice(0, 10);
      for (const days of [-1096, -366, -59, -1, 1, 28, 365, 1461])
        expect({ day, days, shifted: addDays(day, days) }).toEqual({ day, days, shifted: shiftDay(day, { days }) });
    }
    expect(() => addDays('9999-12-31', 1)).toThrow(InvalidCalendarDay);
  });

  it('names the value it cannot read', () => {
    expect(() => parseDay('2025-02-30', 'start')).toThrow(InvalidCalendarDay);
    expect(() => addDays('2025-13-01', 1)).toThrow(
      'invalid date "2025-13-01": expected a calendar day YYYY-MM-DD that exists',
    );
  });

  it('tells the day of an instant in the zone it is asked about', () => {
    const instant = new Date('2026-12-31T23:30:00Z');
    expect(dayOf(instant, 'Europe/Berlin')).toBe('2027-01-01');
    expect(dayOf(instant, 'UTC')).toBe('2026-12-31');
    expect(dayOf(instant, 'America/New_York')).toBe('2026-12-31');
  });

  it('writes a day as German and English readers expect', () => {
    expect(formatDay('2025-03-03', 'de')).toBe('3. März 2025');
    expect(formatDay('2025-03-03', 'en')).toBe('3 March 2025');
    expect(formatDay('soon', 'de')).toBe('soon');
  });
});
