import { describe, expect, it } from '@jest/globals';
import {
  allocateSeats,
  checkAttendanceDay,
  checkAttendees,
  checkCertificate,
  checkCurriculum,
  checkCurriculumNotSet,
  checkCurriculumSet,
  checkEvaluationByAttendee,
  checkEvaluationOnce,
  checkExchangeEvaluationByAttendee,
  checkExchangeEvaluationDay,
  checkExchangeEvaluationOnce,
  checkEventChange,
  checkExchange,
  checkInvolvements,
  checkLeavingMember,
  checkModeratorTandem,
  checkOneEnrolment,
  checkPhaseOpen,
  checkSomethingChanged,
  checkTandemComposition,
  checkTandemCurrent,
  checkWorkplace,
  completedModules,
  missingModules,
  movingUp,
  oneEnrolmentTaken,
  personalRecord,
  placementOutcome,
  reflectionPhases,
  type Attendance,
  type CurriculumItem,
  checkInvolvementDay,
} from './rules.js';
import { withOverrides } from '../shared/reminders.js';
import { invitationDayPassed, TANDEM_QUALIFICATION_REMINDERS as POLICY } from './reminders.js';

const core = [
  { module: 'tandem-team', days: ['2026-02-02', '2026-02-03'], hours: 16 },
  { module: 'regional-education-management', days: ['2026-04-13', '2026-04-14'], hours: 16 },
  { module: 'cooperation-interfaces', days: ['2026-06-08', '2026-06-09'], hours: 16 },
];

describe('directory', () => {
  it('accepts a tandem of one lower and one upper member', () => {
    expect(
      checkTandemComposition([
        { id: 'a', supervision: 'lower' },
        { id: 'b', supervision: 'upper' },
      ]),
    ).toBeNull();
  });

  it('refuses two of the same supervision, the same person twice, one member or three', () => {
    const rule = (members: Parameters<typeof checkTandemComposition>[0]) => checkTandemComposition(members)?.rule;
    expect(
      rule([
        { id: 'a', supervision: 'lower' },
        { id: 'b', supervision: 'lower' },
      ]),
    ).toBe('tandem-one-lower-one-upper');
    expect(
      rule([
        { id: 'a', supervision: 'upper' },
        { id: 'a', supervision: 'upper' },
      ]),
    ).toBe('tandem-one-lower-one-upper');
    expect(rule([{ id: 'a', supervision: 'lower' }])).toBe('tandem-one-lower-one-upper');
    expect(
      rule([
        { id: 'a', supervision: 'lower' },
        { id: 'b', supervision: 'upper' },
        { id: 'c', supervision: 'upper' },
      ]),
    ).toBe('tandem-one-lower-one-upper');
    expect(
      rule([
        { id: 'a', supervision: 'lower' },
        { id: 'b', supervision: null },
      ]),
    ).toBe('tandem-one-lower-one-upper');
  });

  it('places a lower official at a Schulamt of the own district and an upper one at a district', () => {
    const office = { id: 'o1', districtId: 'koeln' };
    expect(checkWorkplace({ supervision: 'lower', districtId: 'koeln', schoolOfficeId: 'o1' }, office)).toBeNull();
    expect(checkWorkplace({ supervision: 'lower', districtId: 'muenster', schoolOfficeId: 'o1' }, office)?.rule).toBe(
      'lower-supervision-at-schulamt',
    );
    expect(checkWorkplace({ supervision: 'lower', districtId: 'koeln', schoolOfficeId: null }, null)?.rule).toBe(
      'lower-supervision-at-schulamt',
    );
    expect(checkWorkplace({ supervision: 'upper', districtId: null, schoolOfficeId: null }, null)?.rule).toBe(
      'upper-supervision-at-district',
    );
    expect(checkWorkplace({ supervision: null, districtId: null, schoolOfficeId: null }, null)).toBeNull();
  });

  it('acts only on a current tandem, with one running enrolment, and a leaving member of it', () => {
    expect(checkTandemCurrent({ successorId: null })).toBeNull();
    expect(checkTandemCurrent({ successorId: 't2' })).toMatchObject({
      rule: 'tandem-current',
      details: { successor: 't2' },
    });
    expect(checkOneEnrolment(undefined)).toBeNull();
    expect(checkOneEnrolment({ id: 'e1', state: 'placed' })).toMatchObject({
      rule: 'one-enrolment-per-tandem',
      details: { enrolment: 'e1' },
    });
    expect(checkLeavingMember(['a', 'b'], 'a')).toBeNull();
    expect(checkLeavingMember(['a', 'b'], 'c')?.rule).toBe('leaving-person-is-member');
  });

  it('makes a moderator tandem of two different, known persons', () => {
    expect(checkModeratorTandem(['a', 'b'], 2)).toBeNull();
    expect(checkModeratorTandem(['a', 'a'], 1)?.rule).toBe('moderator-tandem-two-persons');
    expect(checkModeratorTandem(['a', 'b'], 1)?.rule).toBe('moderator-tandem-two-persons');
  });
});

