/**
 * The ministry's yearly Dienstbesprechung on the evaluation findings (decree section II.5): what one meeting carries,
 * which day it may be recorded for, and the deadline its reminders follow.
 *
 * A meeting is recorded for the evaluation year whose findings it reflects on, and is held in that year or the next
 * (the findings of a year are complete only once it has ended, so a meeting in early spring discusses the year
 * before). Its reminders go to the ministry's recipients recorded with it, with that year's report attached.
 */
import { formatDay, isCalendarDay } from '../shared/calendar-day.js';
import type { CalendarEvent, Language, MailDocument, Recipient } from '../shared/mail.js';
import type { Deadline, DeadlineBasis } from '../shared/reminders.js';
import { refused, type Refusal } from '../shared/refusal.js';

export const PROGRAMME = 'evaluation-meeting';
/** The mail document a meeting reminder attaches: the evaluation report of the meeting's year, as PDF. */
export const REPORT_DOCUMENT = `${PROGRAMME}/report`;
/** The role in which the ministry's people are addressed. */
export const MINISTRY = 'ministry';

export interface MinistryRecipient {
  name: string;
  email: string;
  language: Language;
}

export interface MeetingContext {
  /** The evaluation year whose findings the meeting reflects on. */
  year: number;
  /** The day of the meeting. */
  on: string;
  place: string | null;
  recipients: MinistryRecipient[];
  /** Raised on every change of day or place, so a calendar replaces its entry (iCalendar SEQUENCE). */
  revision: number;
  /** When the meeting was recorded or last changed (ISO instant). */
  changedAt: string;
}

/** A meeting on the findings of `year` is held in that year or in the next; any other day is refused. */
export function meetingDayRefusal(year: number, on: string): Refusal | null {
  if (!isCalendarDay(on)) throw new Error(`meeting day ${on} is not a calendar day`);
  const held = Number(on.slice(0, 4));
  if (held === year || held === year + 1) return null;
  return refused(
    'meeting-reflects-its-year',
    `a Dienstbesprechung on the evaluation findings of ${year} is held in ${year} or ${year + 1}, not on ${on}`,
    { year, on, earliest: `${year}-01-01`, latest: `${year + 1}-12-31` },
  );
}

const SOURCE = {
  de: 'Erlass BASS 20-22 Nr. 65, Abschnitt II Nr. 5: mindestens jährliche landesweite Dienstbesprechung des Ministeriums zu den Evaluationsbefunden; der Tag ist der vom Ministerium erfasste',
  en: "Decree BASS 20-22 No. 65, section II.5: the ministry's statewide Dienstbesprechung on the evaluation findings, at least yearly; the day is the one the ministry recorded",
};

function basis(context: MeetingContext): DeadlineBasis {
  return {
    rule: 'meeting-day-recorded',
    source: SOURCE,
    inputs: { year: context.year, on: context.on, recordedAt: context.changedAt },
    computation: `the day the ministry recorded for the meeting on the findings of ${context.year}: ${context.on}`,
  };
}

/** The meeting as one all-day calendar entry, attached to its reminders. */
export function meetingAppointment(context: MeetingContext): CalendarEvent {
  return {
    uid: `evaluation-meeting-${context.year}@lotse`,
    title: `Dienstbesprechung zur Evaluation ${context.year} – Tandem-Qualifizierung`,
    start: context.on,
    end: context.on,
    ...(context.place ? { location: context.place } : {}),
    description: `Landesweite Dienstbesprechung zu den Evaluationsbefunden ${context.year} der Tandem-Qualifizierung NRW (${formatDay(context.on, 'de')})`,
    sequence: context.revision,
    changedAt: context.changedAt,
  };
}

/**
 * The meeting as a deadline of the reminder policy. Its id names the day, so a meeting moved to another day is
 * reminded of afresh (a reminder that went out for the old day said the old day).
 */
export function meetingDeadlines(context: MeetingContext): Deadline[] {
  const recipients: Recipient[] = context.recipients.map((r) => ({
    name: r.name,
    email: r.email,
    language: r.language,
    role: MINISTRY,
  }));
  return [
    {
      kind: 'meeting',
      id: `meeting-${context.year}-${context.on}`,
      on: context.on,
      recipients,
      data: { year: context.year, meetingOn: context.on, place: context.place },
      calendarEvents: [meetingAppointment(context)],
      documents: [reportDocument(context.year)],
      basis: basis(context),
    },
  ];
}

export function reportDocument(year: number): MailDocument {
  return { kind: REPORT_DOCUMENT, id: String(year) };
}
