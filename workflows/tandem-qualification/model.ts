/**
 * The plain data of the tandem qualification (Programme A, NRW) as the workflow sees it: what an enrolment and a
 * qualification group carry in their context. The database holds the same facts; the service keeps both in step.
 */
import type { Language } from '../shared/mail.js';

export const PROGRAMME = 'tandem-qualification';
export const GROUP_WORKFLOW = 'qualification-group';

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
}

/** The three core modules every curriculum contains (BASS 20-22 Nr. 65, section II). Further modules may follow. */
export const CORE_MODULES = ['tandem-team', 'regional-education-management', 'cooperation-interfaces'] as const;

export const MODULE_TITLES: Record<string, { de: string; en: string }> = {
  'tandem-team': { de: 'Das Tandem als Team', en: 'The tandem as a team' },
  'regional-education-management': { de: 'Grundlagen des regionalen Bildungsmanagements', en: 'Foundations of regional education management' },
  'cooperation-interfaces': { de: 'Kooperations- und Schnittstellenmanagement', en: 'Cooperation and interface management' },
};

export function moduleTitle(module: string, language: Language = 'de'): string {
  return MODULE_TITLES[module]?.[language] ?? module;
}

/** Scope of the qualification: 64 hours = 8 days. */
export const MAX_CURRICULUM_HOURS = 64;
export const DEFAULT_GROUP_CAPACITY = 8;

/** Local wall time an event day ends, from its start and its share of the event's hours. */
export function endTime(event: Pick<ScheduledEvent, 'startTime' | 'hours' | 'days'>): string {
  const [h, m] = event.startTime.split(':').map(Number);
  const minutes = h * 60 + m + Math.round((event.hours / event.days.length) * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** One event of a group's curriculum (one or more days). */
export interface ScheduledEvent {
  id: string;
  groupId: string;
  module: string;
  title: string;
  /** Calendar days, YYYY-MM-DD, ascending. */
  days: string[];
  /** Local wall time the event starts each day, HH:mm. */
  startTime: string;
  hours: number;
  place: string;
}

/** The moderator-guided transfer phase between two consecutive events of a group. */
export interface ReflectionTask {
  id: string;
  afterEventId: string;
  beforeEventId: string;
  dueOn: string;
  closed: boolean;
}

export interface ExchangeInvitation {
  exchangeId: string;
  on: string;
  place: string;
  answer: 'accepted' | 'declined' | null;
  /** Scheduled less than 8 weeks ahead: the invitation went out at once instead of by reminder. */
  invitedAtOnce: boolean;
}

export interface Involvement {
  on: string;
  note: string | null;
  recordedBy: string;
}

export interface IssuedCertificate {
  personId: string;
  certificateId: string;
  code: string;
  hours: number;
}

export interface EnrolmentContext {
  enrolmentId: string;
  tandemId: string;
  networkId: string;
  networkName: string;
  districtId: string;
  members: Member[];
  /** LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16. */
  staffCouncil: Involvement | null;
  /** LGG NRW § 11 Abs. 1. */
  equalOpportunities: Involvement | null;
  groupId: string | null;
  groupName: string | null;
  /** The group's events and any make-up events booked in other groups. */
  schedule: ScheduledEvent[];
  reflections: ReflectionTask[];
  certificates: IssuedCertificate[];
  exchanges: ExchangeInvitation[];
  /** Member changes the district let continue without re-formation. */
  exemptions: { on: string; reason: string; replaced: string; by: string }[];
  successorTandemId: string | null;
  endReason: string | null;
}

export interface GroupContext {
  groupId: string;
  name: string;
  moderators: Person[];
  events: ScheduledEvent[];
  reflections: ReflectionTask[];
  /** Events whose attendance the moderators or the institute recorded. */
  attendanceRecorded: string[];
}

/** Enrolment states that hold a seat in their group (completed tandems keep theirs: the group's run is theirs). */
export const SEATED_STATES = ['placed', 'in_qualification', 'completed', 'alumni'];
/** Enrolment states before completion, in which a tandem can still withdraw or change a member. */
export const OPEN_STATES = ['nominated', 'registered', 'waitlisted', 'placed', 'in_qualification'];
/** States of tandems that finished the qualification and are invited to the annual exchange. */
export const ALUMNI_STATES = ['completed', 'alumni'];