describe('involvements before submission', () => {
  it('names each missing involvement with its legal basis', () => {
    const none = checkInvolvements({ staffCouncil: null, equalOpportunities: null });
    expect(none?.rule).toBe('registration-needs-involvements');
    expect(none?.message).toContain('LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16');
    expect(none?.message).toContain('LGG NRW § 11 Abs. 1');
    expect(
      checkInvolvements({ staffCouncil: { on: '2026-01-10', outcome: 'consent' }, equalOpportunities: null })?.details,
    ).toEqual({ missing: ['equal-opportunities officer (LGG NRW § 11 Abs. 1)'] });
  });

  it('lets consent and deemed consent through, and refuses after the staff council refused', () => {
    expect(
      checkInvolvements({ staffCouncil: { on: '2026-01-10', outcome: 'consent' }, equalOpportunities: '2026-01-12' }),
    ).toBeNull();
    expect(
      checkInvolvements({
        staffCouncil: { on: '2026-01-10', outcome: 'deemed-consent' },
        equalOpportunities: '2026-01-12',
      }),
    ).toBeNull();
    const refused = checkInvolvements({
      staffCouncil: { on: '2026-01-10', outcome: 'refusal' },
      equalOpportunities: '2026-01-12',
    });
    expect(refused).toMatchObject({ rule: 'staff-council-refused', details: { refusedOn: '2026-01-10' } });
  });
});

