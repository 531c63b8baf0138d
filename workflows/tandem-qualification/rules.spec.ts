import { describe, expect, it } from '@jest/globals';
import {
  allocateSeats, checkCertificate, checkCurriculum, checkInvolvements, checkTandemComposition, eventsCountedForTandem,
  invitationDayPassed, missingModules, placementOutcome, reflectionPhases, type Attendance,
} from './rules.js';

const core = [
  { module: 'tandem-team', days: ['2026-02-02', '2026-02-03'], hours: 16 },
  { module: 'regional-education-management', days: ['2026-04-13', '2026-04-14'], hours: 16 },
  { module: 'cooperation-interfaces', days: ['2026-06-08', '2026-06-09'], hours: 16 },
];

describe('tandem composition', () => {
  it('accepts one lower and one upper member', () => {
    expect(checkTandemComposition([{ id: 'a', supervision: 'lower' }, { id: 'b', supervision: 'upper' }])).toBeNull();
  });

  it('refuses two of the same supervision, the same person twice, one member or three', () => {
    const rule = (members: Parameters<typeof checkTandemComposition>[0]) => checkTandemComposition(members)?.rule;
    expect(rule([{ id: 'a', supervision: 'lower' }, { id: 'b', supervision: 'lower' }])).toBe('tandem-one-lower-one-upper');
    expect(rule([{ id: 'a', supervision: 'upper' }, { id: 'a', supervision: 'upper' }])).toBe('tandem-one-lower-one-upper');
    expect(rule([{ id: 'a', supervision: 'lower' }])).toBe('tandem-one-lower-one-upper');
    expect(rule([{ id: 'a', supervision: 'lower' }, { id: 'b', supervision: 'upper' }, { id: 'c', supervision: 'upper' }])).toBe('tandem-one-lower-one-upper');
    expect(rule([{ id: 'a', supervision: 'lower' }, { id: 'b', supervision: null }])).toBe('tandem-one-lower-one-upper');
  });
});

describe('involvements before submission', () => {
  it('names each missing involvement with its legal basis', () => {
    const none = checkInvolvements({ staffCouncil: null, equalOpportunities: null });
    expect(none?.rule).toBe('registration-needs-involvements');
    expect(none?.message).toContain('LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16');
    expect(none?.message).toContain('LGG NRW § 11 Abs. 1');
    expect(checkInvolvements({ staffCouncil: '2026-01-10', equalOpportunities: null })?.details).toEqual({ missing: ['equal-opportunities officer (LGG NRW § 11 Abs. 1)'] });
    expect(checkInvolvements({ staffCouncil: '2026-01-10', equalOpportunities: '2026-01-12' })).toBeNull();
  });
});

describe('curriculum', () => {
  it('accepts the three core modules within 64 hours', () => {
    expect(checkCurriculum(core)).toBeNull();
    expect(checkCurriculum([...core, { module: 'data-literacy', title: 'Datenkompetenz', days: ['2026-09-14', '2026-09-15'], hours: 16 }])).toBeNull();
  });

  it('refuses a further module without a title, which certificates and calendars would show as its key', () => {
    const untitled = checkCurriculum([...core, { module: 'data-literacy', title: '  ', days: ['2026-09-14', '2026-09-15'], hours: 16 }]);
    expect(untitled).toMatchObject({ rule: 'curriculum-module-title', details: { modules: ['data-literacy'] } });
  });

  it('refuses a curriculum without a core module, naming it', () => {
    const refused = checkCurriculum(core.slice(1));
    expect(refused).toMatchObject({ rule: 'curriculum-core-modules', details: { missing: ['tandem-team'] } });
    expect(refused?.message).toContain('Das Tandem als Team');
  });

  it('refuses more than 64 hours or more than 8 days', () => {
    expect(checkCurriculum([...core, { module: 'extra', title: 'Extra', days: ['2026-09-14', '2026-09-15'], hours: 17 }])).toMatchObject({ rule: 'curriculum-max-64-hours', details: { hours: 65 } });
    expect(checkCurriculum([...core, { module: 'extra', title: 'Extra', days: ['2026-09-14', '2026-09-15', '2026-09-16'], hours: 12 }])?.rule).toBe('curriculum-max-64-hours');
  });

  it('refuses a repeated module and events out of order', () => {
    expect(checkCurriculum([...core, { ...core[0], days: ['2026-09-14'], hours: 8 }])?.rule).toBe('curriculum-module-once');
    expect(checkCurriculum([core[1], core[0], core[2]])?.rule).toBe('curriculum-events-in-order');
  });
});

