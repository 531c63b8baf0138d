/**
 * The rules of the NRW tandem qualification (BASS 20-22 Nr. 65, section II) as pure functions over plain data.
 * Each check returns the broken rule (a stable name, a message, details) or null; the service turns a broken rule
 * into a 422 answer before anything is stored.
 */
import { DateTime } from 'luxon';
import { CORE_MODULES, isCoreModule, MAX_CURRICULUM_HOURS, moduleTitle, type Supervision } from './model.js';

export const MAX_CURRICULUM_DAYS = 8;
/** A reflection phase is due this many days before the next event unless the curriculum says otherwise. */
export const DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT = 7;

export type InvolvedBody = 'staff-council' | 'equal-opportunities';

export interface BrokenRule {
  rule: string;
  message: string;
  details: Record<string, unknown>;
}

const broken = (rule: string, message: string, details: Record<string, unknown> = {}): BrokenRule => ({ rule, message, details });

/** Rule: a tandem is one official of the lower and one of the upper school supervision. */
export function checkTandemComposition(members: { id: string; supervision: Supervision | null }[]): BrokenRule | null {
  const lower = members.filter((m) => m.supervision === 'lower').length;
  const upper = members.filter((m) => m.supervision === 'upper').length;
  if (members.length !== 2 || lower !== 1 || upper !== 1 || members[0].id === members[1].id) {
    return broken('tandem-one-lower-one-upper',
      'a tandem is exactly two persons: one of the lower school supervision (Schulamt) and one of the upper school supervision (Bezirksregierung)',
      { members: members.map((m) => ({ person: m.id, supervision: m.supervision })) });
  }
  return null;
}

export interface Involvements {
  /** Day the staff council was involved (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16). */
  staffCouncil: string | null;
  /** Day the equal-opportunities officer was involved (LGG NRW § 11 Abs. 1). */
  equalOpportunities: string | null;
}

/** Rule: a registration is submitted only after both involvements are recorded. */
export function checkInvolvements(involvements: Involvements): BrokenRule | null {
  const missing: string[] = [];
  if (!involvements.staffCouncil) missing.push('staff council (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16)');
  if (!involvements.equalOpportunities) missing.push('equal-opportunities officer (LGG NRW § 11 Abs. 1)');
  if (!missing.length) return null;
  return broken('registration-needs-involvements',
    `the registration cannot be submitted before the involvement of the ${missing.join(' and the ')} is recorded`, { missing });
}

export interface CurriculumEvent {
  module: string;
  /** The module's title; the three core modules have theirs from the decree. */
  title?: string | null;
  /** Calendar days (YYYY-MM-DD), ascending. */
  days: string[];
  hours: number;
}

/**
 * Rules of a group's curriculum: the three core modules, a title for any further module, each module once (so a missed module has one clear
 * make-up), at most 64 hours and 8 days, events in order without overlap.
 */
