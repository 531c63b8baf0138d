/**
 * The rules of the NRW tandem qualification (BASS 20-22 Nr. 65, section II) as pure functions over plain data.
 * Each check returns its refusal (workflows/shared/refusal.ts: a stable name, a message, details) or null; the service
 * turns it into the answer before anything is stored, and the machines' guards use the same functions.
 */
import { addDays } from '../shared/calendar-day.js';
import { refused, type Refusal } from '../shared/refusal.js';
import {
  CORE_MODULES,
  DEFAULT_START_TIME,
  endMinute,
  isCoreModule,
  MAX_CURRICULUM_DAYS,
  MAX_CURRICULUM_HOURS,
  moduleTitle,
  type CouncilOutcome,
  type Supervision,
} from './model.js';

/** A reflection phase is due this many days before the next event unless the curriculum says otherwise. */
export const DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT = 7;

// ---------------------------------------------------------------------------------------------------------------
// Directory

/** Rule: a tandem is one official of the lower and one of the upper school supervision. */
export function checkTandemComposition(members: { id: string; supervision: Supervision | null }[]): Refusal | null {
  const lower = members.filter((m) => m.supervision === 'lower').length;
  const upper = members.filter((m) => m.supervision === 'upper').length;
  if (members.length !== 2 || lower !== 1 || upper !== 1 || members[0].id === members[1].id) {
    return refused(
      'tandem-one-lower-one-upper',
      'a tandem is exactly two persons: one of the lower school supervision (Schulamt) and one of the upper school supervision (Bezirksregierung)',
      { members: members.map((m) => ({ person: m.id, supervision: m.supervision })) },
    );
  }
  return null;
}

/** Rule: an official of the lower school supervision works at a Schulamt of the district; one of the upper at a district. */
export function checkWorkplace(
  person: { supervision: Supervision | null; districtId: string | null; schoolOfficeId: string | null },
  schoolOffice: { id: string; districtId: string } | null,
): Refusal | null {
  if (person.supervision === 'lower' && (!schoolOffice || schoolOffice.districtId !== person.districtId)) {
    return refused(
      'lower-supervision-at-schulamt',
      'an official of the lower school supervision works at a Schulamt of the same district: give its schoolOfficeId',
      { schoolOffice: person.schoolOfficeId },
    );
  }
  if (person.supervision === 'upper' && !person.districtId) {
    return refused(
      'upper-supervision-at-district',
      'an official of the upper school supervision works at a Bezirksregierung: give its districtId',
    );
  }
  return null;
}

/** Rule: only a tandem as it is now can be registered or changed; a re-formed one lives on as its successor. */
export function checkTandemCurrent(tandem: { successorId: string | null }): Refusal | null {
  return tandem.successorId
    ? refused('tandem-current', 'this tandem has been re-formed; act on its successor', {
        successor: tandem.successorId,
      })
    : null;
}

/** Rule: a tandem has one enrolment at a time (a withdrawn or re-formed one has ended). */
export function checkOneEnrolment(running: { id: string; state: string } | undefined): Refusal | null {
  return running
    ? refused('one-enrolment-per-tandem', 'this tandem already has an enrolment', {
        enrolment: running.id,
        state: running.state,
      })
    : null;
}

/**
 * The same rule when the database's unique index finds the other enrolment: a registration of the tandem committed
 * meanwhile (in another process, say).
 */
export function oneEnrolmentTaken(tandemId: string): Refusal {
  return refused('one-enrolment-per-tandem', 'this tandem already has an enrolment', { tandem: tandemId });
}

/** Rule: the person leaving a tandem is one of its members. */
export function checkLeavingMember(memberIds: string[], leaving: string): Refusal | null {
  return memberIds.includes(leaving)
    ? null
    : refused('leaving-person-is-member', 'the leaving person is not a member of this tandem', { person: leaving });
}

