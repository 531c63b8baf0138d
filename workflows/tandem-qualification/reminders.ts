/**
 * Whom the tandem qualification reminds of what (DOMAIN.md, "Reminders people expect"). The policy is data; the
 * deadlines come from an instance's context, so a moved event moves its reminders and a closed reflection phase or
 * recorded attendance drops the reminders that remain.
 *
 * An enrolment addresses its two members (role `participant`); a group addresses its moderators (role `moderator`).
 * Rules filter by role, so each person gets one message per reminder even though a group has eight enrolments.
 */
import type { Recipient } from '../shared/mail.js';
import type { Deadline, ReminderPolicy } from '../shared/reminders.js';
import { appointmentsOf } from './appointments.js';
import { PROGRAMME, type EnrolmentContext, type ExchangeInvitation, type GroupContext, type Person, type ScheduledEvent } from './model.js';

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

function eventData(event: ScheduledEvent, groupName: string | null): Record<string, unknown> {
  return {
    module: event.module, title: event.title, titleEn: event.titleEn ?? null, days: event.days, startTime: event.startTime, hours: event.hours, place: event.place, groupName,
  };
}

/** What a message about the annual exchange says, for one member: when, where, and how that person answers. */
export function exchangeData(exchange: ExchangeInvitation, networkName: string, member: Person): Record<string, unknown> {
  return { exchangeOn: exchange.on, place: exchange.place, networkName, invitationId: exchange.invitationId ?? null, personId: member.personId };
}

/** The deadlines of one enrolment in its current state. */
export function enrolmentDeadlines(context: EnrolmentContext, inQualification: boolean, alumni: boolean): Deadline[] {
  const members = context.members.map((m) => asRecipient(m, 'participant'));
  const deadlines: Deadline[] = [];
  if (inQualification) {
    for (const event of context.schedule) {
      deadlines.push({ kind: 'event', id: event.id, on: event.days[0], recipients: members, data: eventData(event, context.groupName), calendarEvents: appointmentsOf(event, context.groupName) });
    }
    for (const phase of context.reflections.filter((r) => !r.closed)) {
      deadlines.push({ kind: 'reflection', id: phase.id, on: phase.dueOn, recipients: members, data: { groupName: context.groupName, dueOn: phase.dueOn } });
    }
  }
  if (alumni) {
    for (const exchange of context.exchanges) {
      // One deadline per member: the invitation tells each person how they answer it.
      for (const member of context.members) {
        const deadline = { id: exchange.exchangeId, on: exchange.on, recipients: [asRecipient(member, 'participant')], data: exchangeData(exchange, context.networkName, member) };
        if (!exchange.invitedAtOnce) deadlines.push({ kind: 'exchange', ...deadline });
        if (exchange.answer === 'accepted') deadlines.push({ kind: 'exchange-accepted', ...deadline });
      }
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
    deadlines.push({ kind: 'event', id: event.id, on: event.days[0], recipients: moderators, data, calendarEvents: appointmentsOf(event, context.name) });
    if (!context.attendanceRecorded.includes(event.id)) {
      deadlines.push({ kind: 'attendance', id: event.id, on: event.days[event.days.length - 1], recipients: moderators, data });
    }
  }
  for (const phase of context.reflections.filter((r) => !r.closed)) {
    deadlines.push({ kind: 'reflection', id: phase.id, on: phase.dueOn, recipients: moderators, data: { groupName: context.name, dueOn: phase.dueOn } });
  }
  return deadlines;
}
