/**
 * The plain data of the tandem qualification (Programme A, NRW) as the workflow sees it: what an enrolment and a
 * qualification group carry in their context. The database holds the same facts; the service keeps both in step.
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
}

/** The three core modules every curriculum contains (BASS 20-22 Nr. 65, section II). Further modules may follow. */
export const CORE_MODULES = ['tandem-team', 'regional-education-management', 'cooperation-interfaces'] as const;

export const MODULE_TITLES: Record<string, { de: string; en: string }> = {
  'tandem-team': { de: 'Das Tandem als Team', en: 'The tandem as a team' },
  'regional-education-management': { de: 'Grundlagen des regionalen Bildungsmanagements', en: 'Foundations of regional education management' },
  'cooperation-interfaces': { de: 'Kooperations- und Schnittstellenmanagement', en: 'Cooperation and interface management' },
};

export function isCoreModule(module: string): boolean {
  return (CORE_MODULES as readonly string[]).includes(module);
}

/**
 * The title of a module in `language`: the one the institute gave with the curriculum, else the decree's title of a
 * core module, else (English asked, only a German title given) the German one. The key itself is the last resort
 * for events stored before titles were.
 */
export function moduleTitle(module: string, language: Language = 'de', given?: { title?: string | null; titleEn?: string | null }): string {
  const own = language === 'en' ? given?.titleEn : given?.title;
  return own || MODULE_TITLES[module]?.[language] || given?.title || MODULE_TITLES[module]?.de || module;
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
  /** The module's title in German, and in English (absent in contexts stored before titles were kept). */
  title: string;
  titleEn?: string;
  /** Calendar days, YYYY-MM-DD, ascending. */
  days: string[];
  /** Local wall time the event starts each day, HH:mm. */
  startTime: string;
  hours: number;
  place: string;
  /** Raised on every change of the event, so calendars replace their copy (iCalendar SEQUENCE); 0 at first. */
  sequence?: number;
  /** When the event was scheduled or last changed (ISO instant): its calendar entries' DTSTAMP and LAST-MODIFIED. */
  changedAt?: string;
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
  /** The invitation the tandem answers (`POST /exchange-invitations/{id}/answer`); absent in contexts stored before. */
  invitationId?: string;
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
