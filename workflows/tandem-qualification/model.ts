/**
 * The plain data of the tandem qualification (Programme A, NRW) as its two workflows hold it:
 * - a `qualification-group` instance owns what belongs to the group: its schedule (events, reflection phases,
 *   attendance), its moderators and the roster of seated and waiting tandems;
 * - a `tandem-qualification` instance owns one tandem's enrolment: registration, placement, completion,
 *   certificates and the annual exchange.
 * The programme's tables are projections of these contexts.
 */
import type { Language } from '../shared/mail.js';

export const PROGRAMME = 'tandem-qualification';
export const GROUP_WORKFLOW = 'qualification-group';
/** The kind of mail document a certificate is: the certificate-issued message attaches its PDF. */
export const CERTIFICATE_DOCUMENT = `${PROGRAMME}/certificate`;

/** Untere Schulaufsicht (Schulamt) or obere Schulaufsicht (Bezirksregierung). */
export type Supervision = 'lower' | 'upper';
export const SUPERVISIONS: Supervision[] = ['lower', 'upper'];

export interface Person {
  personId: string;
  name: string;
  email: string;
  language: Language;
}

export interface Member extends Person {
  supervision: Supervision;
  /** The office as a certificate names it, e.g. "Schulamt für die Stadt Dortmund". */
  office: string;
}

/** The three core modules every curriculum contains (BASS 20-22 Nr. 65, section II). Further modules may follow. */
export const CORE_MODULES = ['tandem-team', 'regional-education-management', 'cooperation-interfaces'] as const;

export const MODULE_TITLES: Record<string, { de: string; en: string }> = {
  'tandem-team': { de: 'Das Tandem als Team', en: 'The tandem as a team' },
  'regional-education-management': {
    de: 'Grundlagen des regionalen Bildungsmanagements',
    en: 'Foundations of regional education management',
  },
  'cooperation-interfaces': {
    de: 'Kooperations- und Schnittstellenmanagement',
    en: 'Cooperation and interface management',
  },
};

export function isCoreModule(module: string): boolean {
  return (CORE_MODULES as readonly string[]).includes(module);
}

/**
 * The title of a module in `language`: the one the institute gave with the curriculum, else the decree's title of a
 * core module, else (English asked, only a German title given) the German one. The key itself is the last resort
 * for events stored before titles were.
 */
export function moduleTitle(
  module: string,
  language: Language = 'de',
  given?: { title?: string | null; titleEn?: string | null },
): string {
  const own = language === 'en' ? given?.titleEn : given?.title;
  return own || MODULE_TITLES[module]?.[language] || given?.title || MODULE_TITLES[module]?.de || module;
}

/** Scope of the qualification: 64 hours = 8 days. */
export const MAX_CURRICULUM_HOURS = 64;
export const MAX_CURRICULUM_DAYS = 8;
export const DEFAULT_GROUP_CAPACITY = 8;

/** When an event day begins unless the institute says otherwise. */
export const DEFAULT_START_TIME = '09:00';

/** Minutes after midnight an event day ends, from its start and its share of the event's hours. */
export function endMinute(event: Pick<ScheduledEvent, 'startTime' | 'hours' | 'days'>): number {
  const [h, m] = event.startTime.split(':').map(Number);
  return h * 60 + m + Math.round((event.hours / event.days.length) * 60);
}