describe('curriculum', () => {
  it('accepts the three core modules within 64 hours', () => {
    expect(checkCurriculum(core)).toBeNull();
    expect(
      checkCurriculum([
        ...core,
        { module: 'data-literacy', title: 'Datenkompetenz', days: ['2026-09-14', '2026-09-15'], hours: 16 },
      ]),
    ).toBeNull();
  });

  it('refuses a further module without a title, which certificates and calendars would show as its key', () => {
    const untitled = checkCurriculum([
      ...core,
      { module: 'data-literacy', title: '  ', days: ['2026-09-14', '2026-09-15'], hours: 16 },
    ]);
    expect(untitled).toMatchObject({ rule: 'curriculum-module-title', details: { modules: ['data-literacy'] } });
  });

  it('takes the title of a further module taught in two blocks from either block', () => {
    const blocks = [
      ...core,
      { module: 'data-literacy', days: ['2026-09-14'], hours: 8 },
      { module: 'data-literacy', title: 'Datenkompetenz', days: ['2026-10-12'], hours: 8 },
    ];
    expect(checkCurriculum(blocks)).toBeNull();
  });

  it('accepts a module taught in an opening and a closing block', () => {
    const blocks = [
      { module: 'tandem-team', days: ['2026-02-02'], hours: 8 },
      ...core.slice(1),
      { module: 'tandem-team', days: ['2026-09-14'], hours: 8 },
    ];
    expect(checkCurriculum(blocks)).toBeNull();
  });

  it('refuses a curriculum without a core module, naming it', () => {
    const refused = checkCurriculum(core.slice(1));
    expect(refused).toMatchObject({ rule: 'curriculum-core-modules', details: { missing: ['tandem-team'] } });
    expect(refused?.message).toContain('Das Tandem als Team');
  });

  it('refuses more than 64 hours or more than 8 days, also when a module is split', () => {
    expect(
      checkCurriculum([...core, { module: 'extra', title: 'Extra', days: ['2026-09-14', '2026-09-15'], hours: 17 }]),
    ).toMatchObject({ rule: 'curriculum-max-64-hours', details: { hours: 65 } });
    expect(
      checkCurriculum([
        ...core,
        { module: 'extra', title: 'Extra', days: ['2026-09-14', '2026-09-15', '2026-09-16'], hours: 12 },
      ])?.rule,
    ).toBe('curriculum-max-64-hours');
    expect(
      checkCurriculum([...core, { module: 'tandem-team', days: ['2026-09-14', '2026-09-15', '2026-09-16'], hours: 12 }])
        ?.rule,
    ).toBe('curriculum-max-64-hours');
  });

  it('refuses an event day that would run past midnight, whatever its calendar entry would say', () => {
    const at = (startTime: string, event = core[1]) => checkCurriculum([core[0], { ...event, startTime }, core[2]]);
    expect(at('15:59')).toBeNull();
    expect(at('16:00')).toMatchObject({
      rule: 'event-day-ends-before-midnight',
      details: { event: 1, startTime: '16:00', hoursPerDay: 8 },
    });
    expect(at('23:59', { ...core[1], hours: 16, days: ['2026-04-13'] })?.rule).toBe('event-day-ends-before-midnight');
    expect(checkCurriculum(core)).toBeNull();
  });

  it('refuses events out of order or overlapping', () => {
    expect(checkCurriculum([core[1], core[0], core[2]])?.rule).toBe('curriculum-events-in-order');
    expect(checkCurriculum([core[0], { ...core[1], days: ['2026-02-03', '2026-02-04'] }, core[2]])?.rule).toBe(
      'curriculum-events-in-order',
    );
  });

  it('is set once, then changed event by event', () => {
    expect(checkCurriculumNotSet(0)).toBeNull();
    expect(checkCurriculumNotSet(3)?.rule).toBe('curriculum-set-once');
    expect(checkCurriculumSet(3)).toBeNull();
    expect(checkCurriculumSet(0)?.rule).toBe('curriculum-set-first');
  });

  it('changes an event until the day before it begins, to a day after today, and only to something else', () => {
    const event = {
      id: 'e1',
      days: ['2026-04-13', '2026-04-14'],
      status: 'scheduled',
      startTime: '09:00',
      place: 'Soest',
    };
    expect(checkEventChange(event, ['2026-04-20'], '2026-04-12')).toBeNull();
    expect(checkEventChange(event, null, '2026-04-13')).toMatchObject({
      rule: 'event-change-before-it-begins',
      details: { firstDay: '2026-04-13' },
    });
    expect(checkEventChange(event, ['2026-04-12'], '2026-04-12')?.rule).toBe('event-change-in-future');
    expect(checkEventChange({ ...event, status: 'cancelled' }, null, '2026-01-01')?.rule).toBe('event-not-cancelled');
    expect(checkEventChange(null, ['2026-04-20'], '2026-04-12')).toBeNull();
    expect(checkSomethingChanged(event, { days: event.days, startTime: '09:00', place: 'Soest' })?.rule).toBe(
      'event-change-changes-something',
    );
    expect(checkSomethingChanged(event, { days: event.days, startTime: '10:00', place: 'Soest' })).toBeNull();
  });
});

describe('reflection phases', () => {
  it('lie between consecutive events, due a week before the next, never before the previous event ends', () => {
    expect(reflectionPhases(core)).toEqual([
      { afterEvent: 0, beforeEvent: 1, dueOn: '2026-04-06' },
      { afterEvent: 1, beforeEvent: 2, dueOn: '2026-06-01' },
    ]);
    expect(reflectionPhases([{ days: ['2026-03-02'] }, { days: ['2026-03-05'] }])).toEqual([
      { afterEvent: 0, beforeEvent: 1, dueOn: '2026-03-03' },
    ]);
  });

  it('are closed once', () => {
    expect(checkPhaseOpen({ closedAt: null })).toBeNull();
    expect(checkPhaseOpen({ closedAt: '2026-04-13T10:00:00.000Z' })?.rule).toBe('reflection-phase-open');
  });
});

