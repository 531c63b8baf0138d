/**
 * Whom the tandem qualification reminds of what (DOMAIN.md, "Reminders people expect"). The policy is data; the
 * deadlines come from an instance's context, so a moved event moves its reminders and a closed reflection phase or
 * recorded attendance drops the reminders that remain.
 *
 * An enrolment addresses its two members (role `participant`); a group addresses its moderators (role `moderator`).
 * Rules filter by role, so each person gets one message per reminder even though a group has eight enrolments.
 */
import type { CalendarEvent, Recipient } from '../shared/mail.js';
import type { Deadline, ReminderPolicy } from '../shared/reminders.js';
import { endTime, moduleTitle, PROGRAMME, type EnrolmentContext, type GroupContext, type Person, type ScheduledEvent } from './model.js';

export const TANDEM_QUALIFICATION_REMINDERS: ReminderPolicy = {
  programme: PROGRAMME,
  region: 'NW',
  rules: [
    { key: 'event-upcoming', deadline: 'event', offsets: ['-P14D', '-P2D'], roles: ['participant', 'moderator'], template: `${PROGRAMME}/event-upcoming` },
    { key: 'reflection-due', deadline: 'reflection', offsets: ['-P7D'], roles: ['participant'], template: `${PROGRAMME}/reflection-due` },
    { key: 'reflection-overdue', deadline: 'reflection', offsets: ['P1D'], roles: ['moderator'], template: `${PROGRAMME}/reflection-overdue` },
    { key: 'attendance-missing', deadline: 'attendance', offsets: ['P2D'], roles: ['moderator'], template: `${PROGRAMME}/attendance-missing` },
    { key: 'exchange-invitation', deadline: 'exchange', offsets: ['-P8W'], roles: ['participant'], template: `${PROGRAMME}/exchange-invitation` },
    { key: 'exchange-reminder', deadline: 'exchange-accepted', offsets: ['-P1W'], roles: ['participant'], template: `${PROGRAMME}/exchange-reminder` },
  ],
};

export function asRecipient(person: Person, role: 'participant' | 'moderator'): Recipient {
  return { name: person.name, email: person.email, language: person.language, role };
}

export function calendarEventOf(event: ScheduledEvent, groupName: string | null): CalendarEvent {
  return {
    uid: `${event.id}@lotse`,
    title: `${moduleTitle(event.module)} – Tandem-Qualifizierung`,
    start: `${event.days[0]}T${event.startTime}`,
    end: `${event.days[event.days.length - 1]}T${endTime(event)}`,
    location: event.place,
    description: [groupName ? `Qualifizierungsgruppe: ${groupName}` : null, `${event.hours} Stunden`, event.days.length > 1 ? `Tage: ${event.days.join(', ')}` : null]
      .filter(Boolean).join(' · '),
  };
}

function eventData(event: ScheduledEvent, groupName: string | null): Record<string, unknown> {
  return { module: event.module, days: event.days, startTime: event.startTime, hours: event.hours, place: event.place, groupName };
}

/** The deadlines of one enrolment in its current state. */
export function enrolmentDeadlines(context: EnrolmentContext, inQualification: boolean, alumni: boolean): Deadline[] {
  const members = context.members.map((m) => asRecipient(m, 'participant'));
  const deadlines: Deadline[] = [];
  if (inQualification) {
    for (const event of context.schedule) {
      deadlines.push({ kind: 'event', id: event.id, on: event.days[0], recipients: members, data: eventData(event, context.groupName), calendarEvent: calendarEventOf(event, context.groupName) });
    }
    for (const phase of context.reflections.filter((r) => !r.closed)) {
      deadlines.push({ kind: 'reflection', id: phase.id, on: phase.dueOn, recipients: members, data: { groupName: context.groupName, dueOn: phase.dueOn } });
    }
  }
  if (alumni) {
    for (const exchange of context.exchanges) {
      const data = { exchangeOn: exchange.on, place: exchange.place, networkName: context.networkName };
      if (!exchange.invitedAtOnce) deadlines.push({ kind: 'exchange', id: exchange.exchangeId, on: exchange.on, recipients: members, data });
      if (exchange.answer === 'accepted') deadlines.push({ kind: 'exchange-accepted', id: exchange.exchangeId, on: exchange.on, recipients: members, data });
    }
  }
  return deadlines;
}

/** The deadlines of one group: its moderators hear of events, overdue reflection phases and missing attendance. */
export function groupDeadlines(context: GroupContext): Deadline[] {
  const moderators = context.moderators.map((m) => asRecipient(m, 'moderator'));
  const deadlines: Deadline[] = [];
  for (const event of context.events) {
    const data = eventData(event, context.name);
    deadlines.push({ kind: 'event', id: event.id, on: event.days[0], recipients: moderators, data, calendarEvent: calendarEventOf(event, context.name) });
    if (!context.attendanceRecorded.includes(event.id)) {
      deadlines.push({ kind: 'attendance', id: event.id, on: event.days[event.days.length - 1], recipients: moderators, data });
    }
  }
  for (const phase of context.reflections.filter((r) => !r.closed)) {
    deadlines.push({ kind: 'reflection', id: phase.id, on: phase.dueOn, recipients: moderators, data: { groupName: context.name, dueOn: phase.dueOn } });
  }
  return deadlines;
}