export function checkCurriculum(events: CurriculumEvent[]): BrokenRule | null {
  const modules = events.map((e) => e.module);
  const missing = CORE_MODULES.filter((core) => !modules.includes(core));
  if (missing.length) {
    return broken('curriculum-core-modules', `a curriculum contains the three core modules; missing: ${missing.map((m) => moduleTitle(m)).join(', ')}`, { missing });
  }
  const untitled = events.filter((e) => !isCoreModule(e.module) && !e.title?.trim()).map((e) => e.module);
  if (untitled.length) {
    return broken('curriculum-module-title', `a module other than the three core modules needs its title (shown on certificates and in calendars); missing for: ${untitled.join(', ')}`, { modules: untitled });
  }
  const repeated = modules.filter((m, i) => modules.indexOf(m) !== i);
  if (repeated.length) {
    return broken('curriculum-module-once', `each module is one event of the curriculum; repeated: ${[...new Set(repeated)].join(', ')}`, { repeated });
  }
  const hours = events.reduce((sum, e) => sum + e.hours, 0);
  const days = events.reduce((sum, e) => sum + e.days.length, 0);
  if (hours > MAX_CURRICULUM_HOURS || days > MAX_CURRICULUM_DAYS) {
    return broken('curriculum-max-64-hours',
      `the qualification comprises at most ${MAX_CURRICULUM_HOURS} hours in ${MAX_CURRICULUM_DAYS} days; this curriculum has ${hours} hours in ${days} days`,
      { hours, days, maxHours: MAX_CURRICULUM_HOURS, maxDays: MAX_CURRICULUM_DAYS });
  }
  let previousLast = '';
  for (const [index, event] of events.entries()) {
    const sorted = [...event.days].sort();
    const distinct = new Set(event.days).size === event.days.length;
    if (!distinct || sorted.join() !== event.days.join() || (previousLast && sorted[0] <= previousLast)) {
      return broken('curriculum-events-in-order', 'events are listed in date order, each with ascending days that do not overlap the previous event', { event: index });
    }
    previousLast = sorted[sorted.length - 1];
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
export function reflectionPhases(events: { days: string[] }[], daysBefore = DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT): PhaseWindow[] {
  const phases: PhaseWindow[] = [];
  for (let i = 1; i < events.length; i++) {
    const previousEnd = DateTime.fromISO(events[i - 1].days[events[i - 1].days.length - 1]);
    const nextStart = DateTime.fromISO(events[i].days[0]);
    const due = DateTime.max(nextStart.minus({ days: daysBefore }), previousEnd.plus({ days: 1 }));
    phases.push({ afterEvent: i - 1, beforeEvent: i, dueOn: due.toISODate()! });
  }
  return phases;
}

/** Rule: a group never holds more tandems than its capacity; one more goes to the waiting list. */
export function placementOutcome(capacity: number, occupiedSeats: number): 'placed' | 'waitlisted' {
  return occupiedSeats < capacity ? 'placed' : 'waitlisted';
}

export interface Attendance {
  eventId: string;
  module: string;
  personId: string;
  present: boolean;
}

/** Rule: an event counts for a tandem only when both members attended it. */
export function eventsCountedForTandem(memberIds: [string, string], attendance: Attendance[]): string[] {
  const presentAt = (personId: string) => new Set(attendance.filter((a) => a.personId === personId && a.present).map((a) => a.eventId));
  const [first, second] = memberIds.map(presentAt);
  return [...first].filter((eventId) => second.has(eventId));
}

/**
 * Modules still missing for a certificate: every required module needs one event of that module, in the tandem's
 * own group or as a make-up in another group, attended by both members. Modules credited by an exemption on
 * re-formation count as attended.
 */
export function missingModules(requiredModules: string[], memberIds: [string, string], attendance: Attendance[], credited: string[] = []): string[] {
  const counted = new Set(eventsCountedForTandem(memberIds, attendance));
  const covered = new Set([...credited, ...attendance.filter((a) => counted.has(a.eventId)).map((a) => a.module)]);
  return requiredModules.filter((module) => !covered.has(module));
}

/** Rule: a certificate needs every required module attended by both members. */
export function checkCertificate(requiredModules: string[], memberIds: [string, string], attendance: Attendance[], credited: string[] = []): BrokenRule | null {
  if (!requiredModules.length) {
    return broken('certificate-needs-all-modules', 'the group has no curriculum yet, so no certificate can be issued', { missing: [] });
  }
  const missing = missingModules(requiredModules, memberIds, attendance, credited);
  if (!missing.length) return null;
  return broken('certificate-needs-all-modules',
    `a certificate needs every module attended by both members of the tandem; missing: ${missing.map((m) => moduleTitle(m)).join(', ')} (can be made up in another group's event of the same module)`,
    { missing });
}

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
  const order = [...shares].sort((a, b) => (b.exact - Math.floor(b.exact)) - (a.exact - Math.floor(a.exact)) || b.need - a.need || a.district.localeCompare(b.district));
  for (const share of order) {
    if (left-- <= 0) break;
    seats[share.district]++;
  }
  return seats;
}

/** The annual exchange invitation goes out 8 weeks before the exchange. */
export const EXCHANGE_INVITATION_WEEKS = 8;

/** True when the invitation day of an exchange on `exchangeOn` is already past on `today` (invite at once then). */
export function invitationDayPassed(exchangeOn: string, today: string): boolean {
  return DateTime.fromISO(exchangeOn).minus({ weeks: EXCHANGE_INVITATION_WEEKS }).toISODate()! <= today;
}