describe('group capacity', () => {
  it('places up to the capacity and waitlists the next tandem', () => {
    expect(placementOutcome(8, 7)).toBe('placed');
    expect(placementOutcome(8, 8)).toBe('waitlisted');
  });

  it('moves up as many waiting tandems as seats are free', () => {
    expect(movingUp(8, 7, 3)).toBe(1);
    expect(movingUp(8, 8, 3)).toBe(0);
    expect(movingUp(8, 5, 2)).toBe(2);
  });
});

describe('attendance, certificates and credits', () => {
  const members = ['lower', 'upper'];
  const event = (id: string, module: string, days: string[], hours = 16): CurriculumItem => ({
    id,
    module,
    days,
    hours,
  });
  const own = [
    event('e1', 'tandem-team', ['2026-03-02', '2026-03-03']),
    event('e2', 'regional-education-management', ['2026-04-20', '2026-04-21']),
    event('e3', 'cooperation-interfaces', ['2026-06-08', '2026-06-09']),
  ];
  const at = (e: CurriculumItem, ...people: string[]): Attendance[] =>
    members.map((personId) => ({ ...e, personId, present: people.includes(personId) }));

  it("records attendance from an event's first day, of held events, for participants", () => {
    expect(checkAttendanceDay({ days: ['2026-03-02'], status: 'scheduled' }, '2026-03-02')).toBeNull();
    expect(checkAttendanceDay({ days: ['2026-03-02'], status: 'scheduled' }, '2026-03-01')?.rule).toBe(
      'attendance-after-event-begins',
    );
    expect(checkAttendanceDay({ days: ['2026-03-02'], status: 'cancelled' }, '2026-03-05')?.rule).toBe(
      'attendance-of-held-event',
    );
    expect(checkAttendees(['a'], new Set(['a', 'b']))).toBeNull();
    expect(checkAttendees(['a', 'x'], new Set(['a']))).toMatchObject({
      rule: 'attendance-of-participants',
      details: { persons: ['x'] },
    });
    expect(checkEvaluationOnce(false, 'e1')).toBeNull();
    expect(checkEvaluationOnce(true, 'e1')?.rule).toBe('evaluation-once');
  });

  it('refuses a certificate while a module is missing and accepts it once made up in another group', () => {
    const ownGroup = [...at(own[0], 'lower', 'upper'), ...at(own[1], 'lower', 'upper'), ...at(own[2], 'lower')];
    expect(checkCertificate(own, members, ownGroup)).toMatchObject({
      rule: 'certificate-needs-all-modules',
      details: { missing: ['cooperation-interfaces'] },
    });
    const madeUp = [
      ...ownGroup,
      ...at(event('x3', 'cooperation-interfaces', ['2026-10-05', '2026-10-06']), 'lower', 'upper'),
    ];
    expect(missingModules(own, members, madeUp)).toEqual([]);
    expect(checkCertificate(own, members, madeUp)).toBeNull();
  });

  it('does not count a make-up attended by one member only, but counts modules credited by an exemption', () => {
    const attendance = [
      ...at(own[0], 'lower', 'upper'),
      ...at(own[1], 'lower', 'upper'),
      ...at(event('x3', 'cooperation-interfaces', ['2026-10-05']), 'upper'),
    ];
    expect(missingModules(own, members, attendance)).toEqual(['cooperation-interfaces']);
    expect(missingModules(own, members, attendance, ['cooperation-interfaces'])).toEqual([]);
  });

  it('attends a module taught in two blocks only when both blocks were attended or each missed one made up', () => {
    const blocks = [
      event('b1', 'tandem-team', ['2026-03-02'], 8),
      own[1],
      own[2],
      event('b2', 'tandem-team', ['2026-09-14'], 8),
    ];
    const firstThree = [
      ...at(blocks[0], 'lower', 'upper'),
      ...at(blocks[1], 'lower', 'upper'),
      ...at(blocks[2], 'lower', 'upper'),
    ];
    expect(missingModules(blocks, members, firstThree)).toEqual(['tandem-team']);
    expect(missingModules(blocks, members, [...firstThree, ...at(blocks[3], 'lower')])).toEqual(['tandem-team']);
    expect(missingModules(blocks, members, [...firstThree, ...at(blocks[3], 'lower', 'upper')])).toEqual([]);
    // A closing block missed is made up in another group's event of the module; one make-up stands in for one block.
    const makeUp = event('y1', 'tandem-team', ['2026-10-12'], 8);
    expect(missingModules(blocks, members, [...firstThree, ...at(makeUp, 'lower', 'upper')])).toEqual([]);
    expect(
      missingModules(blocks, members, [
        ...at(blocks[1], 'lower', 'upper'),
        ...at(blocks[2], 'lower', 'upper'),
        ...at(makeUp, 'lower', 'upper'),
      ]),
    ).toEqual(['tandem-team']);
  });

  it('refuses a certificate for a group without a curriculum', () => {
    expect(checkCertificate([], members, [])?.rule).toBe('certificate-needs-all-modules');
  });

  it('gives each person their own hours, days and modules, marking modules credited from before a member change', () => {
    // Anna stayed; Ben left after the first module; Clara joined for the second and third. The first stays credited.
    const attendance: Attendance[] = [
      ...[own[0], own[1], own[2]].map((e) => ({ ...e, personId: 'anna', present: true })),
      { ...own[0], personId: 'ben', present: true },
      ...[own[1], own[2]].map((e) => ({ ...e, personId: 'clara', present: true })),
    ];
    const credited = completedModules(own, ['anna', 'ben'], attendance);
    expect(credited).toEqual(['tandem-team']);
    expect(checkCertificate(own, ['anna', 'clara'], attendance, credited)).toBeNull();
    expect(personalRecord(own, 'anna', ['anna', 'clara'], attendance, credited)).toEqual({
      hours: 48,
      firstDay: '2026-03-02',
      lastDay: '2026-06-09',
      modules: ['tandem-team', 'regional-education-management', 'cooperation-interfaces'],
      creditedModules: [],
    });
    expect(personalRecord(own, 'clara', ['anna', 'clara'], attendance, credited)).toEqual({
      hours: 32,
      firstDay: '2026-04-20',
      lastDay: '2026-06-09',
      modules: ['tandem-team', 'regional-education-management', 'cooperation-interfaces'],
      creditedModules: ['tandem-team'],
    });
  });

  it("counts a make-up's hours instead of the missed event's, and the days the person spent at it with the partner", () => {
    const makeUp = event('x3', 'cooperation-interfaces', ['2026-10-05', '2026-10-06'], 12);
    const attendance = [
      ...at(own[0], 'lower', 'upper'),
      ...at(own[1], 'lower', 'upper'),
      ...at(own[2], 'lower'),
      ...at(makeUp, 'lower', 'upper'),
    ];
    expect(personalRecord(own, 'upper', members, attendance)).toMatchObject({
      hours: 44,
      firstDay: '2026-03-02',
      lastDay: '2026-10-06',
    });
    expect(personalRecord(own, 'lower', members, attendance)).toMatchObject({
      hours: 48,
      firstDay: '2026-03-02',
      lastDay: '2026-10-06',
    });
  });
});