describe('reflection phases', () => {
  it('lie between consecutive events, due a week before the next, never before the previous event ends', () => {
    expect(reflectionPhases(core)).toEqual([
      { afterEvent: 0, beforeEvent: 1, dueOn: '2026-04-06' },
      { afterEvent: 1, beforeEvent: 2, dueOn: '2026-06-01' },
    ]);
    expect(reflectionPhases([{ days: ['2026-03-02'] }, { days: ['2026-03-05'] }])).toEqual([{ afterEvent: 0, beforeEvent: 1, dueOn: '2026-03-03' }]);
  });
});

describe('group capacity', () => {
  it('places up to the capacity and waitlists the next tandem', () => {
    expect(placementOutcome(8, 7)).toBe('placed');
    expect(placementOutcome(8, 8)).toBe('waitlisted');
  });
});

describe('attendance and certificates', () => {
  const members: [string, string] = ['lower', 'upper'];
  const present = (eventId: string, module: string, ...people: string[]): Attendance[] =>
    members.map((personId) => ({ eventId, module, personId, present: people.includes(personId) }));
  const required = ['tandem-team', 'regional-education-management', 'cooperation-interfaces'];

  it('counts an event only when both members attended', () => {
    const attendance = [...present('e1', 'tandem-team', 'lower', 'upper'), ...present('e2', 'regional-education-management', 'upper')];
    expect(eventsCountedForTandem(members, attendance)).toEqual(['e1']);
  });

  it('refuses a certificate while a module is missing and accepts it once made up in another group', () => {
    const ownGroup = [
      ...present('e1', 'tandem-team', 'lower', 'upper'),
      ...present('e2', 'regional-education-management', 'lower', 'upper'),
      ...present('e3', 'cooperation-interfaces', 'lower'),
    ];
    expect(checkCertificate(required, members, ownGroup)).toMatchObject({ rule: 'certificate-needs-all-modules', details: { missing: ['cooperation-interfaces'] } });
    const madeUp = [...ownGroup, ...present('other-group-e3', 'cooperation-interfaces', 'lower', 'upper')];
    expect(missingModules(required, members, madeUp)).toEqual([]);
    expect(checkCertificate(required, members, madeUp)).toBeNull();
  });

  it('does not count a make-up attended by one member only, but counts modules credited by an exemption', () => {
    const attendance = [...present('e1', 'tandem-team', 'lower', 'upper'), ...present('e2', 'regional-education-management', 'lower', 'upper'), ...present('x3', 'cooperation-interfaces', 'upper')];
    expect(missingModules(required, members, attendance)).toEqual(['cooperation-interfaces']);
    expect(missingModules(required, members, attendance, ['cooperation-interfaces'])).toEqual([]);
  });

  it('refuses a certificate for a group without a curriculum', () => {
    expect(checkCertificate([], members, [])?.rule).toBe('certificate-needs-all-modules');
  });
});

describe('seats per district', () => {
  it('allocates all seats in proportion to need by largest remainder', () => {
    const seats = allocateSeats(24, [
      { district: 'arnsberg', need: 5 }, { district: 'detmold', need: 3 }, { district: 'duesseldorf', need: 6 },
      { district: 'koeln', need: 5 }, { district: 'muenster', need: 3 },
    ]);
    // 24 × 5/22 = 5.45 for Arnsberg and Köln alike: the tie goes alphabetically.
    expect(seats).toEqual({ arnsberg: 6, detmold: 3, duesseldorf: 7, koeln: 5, muenster: 3 });
    expect(Object.values(seats).reduce((a, b) => a + b, 0)).toBe(24);
  });

  it('gives nothing when there is no need or no seat', () => {
    expect(allocateSeats(8, [{ district: 'koeln', need: 0 }])).toEqual({ koeln: 0 });
    expect(allocateSeats(0, [{ district: 'koeln', need: 2 }])).toEqual({ koeln: 0 });
  });
});

describe('annual exchange invitation', () => {
  it('is due 8 weeks before the exchange; later it goes out at once', () => {
    expect(invitationDayPassed('2027-06-10', '2027-04-14')).toBe(false);
    expect(invitationDayPassed('2027-06-10', '2027-04-15')).toBe(true);
  });
});