/** Rule: a moderator tandem is two different persons the directory knows. */
export function checkModeratorTandem(memberIds: [string, string], known: number): Refusal | null {
  return memberIds[0] === memberIds[1] || known !== 2
    ? refused('moderator-tandem-two-persons', 'a moderator tandem is two different, known persons', {
        members: memberIds,
      })
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Registration

export interface Involvements {
  /** The staff council's co-determination (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16), with its outcome. */
  staffCouncil: { on: string; outcome: CouncilOutcome } | null;
  /** Day the equal-opportunities officer was involved (LGG NRW § 11 Abs. 1). */
  equalOpportunities: string | null;
}

/**
 * Rule: a registration is submitted only after both involvements are recorded, and not when the staff council
 * refused (its consent, or its consent deemed given after the statutory period, is needed).
 */
export function checkInvolvements(involvements: Involvements): Refusal | null {
  const missing: string[] = [];
  if (!involvements.staffCouncil) missing.push('staff council (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16)');
  if (!involvements.equalOpportunities) missing.push('equal-opportunities officer (LGG NRW § 11 Abs. 1)');
  if (missing.length) {
    return refused(
      'registration-needs-involvements',
      `the registration cannot be submitted before the involvement of the ${missing.join(' and the ')} is recorded`,
      { missing },
    );
  }
  if (involvements.staffCouncil!.outcome === 'refusal') {
    return refused(
      'staff-council-refused',
      `the staff council refused its consent on ${involvements.staffCouncil!.on} (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16): the registration cannot be submitted unless consent is given or deemed given`,
      { refusedOn: involvements.staffCouncil!.on },
    );
  }
  return null;
}

/** Rule: an involvement is recorded once it happened, so its day is not after today. */
export function checkInvolvementDay(on: string, today: string): Refusal | null {
  return on > today
    ? refused('involvement-not-in-future', `an involvement dated ${on} lies after today (${today})`, { on, today })
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Curriculum

export interface CurriculumEvent {
  module: string;
  /** The module's title; the three core modules have theirs from the decree, a block of a module may leave it to another. */
  title?: string | null;
  /** Calendar days (YYYY-MM-DD), ascending. */
  days: string[];
  hours: number;
  /** HH:mm local time each day begins; DEFAULT_START_TIME when not given. */
  startTime?: string;
}

/**
 * Rules of a group's curriculum: the three core modules, a title for any further module, at most 64 hours and 8 days,
 * events in date order without overlap. A module may be taught in several events (an opening and a closing block);
 * its title need be given with one of them.
 */
export function checkCurriculum(events: CurriculumEvent[]): Refusal | null {
  const modules = events.map((e) => e.module);
  const missing = CORE_MODULES.filter((core) => !modules.includes(core));
  if (missing.length) {
    return refused(
      'curriculum-core-modules',
      `a curriculum contains the three core modules; missing: ${missing.map((m) => moduleTitle(m)).join(', ')}`,
      { missing },
    );
  }
  const untitled = [
    ...new Set(
      modules.filter((module) => !isCoreModule(module) && !events.some((e) => e.module === module && e.title?.trim())),
    ),
  ];
  if (untitled.length) {
    return refused(
      'curriculum-module-title',
      `a module other than the three core modules needs its title (shown on certificates and in calendars); missing for: ${untitled.join(', ')}`,
      { modules: untitled },
    );
  }
  const hours = events.reduce((sum, e) => sum + e.hours, 0);
  const days = events.reduce((sum, e) => sum + e.days.length, 0);
  if (hours > MAX_CURRICULUM_HOURS || days > MAX_CURRICULUM_DAYS) {
    return refused(
      'curriculum-max-64-hours',
      `the qualification comprises at most ${MAX_CURRICULUM_HOURS} hours in ${MAX_CURRICULUM_DAYS} days; this curriculum has ${hours} hours in ${days} days`,
      { hours, days, maxHours: MAX_CURRICULUM_HOURS, maxDays: MAX_CURRICULUM_DAYS },
    );
  }
  let previousLast = '';
  for (const [index, event] of events.entries()) {
    const sorted = [...event.days].sort();
    const distinct = new Set(event.days).size === event.days.length;
    if (!distinct || sorted.join() !== event.days.join() || (previousLast && sorted[0] <= previousLast)) {
      return refused(
        'curriculum-events-in-order',
        'events are listed in date order, each with ascending days that do not overlap the previous event',
        { event: index },
      );
    }
    previousLast = sorted[sorted.length - 1];
    const startTime = event.startTime ?? DEFAULT_START_TIME;
    // A day's part of the event is one calendar entry, and it cannot run into the next day.
    if (endMinute({ ...event, startTime }) >= 24 * 60) {
      const hoursPerDay = event.hours / event.days.length;
      return refused(
        'event-day-ends-before-midnight',
        `an event day ends before midnight; from ${startTime}, ${hoursPerDay} hours a day would run past it`,
        { event: index, startTime, hoursPerDay },
      );
    }
  }
  return null;
}

/** Rule: a group's curriculum is set once; afterwards its events are moved, added or cancelled one by one. */
export function checkCurriculumNotSet(scheduledEvents: number): Refusal | null {
  return scheduledEvents
    ? refused('curriculum-set-once', 'this group already has its curriculum; move, add or cancel single events instead')
    : null;
}

/** Rule: single events are moved, added or cancelled once the curriculum is set. */
export function checkCurriculumSet(scheduledEvents: number): Refusal | null {
  return scheduledEvents ? null : refused('curriculum-set-first', 'this group has no curriculum yet; set it first');
}

/** Rule: a change of an event changes its days, its start time or its place. */
export function checkSomethingChanged(
  event: { days: string[]; startTime: string; place: string },
  change: { days: string[]; startTime: string; place: string },
): Refusal | null {
  const same =
    event.days.join() === change.days.join() && event.startTime === change.startTime && event.place === change.place;
  return same
    ? refused('event-change-changes-something', 'the change gives the days, start time and place the event has already')
    : null;
}

/** Rule: events are changed before they begin, and a new date lies after today. */
export function checkEventChange(
  event: { id: string; days: string[]; status: string } | null,
  newDays: string[] | null,
  today: string,
): Refusal | null {
  if (event && event.status === 'cancelled') {
    return refused('event-not-cancelled', 'this event has been cancelled; add a new event instead', {
      event: event.id,
    });
  }
  if (event && event.days[0] <= today) {
    return refused(
      'event-change-before-it-begins',
      `an event can be changed until the day before it begins (${event.days[0]})`,
      { event: event.id, firstDay: event.days[0] },
    );
  }
  if (newDays && newDays[0] <= today) {
    return refused('event-change-in-future', `the new date of an event lies after today (${today})`, {
      firstDay: newDays[0],
      today,
    });
  }
  return null;
}

export interface PhaseWindow {
  afterEvent: number;
  beforeEvent: number;
  dueOn: string;
}

/**
 * A reflection phase lies between each pair of consecutive events; it is due `daysBefore` days before the next
 * event, but never before the day after the previous event ends.
 */
export function reflectionPhases(
  events: { days: string[] }[],
  daysBefore = DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT,
): PhaseWindow[] {
  const phases: PhaseWindow[] = [];
  for (let i = 1; i < events.length; i++) {
    const dayAfterPrevious = addDays(events[i - 1].days[events[i - 1].days.length - 1], 1);
    const beforeNext = addDays(events[i].days[0], -daysBefore);
    phases.push({
      afterEvent: i - 1,
      beforeEvent: i,
      dueOn: beforeNext > dayAfterPrevious ? beforeNext : dayAfterPrevious,
    });
  }
  return phases;
}

/** Rule: a reflection phase is closed once. */
export function checkPhaseOpen(phase: { closedAt: string | null }): Refusal | null {
  return phase.closedAt
    ? refused('reflection-phase-open', 'this reflection phase is already closed', { closedAt: phase.closedAt })
    : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Placement

/** Rule: a group never holds more tandems than its capacity; one more goes to the waiting list. */
export function placementOutcome(capacity: number, occupiedSeats: number): 'placed' | 'waitlisted' {
  return occupiedSeats < capacity ? 'placed' : 'waitlisted';
}

/** How many of the waiting tandems move up: as many as seats are free, first come first served. */
export function movingUp(capacity: number, occupiedSeats: number, waiting: number): number {
  return Math.max(0, Math.min(waiting, capacity - occupiedSeats));
}

// ---------------------------------------------------------------------------------------------------------------
// Attendance and certificates

/** Rule: attendance is recorded from the first day of an event that takes place. */
export function checkAttendanceDay(event: { days: string[]; status: string }, today: string): Refusal | null {
  if (event.status === 'cancelled')
    return refused('attendance-of-held-event', 'this event was cancelled; no attendance can be recorded');
  return event.days[0] > today
    ? refused(
        'attendance-after-event-begins',
        `attendance can be recorded from the first day of the event (${event.days[0]})`,
        { firstDay: event.days[0] },
      )
    : null;
}

/** Rule: attendance is recorded for members of tandems in the qualification (own group or make-up). */
export function checkAttendees(personIds: string[], participants: Set<string>): Refusal | null {
  const unknown = personIds.filter((id) => !participants.has(id));
  return unknown.length
    ? refused(
        'attendance-of-participants',
        'attendance is recorded for members of tandems in the qualification (own group or make-up)',
        { persons: unknown },
      )
    : null;
}

/** Rule: only participants who attended an event evaluate it. */
export function checkEvaluationByAttendee(attended: boolean, eventId: string): Refusal | null {
  return attended
    ? null
    : refused('evaluation-by-attendee', 'only participants who attended an event evaluate it', { event: eventId }, 403);
}

/** Rule: a participant evaluates an event once. */
export function checkEvaluationOnce(alreadyEvaluated: boolean, eventId: string): Refusal | null {
  return alreadyEvaluated
    ? refused('evaluation-once', 'you have already evaluated this event', { event: eventId })
    : null;
}

/**
 * Rule: the annual exchange is evaluated by those who took part. Nobody keeps its attendance list, so they are the
 * members of the tandems that accepted the invitation.
 */
export function checkExchangeEvaluationByAttendee(accepted: boolean, exchangeId: string): Refusal | null {
  return accepted
    ? null
    : refused(
        'evaluation-by-attendee',
        'only members of the tandems that accepted the invitation evaluate the exchange',
        { exchange: exchangeId },
        403,
      );
}

/** Rule: the exchange is evaluated from the day it is held. */
export function checkExchangeEvaluationDay(heldOn: string, today: string): Refusal | null {
  return today < heldOn
    ? refused('evaluation-after-exchange', `the exchange can be evaluated from the day it is held (${heldOn})`, {
        on: heldOn,
        today,
      })
    : null;
}

/** Rule: a member evaluates the exchange once. */
export function checkExchangeEvaluationOnce(alreadyEvaluated: boolean, exchangeId: string): Refusal | null {
  return alreadyEvaluated
    ? refused('evaluation-once', 'you have already evaluated this exchange', { exchange: exchangeId })
    : null;
}

/** An event of the tandem's own group, as far as certificates are concerned. */
export interface CurriculumItem {
  id: string;
  module: string;
  hours: number;
  days: string[];
}

/** One person's presence at one event of any group, with what the event was. */
export interface Attendance extends CurriculumItem {
  personId: string;
  present: boolean;
}

function presentAt(attendance: Attendance[], personId: string): Attendance[] {
  return attendance.filter((a) => a.personId === personId && a.present);
}

/** The modules of a curriculum, each once, in the order they first occur. */
export function curriculumModules(own: CurriculumItem[]): string[] {
  return [...new Set(own.map((e) => e.module))];
}

/**
 * Which events count for a tandem (both members present) and which make-ups (events of other groups, attended by
 * both) stand in for the own events it missed. A missed event is made up by an event of the same module in another
 * group, one make-up per missed event.
 */
function tandemCoverage(own: CurriculumItem[], memberIds: string[], attendance: Attendance[]) {
  const byPerson = memberIds.map((id) => new Set(presentAt(attendance, id).map((a) => a.id)));
  const joint = (eventId: string) => byPerson.every((events) => events.has(eventId));
  const ownIds = new Set(own.map((e) => e.id));
  const makeUpEvents = [
    ...new Map(
      attendance.filter((a) => !ownIds.has(a.id) && joint(a.id)).map((a) => [a.id, a as CurriculumItem]),
    ).values(),
  ].sort((a, b) => a.days[0].localeCompare(b.days[0]));
  const missing: string[] = [];
  const usedMakeUps: string[] = [];
  for (const module of curriculumModules(own)) {
    const missed = own.filter((e) => e.module === module && !joint(e.id)).length;
    const available = makeUpEvents.filter((e) => e.module === module);
    if (available.length < missed) missing.push(module);
    usedMakeUps.push(...available.slice(0, missed).map((e) => e.id));
  }
  return { missing, usedMakeUps };
}

/**
 * Modules still missing for a certificate: a module is attended when each of its events in the tandem's own group
 * was attended by both members, or made up by both in another group's event of the same module. Modules credited
 * on a member change count as attended.
 */
export function missingModules(
  own: CurriculumItem[],
  memberIds: string[],
  attendance: Attendance[],
  credited: string[] = [],
): string[] {
  return tandemCoverage(own, memberIds, attendance).missing.filter((module) => !credited.includes(module));
}

/** Rule: a certificate needs every module of the curriculum attended by both members (or credited). */
export function checkCertificate(
  own: CurriculumItem[],
  memberIds: string[],
  attendance: Attendance[],
  credited: string[] = [],
): Refusal | null {
  if (!own.length) {
    return refused(
      'certificate-needs-all-modules',
      'the group has no curriculum yet, so no certificate can be issued',
      { missing: [] },
    );
  }
  const missing = missingModules(own, memberIds, attendance, credited);
  if (!missing.length) return null;
  return refused(
    'certificate-needs-all-modules',
    `a certificate needs every module attended by both members of the tandem; missing: ${missing.map((m) => moduleTitle(m)).join(', ')} (can be made up in another group's event of the same module)`,
    { missing },
  );
}

/** What one person's certificate states: that person's own hours, days and modules. */
export interface PersonalRecord {
  hours: number;
  firstDay: string | null;
  lastDay: string | null;
  /** Every module of the curriculum: attended, or credited to the tandem from before a member change. */
  modules: string[];
  creditedModules: string[];
}

/**
 * One person's share of the tandem's qualification: the hours of the curriculum's events the person attended, each
 * missed one replaced by the make-up the person attended instead; the days from the first to the last of the events
 * the person attended for it (make-ups taken together with the partner included); and the curriculum's modules,
 * those the person did not attend marked as credited.
 */
export function personalRecord(
  own: CurriculumItem[],
  personId: string,
  memberIds: string[],
  attendance: Attendance[],
  credited: string[] = [],
): PersonalRecord {
  const attended = presentAt(attendance, personId);
  const attendedIds = new Set(attended.map((a) => a.id));
  const ownIds = new Set(own.map((e) => e.id));
  const jointMakeUps = new Set(tandemCoverage(own, memberIds, attendance).usedMakeUps);
  const makeUps = [
    ...new Map(attended.filter((a) => !ownIds.has(a.id)).map((a) => [a.id, a as CurriculumItem])).values(),
  ]
    // The make-ups taken together with the partner first, then by date.
    .sort(
      (a, b) => Number(jointMakeUps.has(b.id)) - Number(jointMakeUps.has(a.id)) || a.days[0].localeCompare(b.days[0]),
    );
  const counted: CurriculumItem[] = [];
  const modules = curriculumModules(own);
  const notAttended: string[] = [];
  for (const module of modules) {
    const ownOfModule = own.filter((e) => e.module === module);
    const missed = ownOfModule.filter((e) => !attendedIds.has(e.id)).length;
    const standIns = makeUps.filter((e) => e.module === module).slice(0, missed);
    counted.push(...ownOfModule.filter((e) => attendedIds.has(e.id)), ...standIns);
    if (standIns.length < missed) notAttended.push(module);
  }
  const days = [...counted, ...makeUps.filter((e) => jointMakeUps.has(e.id))].flatMap((e) => e.days).sort();
  return {
    hours: counted.reduce((sum, e) => sum + e.hours, 0),
    firstDay: days[0] ?? null,
    lastDay: days[days.length - 1] ?? null,
    modules,
    creditedModules: notAttended.filter((module) => credited.includes(module)),
  };
}

/**
 * Modules a tandem has completed so far (and keeps credited when a member changes under an exemption): those of
 * the curriculum it attended completely, plus what was credited before.
 */
export function completedModules(
  own: CurriculumItem[],
  memberIds: string[],
  attendance: Attendance[],
  credited: string[] = [],
): string[] {
  const missing = new Set(tandemCoverage(own, memberIds, attendance).missing);
  return [...new Set([...credited, ...curriculumModules(own).filter((module) => !missing.has(module))])];
}

// ---------------------------------------------------------------------------------------------------------------
// Seats and the annual exchange

/**
 * Seats per district in proportion to a configured need (largest remainder method), so the seats of all groups add
 * up exactly. Ties in the remainder go to the larger need, then alphabetically.
 */
export function allocateSeats(totalSeats: number, needs: { district: string; need: number }[]): Record<string, number> {
  const totalNeed = needs.reduce((sum, n) => sum + Math.max(0, n.need), 0);
  const seats: Record<string, number> = Object.fromEntries(needs.map((n) => [n.district, 0]));
  if (totalNeed === 0 || totalSeats <= 0) return seats;
  const shares = needs.map((n) => ({ ...n, exact: (totalSeats * Math.max(0, n.need)) / totalNeed }));
  for (const share of shares) seats[share.district] = Math.floor(share.exact);
  let left = totalSeats - Object.values(seats).reduce((a, b) => a + b, 0);
  const order = [...shares].sort(
    (a, b) =>
      b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) ||
      b.need - a.need ||
      a.district.localeCompare(b.district),
  );
  for (const share of order) {
    if (left-- <= 0) break;
    seats[share.district]++;
  }
  return seats;
}

/** Rule: an exchange is scheduled for a day after today, once a year. */
export function checkExchange(on: string, today: string, scheduledYears: string[]): Refusal | null {
  if (on <= today)
    return refused('exchange-in-future', 'an exchange is scheduled for a day in the future', { on, today });
  const year = on.slice(0, 4);
  return scheduledYears.includes(year)
    ? refused('exchange-once-a-year', `the exchange of ${year} is already scheduled`, { year })
    : null;
}