describe('seats per district', () => {
  it('allocates all seats in proportion to need by largest remainder', () => {
    const seats = allocateSeats(24, [
      { district: 'arnsberg', need: 5 },
      { district: 'detmold', need: 3 },
      { district: 'duesseldorf', need: 6 },
      { district: 'koeln', need: 5 },
      { district: 'muenster', need: 3 },
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

describe('involvements', () => {
  it('are recorded once they happened: today or earlier', () => {
    expect(checkInvolvementDay('2026-01-05', '2026-01-05')).toBeNull();
    expect(checkInvolvementDay('2025-12-18', '2026-01-05')).toBeNull();
    expect(checkInvolvementDay('2026-01-06', '2026-01-05')).toMatchObject({
      rule: 'involvement-not-in-future',
      details: { on: '2026-01-06', today: '2026-01-05' },
    });
  });
});

describe('annual exchange', () => {
  it('invites 8 weeks before the exchange; later it goes out at once', () => {
    expect(invitationDayPassed(POLICY, '2027-06-10', '2027-04-14')).toBe(false);
    expect(invitationDayPassed(POLICY, '2027-06-10', '2027-04-15')).toBe(true);
  });

  it('goes out at once from the working day the invitation was moved back to, so it is never skipped', () => {
    // 8 weeks before 1 July 2027 is Ascension Day (6 May): the invitation goes out on Wednesday 5 May.
    expect(invitationDayPassed(POLICY, '2027-07-01', '2027-05-04')).toBe(false);
    expect(invitationDayPassed(POLICY, '2027-07-01', '2027-05-05')).toBe(true);
    // 8 weeks before Saturday 1 August 2026 is a Saturday: the invitation goes out on Friday 5 June.
    expect(invitationDayPassed(POLICY, '2026-08-01', '2026-06-05')).toBe(true);
  });

  it('follows the configured invitation offset, and invites at once when the invitation reminder is switched off', () => {
    const tenWeeks = withOverrides(POLICY, { 'exchange-invitation': { offsets: ['-P10W'] } });
    expect(invitationDayPassed(tenWeeks, '2027-06-10', '2027-04-01')).toBe(true);
    expect(invitationDayPassed(tenWeeks, '2027-06-10', '2027-03-31')).toBe(false);
    const off = withOverrides(POLICY, { 'exchange-invitation': { enabled: false } });
    expect(invitationDayPassed(off, '2027-06-10', '2026-12-01')).toBe(true);
  });

  it('is scheduled for a day after today, once a year', () => {
    expect(checkExchange('2027-06-10', '2026-11-02', ['2026'])).toBeNull();
    expect(checkExchange('2026-11-02', '2026-11-02', [])?.rule).toBe('exchange-in-future');
    expect(checkExchange('2027-06-10', '2026-11-02', ['2027'])).toMatchObject({
      rule: 'exchange-once-a-year',
      details: { year: '2027' },
    });
  });
});

describe('evaluations', () => {
  it('lets those who attended an event evaluate it, and refuses the others as out of their scope (403)', () => {
    expect(checkEvaluationByAttendee(true, 'e1')).toBeNull();
    expect(checkEvaluationByAttendee(false, 'e1')).toMatchObject({
      rule: 'evaluation-by-attendee',
      status: 403,
      details: { event: 'e1' },
    });
  });

  it('lets members of accepting tandems evaluate the exchange from its day on, once', () => {
    expect(checkExchangeEvaluationByAttendee(true, 'x1')).toBeNull();
    expect(checkExchangeEvaluationByAttendee(false, 'x1')).toMatchObject({
      rule: 'evaluation-by-attendee',
      status: 403,
    });
    expect(checkExchangeEvaluationDay('2027-06-10', '2027-06-10')).toBeNull();
    expect(checkExchangeEvaluationDay('2027-06-10', '2027-06-09')).toMatchObject({
      rule: 'evaluation-after-exchange',
      status: 422,
      details: { on: '2027-06-10' },
    });
    expect(checkExchangeEvaluationOnce(false, 'x1')).toBeNull();
    expect(checkExchangeEvaluationOnce(true, 'x1')).toMatchObject({ rule: 'evaluation-once', status: 422 });
  });
});

describe('one enrolment per tandem', () => {
  it('names the same rule when the database finds the other enrolment as when the service does', () => {
    expect(oneEnrolmentTaken('t1')).toMatchObject({
      rule: 'one-enrolment-per-tandem',
      status: 422,
      details: { tandem: 't1' },
    });
    expect(checkOneEnrolment({ id: 'n1', state: 'registered' })?.rule).toBe(oneEnrolmentTaken('t1').rule);
  });
});