/** Local wall time an event day ends (`checkCurriculum` keeps it before midnight). */
export function endTime(event: Pick<ScheduledEvent, 'startTime' | 'hours' | 'days'>): string {
  const minutes = endMinute(event);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** What the institute plans for one event. */
export interface PlannedEvent {
  id: string;
  module: string;
  /** The module's title as the institute gave it, in German and in English; needed for modules other than the core ones. */
  title: string | null;
  titleEn: string | null;
  /** Calendar days, YYYY-MM-DD, ascending. */
  days: string[];
  /** Local wall time the event starts each day, HH:mm. */
  startTime: string;
  hours: number;
  place: string;
}

export type EventStatus = 'scheduled' | 'cancelled';

/** One event of a group's curriculum (one or more days) as the group holds it. */
export interface ScheduledEvent extends Omit<PlannedEvent, 'title' | 'titleEn'> {
  groupId: string;
  /** The module's title in German and in English, as certificates, calendars and messages show it (see moduleTitle). */
  title: string;
  titleEn: string;
  /** Raised on every change of the event, so calendars replace their copy (iCalendar SEQUENCE); 0 when first scheduled. */
  sequence: number;
  /** A cancelled event stays in the schedule, so calendars learn of the cancellation (STATUS:CANCELLED). */
  status: EventStatus;
  /** When the event was scheduled or last changed (ISO instant): its calendar entries' DTSTAMP and LAST-MODIFIED. */
  changedAt: string;
  /** Why it was last changed; null as first scheduled. */
  changeReason: string | null;
}

/** The moderator-guided transfer phase between two consecutive events of a group. */
export interface ReflectionTask {
  id: string;
  afterEventId: string;
  beforeEventId: string;
  dueOn: string;
  closed: boolean;
  closedAt: string | null;
  closedBy: string | null;
}

export interface AttendanceEntry {
  personId: string;
  present: boolean;
  recordedAt: string;
  recordedBy: string;
}

/** Who attended one event (also members of other groups' tandems making up a module). */
export interface AttendanceSheet {
  eventId: string;
  /** When attendance was first recorded. */
  recordedAt: string;
  entries: AttendanceEntry[];
}

/** A tandem holding a seat in the group, or waiting for one. */
export interface Seat {
  enrolmentId: string;
  tandemId: string;
  districtId: string;
  members: Member[];
  /** When it took the seat, or joined the waiting list (ISO instant). */
  since: string;
}

export interface GroupContext {
  groupId: string;
  name: string;
  /** At most this many tandems hold a seat; further ones wait. */
  capacity: number;
  moderatorTandemId: string;
  moderators: Person[];
  /** A reflection phase is due this many days before the next event. */
  reflectionDueDaysBefore: number;
  /** In date order; cancelled events included. */
  events: ScheduledEvent[];
  reflections: ReflectionTask[];
  attendance: AttendanceSheet[];
  /** Seated tandems, in the order they took their seats (completed ones keep theirs: the group's run is theirs). */
  roster: Seat[];
  /** First come, first served. */
  waitingList: Seat[];
}

/** LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16 is co-determination: the council consents, refuses, or its consent is deemed
 * given when it does not answer within the statutory period. */
export type CouncilOutcome = 'consent' | 'refusal' | 'deemed-consent';
export const COUNCIL_OUTCOMES: CouncilOutcome[] = ['consent', 'refusal', 'deemed-consent'];

export interface Involvement {
  on: string;
  note: string | null;
  recordedBy: string;
}

export interface StaffCouncilInvolvement extends Involvement {
  outcome: CouncilOutcome;
}

/** One person's certificate of participation, with that person's own hours, days and modules. */
export interface IssuedCertificate {
  certificateId: string;
  personId: string;
  personName: string;
  language: Language;
  code: string;
  hours: number;
  firstDay: string;
  lastDay: string;
  /** Every module of the curriculum, in curriculum order: attended by the person or credited. */
  modules: string[];
  /** Those of `modules` the person did not attend: credited to the tandem from before a member change. */
  creditedModules: string[];
  /** The modules' titles as the curriculum named them when the certificate was issued. */
  moduleTitles: Record<string, { de: string; en: string }>;
  issuedOn: string;
}

export interface ExchangeInvitation {
  exchangeId: string;
  invitationId: string;
  on: string;
  place: string;
  answer: 'accepted' | 'declined' | null;
  answeredAt: string | null;
  /** Scheduled less than 8 weeks ahead: the invitation went out at once instead of by reminder. */
  invitedAtOnce: boolean;
}

export interface Exemption {
  on: string;
  reason: string;
  replaced: string;
  by: string;
}

export interface EnrolmentContext {
  enrolmentId: string;
  tandemId: string;
  networkId: string;
  networkName: string;
  districtId: string;
  members: Member[];
  /** The enrolment of the tandem before it was re-formed. */
  predecessorId: string | null;
  staffCouncil: StaffCouncilInvolvement | null;
  /** LGG NRW § 11 Abs. 1. */
  equalOpportunities: Involvement | null;
  /** The group it is placed in or waiting for; the group holds the schedule. */
  groupId: string | null;
  certificates: IssuedCertificate[];
  exchanges: ExchangeInvitation[];
  /** Member changes the district let continue without re-formation. */
  exemptions: Exemption[];
  /** Modules that count as attended although a member changed (they were completed before the change). */
  creditedModules: string[];
  successorTandemId: string | null;
  endReason: string | null;
}

/** Enrolment states in which a tandem holds (or waits for) its place and can still withdraw. */
export const OPEN_STATES = ['nominated', 'registered', 'waitlisted', 'placed'];
/** States of tandems that finished the qualification and are invited to the annual exchange. */
export const ALUMNI_STATES = ['completed', 'alumni'];
/** States that end an enrolment. */
export const ENDED_STATES = ['withdrawn', 'reformed'];

/** The group's state once its first event has begun. */
export const GROUP_RUNNING = 'running';

/**
 * What an enrolment's status says to people: a placed tandem is `in_qualification` once its group's first event has
 * begun (the group holds that date, so it is read from the group, not copied into every enrolment).
 */
export function enrolmentStatus(state: string, groupState: string | null): string {
  return state === 'placed' && groupState === GROUP_RUNNING ? 'in_qualification' : state;
}
