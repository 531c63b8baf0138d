/**
 * Whom the tandem qualification reminds of what (DOMAIN.md, "Reminders people expect"). The policy is data; the
 * deadlines come from an instance's context, so a moved event moves its reminders and a closed reflection phase or
 * recorded attendance drops the reminders that remain.
 *
 * A group addresses the members of its seated tandems (role `participant`) and its moderators (role `moderator`):
 * the group holds the schedule, so each person gets one message per reminder. An enrolment addresses its two
 * members about the annual exchange.
 */
import type { Recipient } from '../shared/mail.js';
import { reminderDay, type Deadline, type ReminderPolicy } from '../shared/reminders.js';
import { appointmentsOf } from './appointments.js';
import {
  PROGRAMME,
  type EnrolmentContext,
  type ExchangeInvitation,
  type GroupContext,
  type Person,
  type ScheduledEvent,
} from './model.js';
import { heldEvents } from './schedule.js';

export const TANDEM_QUALIFICATION_REMINDERS: ReminderPolicy = {
  programme: PROGRAMME,
  region: 'NW',
  rules: [
    {
      key: 'event-upcoming',
      deadline: 'event',
      offsets: ['-P14D', '-P2D'],
      roles: ['participant', 'moderator'],
      template: `${PROGRAMME}/event-upcoming`,
    },
    {
      key: 'reflection-due',
      deadline: 'reflection',
      offsets: ['-P7D'],
      roles: ['participant'],
      template: `${PROGRAMME}/reflection-due`,
    },
    {
      key: 'reflection-overdue',
      deadline: 'reflection',
      offsets: ['P1D'],
      roles: ['moderator'],
      template: `${PROGRAMME}/reflection-overdue`,
    },
    {
      key: 'attendance-missing',
      deadline: 'attendance',
      offsets: ['P2D'],
      roles: ['moderator'],
      template: `${PROGRAMME}/attendance-missing`,
    },
    {
      key: 'exchange-invitation',
      deadline: 'exchange',
      offsets: ['-P8W'],
      roles: ['participant'],
      template: `${PROGRAMME}/exchange-invitation`,
    },
    {
      key: 'exchange-reminder',
      deadline: 'exchange-accepted',
      offsets: ['-P1W'],
      roles: ['participant'],
      template: `${PROGRAMME}/exchange-reminder`,
    },
  ],
};

export function asRecipient(person: Person, role: 'participant' | 'moderator'): Recipient {
  return { name: person.name, email: person.email, language: person.language, role };
}

export function eventData(event: ScheduledEvent, groupName: string | null): Record<string, unknown> {
  return {
    module: event.module,
    title: event.title,
    titleEn: event.titleEn,
    days: event.days,
    startTime: event.startTime,
    hours: event.hours,
    place: event.place,
    groupName,
  };
}

/** What a message about the annual exchange says, for one member: when, where, and how that person answers. */
export function exchangeData(
  exchange: ExchangeInvitation,
  networkName: string,
  member: Person,
): Record<string, unknown> {
  return {
    exchangeOn: exchange.on,
    place: exchange.place,
    networkName,
    invitationId: exchange.invitationId,
    personId: member.personId,
  };
}

/**
 * The deadlines of an event carry its revision: once an event moved, its reminders are new ones (sent for the new
 * date even if those for the old date already went out).
 */
function eventDeadlineId(event: ScheduledEvent): string {
  return event.sequence ? `${event.id}~${event.sequence}` : event.id;
}

/** The members of the tandems seated in the group. */
export function participantsOf(context: GroupContext): Recipient[] {
  return context.roster.flatMap((seat) => seat.members.map((member) => asRecipient(member, 'participant')));
}

/** The deadlines of one group: its events, open reflection phases and unrecorded attendance. */
export function groupDeadlines(context: GroupContext): Deadline[] {
  const moderators = context.moderators.map((m) => asRecipient(m, 'moderator'));
  const everyone = [...participantsOf(context), ...moderators];
  const deadlines: Deadline[] = [];
  const recorded = new Set(context.attendance.map((sheet) => sheet.eventId));
  for (const event of heldEvents(context.events)) {
    const data = eventData(event, context.name);
    const id = eventDeadlineId(event);
    deadlines.push({
      kind: 'event',
      id,
      on: event.days[0],
      recipients: everyone,
      data,
      calendarEvents: appointmentsOf(event, context.name),
    });
    if (!recorded.has(event.id))
      deadlines.push({ kind: 'attendance', id, on: event.days[event.days.length - 1], recipients: moderators, data });
  }
  for (const phase of context.reflections.filter((r) => !r.closed)) {
    deadlines.push({
      kind: 'reflection',
      id: phase.id,
      on: phase.dueOn,
      recipients: everyone,
      data: { groupName: context.name, dueOn: phase.dueOn },
    });
  }
  return deadlines;
}

/**
 * The deadlines of one enrolment: as alumni, the annual exchange, addressed to the tandem's current members, one
 * deadline per member, since the invitation tells each person how they answer it.
 */
export function enrolmentDeadlines(context: EnrolmentContext, alumni: boolean): Deadline[] {
  if (!alumni) return [];
  const deadlines: Deadline[] = [];
  for (const exchange of context.exchanges) {
    for (const member of context.members) {
      const deadline = {
        id: exchange.exchangeId,
        on: exchange.on,
        recipients: [asRecipient(member, 'participant')],
        data: exchangeData(exchange, context.networkName, member),
      };
      if (!exchange.invitedAtOnce) deadlines.push({ kind: 'exchange', ...deadline });
      if (exchange.answer === 'accepted') deadlines.push({ kind: 'exchange-accepted', ...deadline });
    }
  }
  return deadlines;
}

/**
 * True when the invitation to an exchange on `exchangeOn` can no longer go out by reminder after `today`: every
 * send day of the policy's `exchange-invitation` rule (8 weeks before, moved back to a working day) is today or
 * past, or the rule is switched off. The invitation then goes out at once; a reminder declared for a past send
 * day would be skipped.
 */
export function invitationDayPassed(policy: ReminderPolicy, exchangeOn: string, today: string): boolean {
  return policy.rules
    .filter((rule) => rule.key === 'exchange-invitation')
    .flatMap((rule) => rule.offsets.map((offset) => reminderDay(exchangeOn, offset, policy.region, rule.key).sendOn))
    .every((sendOn) => sendOn <= today);
}
