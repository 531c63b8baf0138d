/**
 * Two workflows of the tandem qualification:
 * - `qualification-group`: one group. It owns its schedule (events, reflection phases, attendance), its moderators
 *   and its roster of seated and waiting tandems; it checks its capacity against its own roster, and its version
 *   serialises placements, so no process can seat a tandem in a full group. It reminds members and moderators.
 * - `tandem-qualification`: one enrolment of one tandem, from nomination by its district to the alumni years.
 * One user action that concerns both (a placement, a withdrawal with move-up) steps both in one command. Machines
 * hold no I/O; every event names what happened and carries what the context needs (ids, instants, reasons).
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { defineWorkflow, type StateTimers } from '../../src/engine/workflow.js';
import { mailEmission } from '../shared/mail.js';
import { reminderTimers, type ReminderPolicy } from '../shared/reminders.js';
import {
  CERTIFICATE_DOCUMENT,
  GROUP_RUNNING,
  GROUP_WORKFLOW,
  PROGRAMME,
  type AttendanceSheet,
  type EnrolmentContext,
  type ExchangeInvitation,
  type Exemption,
  type GroupContext,
  type Involvement,
  type IssuedCertificate,
  type Member,
  type Person,
  type PlannedEvent,
  type Seat,
  type StaffCouncilInvolvement,
} from './model.js';
import { appointmentsOf } from './appointments.js';
import { ENROLMENT_CORRECTIONS, GROUP_CORRECTIONS } from './corrections.js';
import {
  asRecipient,
  enrolmentDeadlines,
  eventData,
  exchangeData,
  groupDeadlines,
  invitationDayPassed,
  TANDEM_QUALIFICATION_REMINDERS,
} from './reminders.js';
import { checkInvolvements, placementOutcome } from './rules.js';
import { addEvent, cancelEvent, firstDay, moveEvent, setCurriculum, type EventChange } from './schedule.js';

// ---------------------------------------------------------------------------------------------------------------
// The group

export interface GroupInput {
  groupId: string;
  name: string;
  capacity: number;
  moderatorTandemId: string;
  moderators: Person[];
}

export type GroupEvent =
  | { type: 'CURRICULUM_SET'; events: PlannedEvent[]; reflectionDueDaysBefore: number; at: string }
  | ({ type: 'EVENT_MOVED'; eventId: string; reason: string; at: string } & EventChange)
  | { type: 'EVENT_ADDED'; event: PlannedEvent; reason: string; at: string }
  | { type: 'EVENT_CANCELLED'; eventId: string; reason: string; at: string }
  | {
      type: 'ATTENDANCE_RECORDED';
      eventId: string;
      entries: { personId: string; present: boolean }[];
      recordedAt: string;
      recordedBy: string;
    }
  | { type: 'REFLECTION_CLOSED'; phaseId: string; closedAt: string; closedBy: string }
  | { type: 'TANDEM_PLACED'; seat: Seat }
  | { type: 'TANDEM_WAITLISTED'; seat: Seat }
  | { type: 'TANDEM_MOVED_UP'; enrolmentId: string; at: string }
  | { type: 'TANDEM_LEFT'; enrolmentId: string; reason: 'withdrawn' | 'reformed' }
  | { type: 'SEAT_MEMBERS_CHANGED'; enrolmentId: string; tandemId: string; members: Member[] }
  | { type: 'MODERATORS_ASSIGNED'; moderatorTandemId: string; moderators: Person[] }
  | { type: 'due.qualificationStarts' };

type ClientGroupEvent = Exclude<GroupEvent, { type: `due.${string}` }>;

const startTimer: StateTimers<GroupContext> = {
  // The qualification of the group's tandems begins on the first day of its first event; no curriculum, no timer.
  timers: (context) => {
    const first = firstDay(context.events);
    return first ? [{ key: 'qualification-starts', at: first, event: { type: 'due.qualificationStarts' } }] : [];
  },
};

const inGroup = (context: GroupContext, enrolmentId: string) =>
  [...context.roster, ...context.waitingList].some((s) => s.enrolmentId === enrolmentId);
const seatFree = (context: GroupContext) => placementOutcome(context.capacity, context.roster.length) === 'placed';
const held = (context: GroupContext, eventId: string) =>
  context.events.some((e) => e.id === eventId && e.status === 'scheduled');

function withAttendance(
  sheets: AttendanceSheet[],
  event: Extract<GroupEvent, { type: 'ATTENDANCE_RECORDED' }>,
): AttendanceSheet[] {
  const sheet = sheets.find((s) => s.eventId === event.eventId) ?? {
    eventId: event.eventId,
    recordedAt: event.recordedAt,
    entries: [],
  };
  const entries = new Map(sheet.entries.map((entry) => [entry.personId, entry]));
  for (const entry of event.entries)
    entries.set(entry.personId, { ...entry, recordedAt: event.recordedAt, recordedBy: event.recordedBy });
  return [...sheets.filter((s) => s.eventId !== event.eventId), { ...sheet, entries: [...entries.values()] }];
}

export function groupMachine() {
  const anyTime = {
    CURRICULUM_SET: { guard: 'noCurriculum', actions: 'setCurriculum' },
    EVENT_MOVED: { guard: 'eventHeld', actions: ['moveEvent', 'announceChange'] },
    EVENT_ADDED: { guard: 'hasCurriculum', actions: ['addEvent', 'announceChange'] },
    EVENT_CANCELLED: { guard: 'eventHeld', actions: ['cancelEvent', 'announceChange'] },
    ATTENDANCE_RECORDED: { guard: 'eventHeld', actions: 'recordAttendance' },
    REFLECTION_CLOSED: { guard: 'phaseOpen', actions: 'closePhase' },
    TANDEM_PLACED: { guard: 'seatFreeFor', actions: 'seat' },
    TANDEM_WAITLISTED: { guard: 'groupFullFor', actions: 'waitlist' },
    TANDEM_MOVED_UP: { guard: 'firstWaitingWithSeat', actions: 'moveUp' },
    TANDEM_LEFT: { guard: 'holdsPlace', actions: 'leave' },
    SEAT_MEMBERS_CHANGED: { guard: 'holdsPlace', actions: 'changeMembers' },
    MODERATORS_ASSIGNED: { actions: 'assignModerators' },
  } as const;
  return setup({
    types: { context: {} as GroupContext, events: {} as GroupEvent, input: {} as GroupInput },
    guards: {
      noCurriculum: ({ context }) => context.events.length === 0,
      hasCurriculum: ({ context }) => context.events.length > 0,
      eventHeld: ({ context, event }) => 'eventId' in event && held(context, event.eventId),
      phaseOpen: ({ context, event }) =>
        event.type === 'REFLECTION_CLOSED' && context.reflections.some((r) => r.id === event.phaseId && !r.closed),
      seatFreeFor: ({ context, event }) =>
        event.type === 'TANDEM_PLACED' && seatFree(context) && !inGroup(context, event.seat.enrolmentId),
      groupFullFor: ({ context, event }) =>
        event.type === 'TANDEM_WAITLISTED' && !seatFree(context) && !inGroup(context, event.seat.enrolmentId),
      firstWaitingWithSeat: ({ context, event }) =>
        event.type === 'TANDEM_MOVED_UP' &&
        seatFree(context) &&
        context.waitingList[0]?.enrolmentId === event.enrolmentId,
      holdsPlace: ({ context, event }) => 'enrolmentId' in event && inGroup(context, event.enrolmentId),
    },
    actions: {
      setCurriculum: assign(({ context, event }) => {
        assertEvent(event, 'CURRICULUM_SET');
        return setCurriculum(context, event.events, event.reflectionDueDaysBefore, event.at);
      }),
      moveEvent: assign(({ context, event }) => {
        assertEvent(event, 'EVENT_MOVED');
        return moveEvent(
          context,
          event.eventId,
          { days: event.days, startTime: event.startTime, place: event.place },
          event.reason,
          event.at,
        );
      }),
      addEvent: assign(({ context, event }) => {
        assertEvent(event, 'EVENT_ADDED');
        return addEvent(context, event.event, event.reason, event.at);
      }),
      cancelEvent: assign(({ context, event }) => {
        assertEvent(event, 'EVENT_CANCELLED');
        return cancelEvent(context, event.eventId, event.reason, event.at);
      }),
      // Runs after the change: tells every member of a seated tandem and the moderators what changed and why, with the
      // changed calendar entries attached (same UIDs, a higher SEQUENCE; a cancelled one as STATUS:CANCELLED).
      announceChange: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, ['EVENT_MOVED', 'EVENT_ADDED', 'EVENT_CANCELLED']);
        const eventId = event.type === 'EVENT_ADDED' ? event.event.id : event.eventId;
        const changed = context.events.find((e) => e.id === eventId)!;
        const change = event.type === 'EVENT_MOVED' ? 'moved' : event.type === 'EVENT_ADDED' ? 'added' : 'cancelled';
        const recipients = [
          ...context.roster.flatMap((seat) => seat.members.map((m) => asRecipient(m, 'participant'))),
          ...context.moderators.map((m) => asRecipient(m, 'moderator')),
        ];
        for (const to of recipients) {
          enqueue.emit(
            mailEmission(`event-changed:${changed.id}:${changed.sequence}`, {
              template: `${PROGRAMME}/event-changed`,
              to,
              data: { ...eventData(changed, context.name), change, reason: event.reason },
              calendarEvents: appointmentsOf(changed, context.name),
            }),
          );
        }
      }),
      recordAttendance: assign(({ context, event }) => {
        assertEvent(event, 'ATTENDANCE_RECORDED');
        return { attendance: withAttendance(context.attendance, event) };
      }),
      closePhase: assign(({ context, event }) => {
        assertEvent(event, 'REFLECTION_CLOSED');
        return {
          reflections: context.reflections.map((r) =>
            r.id === event.phaseId ? { ...r, closed: true, closedAt: event.closedAt, closedBy: event.closedBy } : r,
          ),
        };
      }),
      seat: assign(({ context, event }) => {
        assertEvent(event, 'TANDEM_PLACED');
        return { roster: [...context.roster, event.seat] };
      }),
      waitlist: assign(({ context, event }) => {
        assertEvent(event, 'TANDEM_WAITLISTED');
        return { waitingList: [...context.waitingList, event.seat] };
      }),
      moveUp: assign(({ context, event }) => {
        assertEvent(event, 'TANDEM_MOVED_UP');
        const [first, ...rest] = context.waitingList;
        return { roster: [...context.roster, { ...first, since: event.at }], waitingList: rest };
      }),
      leave: assign(({ context, event }) => {
        assertEvent(event, 'TANDEM_LEFT');
        return {
          roster: context.roster.filter((s) => s.enrolmentId !== event.enrolmentId),
          waitingList: context.waitingList.filter((s) => s.enrolmentId !== event.enrolmentId),
        };
      }),
      changeMembers: assign(({ context, event }) => {
        assertEvent(event, 'SEAT_MEMBERS_CHANGED');
        const change = (seat: Seat) =>
          seat.enrolmentId === event.enrolmentId ? { ...seat, tandemId: event.tandemId, members: event.members } : seat;
        return { roster: context.roster.map(change), waitingList: context.waitingList.map(change) };
      }),
      assignModerators: assign(({ event }) => {
        assertEvent(event, 'MODERATORS_ASSIGNED');
        return { moderatorTandemId: event.moderatorTandemId, moderators: event.moderators };
      }),
    },
  }).createMachine({
    id: GROUP_WORKFLOW,
    context: ({ input }) => ({
      ...input,
      reflectionDueDaysBefore: 0,
      events: [],
      reflections: [],
      attendance: [],
      roster: [],
      waitingList: [],
    }),
    initial: 'forming',
    states: {
      // Tandems are placed and the curriculum planned; nothing has taken place yet.
      forming: { meta: startTimer, on: { ...anyTime, 'due.qualificationStarts': GROUP_RUNNING } },
      [GROUP_RUNNING]: { on: anyTime },
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The enrolment

export type EnrolmentInput = Pick<
  EnrolmentContext,
  'enrolmentId' | 'tandemId' | 'networkId' | 'networkName' | 'districtId' | 'members' | 'predecessorId'
>;

export type EnrolmentEvent =
  | { type: 'INVOLVEMENT_RECORDED'; body: 'staff-council'; involvement: StaffCouncilInvolvement }
  | { type: 'INVOLVEMENT_RECORDED'; body: 'equal-opportunities'; involvement: Involvement }
  | { type: 'REGISTRATION_SUBMITTED' }
  | { type: 'TANDEM_PLACED'; groupId: string }
  | { type: 'TANDEM_WAITLISTED'; groupId: string }
  | { type: 'TANDEM_MOVED_UP'; groupId: string }
  | { type: 'CERTIFICATES_ISSUED'; certificates: IssuedCertificate[]; issuedOn: string; groupName: string }
  | { type: 'EXCHANGE_SCHEDULED'; exchangeId: string; invitationId: string; on: string; place: string; today: string }
  | { type: 'EXCHANGE_ANSWERED'; exchangeId: string; answer: 'accepted' | 'declined'; answeredAt: string }
  | { type: 'MEMBER_REPLACED'; tandemId: string; members: Member[]; exemption: Exemption; creditedModules: string[] }
  | { type: 'TANDEM_REFORMED'; successorTandemId: string; reason: string }
  | { type: 'TANDEM_WITHDRAWN'; reason: string };

export function enrolmentMachine(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  // Before completion a tandem may withdraw; at any time until it ends, a member may change: re-formation, or the
  // enrolment continues with the new member under an exemption the district recorded.
  const memberChanges = {
    TANDEM_REFORMED: { target: 'reformed', actions: 'recordReformation' },
    MEMBER_REPLACED: { actions: 'replaceMember' },
  } as const;
  const open = { ...memberChanges, TANDEM_WITHDRAWN: { target: 'withdrawn', actions: 'recordWithdrawal' } } as const;
  return setup({
    types: { context: {} as EnrolmentContext, events: {} as EnrolmentEvent, input: {} as EnrolmentInput },
    guards: {
      mayBeSubmitted: ({ context }) =>
        checkInvolvements({
          staffCouncil: context.staffCouncil,
          equalOpportunities: context.equalOpportunities?.on ?? null,
        }) === null,
    },
    actions: {
      recordInvolvement: assign(({ event }) => {
        assertEvent(event, 'INVOLVEMENT_RECORDED');
        return event.body === 'staff-council'
          ? { staffCouncil: event.involvement }
          : { equalOpportunities: event.involvement };
      }),
      recordWithdrawal: assign(({ event }) => {
        assertEvent(event, 'TANDEM_WITHDRAWN');
        return { endReason: event.reason };
      }),
      recordReformation: assign(({ event }) => {
        assertEvent(event, 'TANDEM_REFORMED');
        return { successorTandemId: event.successorTandemId, endReason: event.reason };
      }),
      replaceMember: assign(({ context, event }) => {
        assertEvent(event, 'MEMBER_REPLACED');
        return {
          tandemId: event.tandemId,
          members: event.members,
          exemptions: [...context.exemptions, event.exemption],
          creditedModules: event.creditedModules,
        };
      }),
      joinGroup: assign(({ event }) => {
        assertEvent(event, ['TANDEM_PLACED', 'TANDEM_WAITLISTED']);
        return { groupId: event.groupId };
      }),
      keepCertificates: assign(({ event }) => {
        assertEvent(event, 'CERTIFICATES_ISSUED');
        return { certificates: event.certificates };
      }),
      announceCertificates: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'CERTIFICATES_ISSUED');
        for (const member of context.members) {
          const certificate = event.certificates.find((c) => c.personId === member.personId);
          enqueue.emit(
            mailEmission(`certificate-issued:${context.enrolmentId}`, {
              template: `${PROGRAMME}/certificate-issued`,
              to: asRecipient(member, 'participant'),
              data: {
                name: member.name,
                networkName: context.networkName,
                groupName: event.groupName,
                issuedOn: event.issuedOn,
                code: certificate?.code,
                hours: certificate?.hours,
              },
              ...(certificate ? { documents: [{ kind: CERTIFICATE_DOCUMENT, id: certificate.certificateId }] } : {}),
            }),
          );
        }
      }),
      // Invited 8 weeks ahead by reminder; an exchange scheduled later than that is announced at once.
      inviteToExchange: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'EXCHANGE_SCHEDULED');
        const atOnce = invitationDayPassed(policy, event.on, event.today);
        const invitation: ExchangeInvitation = {
          exchangeId: event.exchangeId,
          invitationId: event.invitationId,
          on: event.on,
          place: event.place,
          answer: null,
          answeredAt: null,
          invitedAtOnce: atOnce,
        };
        enqueue.assign({
          exchanges: [...context.exchanges.filter((x) => x.exchangeId !== event.exchangeId), invitation],
        });
        if (!atOnce) return;
        for (const member of context.members) {
          enqueue.emit(
            mailEmission(`exchange-invitation:${event.exchangeId}`, {
              template: `${PROGRAMME}/exchange-invitation`,
              to: asRecipient(member, 'participant'),
              data: exchangeData(invitation, context.networkName, member),
            }),
          );
        }
      }),
      recordAnswer: assign(({ context, event }) => {
        assertEvent(event, 'EXCHANGE_ANSWERED');
        return {
          exchanges: context.exchanges.map((x) =>
            x.exchangeId === event.exchangeId ? { ...x, answer: event.answer, answeredAt: event.answeredAt } : x,
          ),
        };
      }),
    },
  }).createMachine({
    id: PROGRAMME,
    context: ({ input }) => ({
      ...input,
      staffCouncil: null,
      equalOpportunities: null,
      groupId: null,
      certificates: [],
      exchanges: [],
      exemptions: [],
      creditedModules: [],
      successorTandemId: null,
      endReason: null,
    }),
    initial: 'nominated',
    states: {
      nominated: {
        on: {
          INVOLVEMENT_RECORDED: { actions: 'recordInvolvement' },
          REGISTRATION_SUBMITTED: { guard: 'mayBeSubmitted', target: 'registered' },
          ...open,
        },
      },
      registered: {
        on: {
          TANDEM_PLACED: { target: 'placed', actions: 'joinGroup' },
          TANDEM_WAITLISTED: { target: 'waitlisted', actions: 'joinGroup' },
          ...open,
        },
      },
      waitlisted: { on: { TANDEM_MOVED_UP: 'placed', ...open } },
      // In its group; whether the qualification has begun is the group's to say (its first event).
      placed: {
        on: {
          CERTIFICATES_ISSUED: { target: 'completed', actions: ['keepCertificates', 'announceCertificates'] },
          ...open,
        },
      },
      completed: { on: { EXCHANGE_SCHEDULED: { target: 'alumni', actions: 'inviteToExchange' }, ...memberChanges } },
      alumni: {
        on: {
          EXCHANGE_SCHEDULED: { actions: 'inviteToExchange' },
          EXCHANGE_ANSWERED: { actions: 'recordAnswer' },
          ...memberChanges,
        },
      },
      withdrawn: { type: 'final' },
      reformed: { type: 'final' },
    },
  });
}

/** The enrolment workflow with a reminder policy (the default one, or one changed by configuration). */
export function tandemQualificationWorkflow(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return defineWorkflow({
    name: PROGRAMME,
    version: 2,
    writtenBy: 'programme',
    title: 'Tandem-Qualifizierung NRW: Anmeldung bis Erfahrungsaustausch',
    machine: enrolmentMachine(policy),
    corrections: ENROLMENT_CORRECTIONS,
    timers: (view) =>
      reminderTimers(policy, enrolmentDeadlines(view.context as EnrolmentContext, view.matches('alumni'))),
  });
}

export function qualificationGroupWorkflow(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return defineWorkflow({
    name: GROUP_WORKFLOW,
    version: 2,
    writtenBy: 'programme',
    title: 'Tandem-Qualifizierung NRW: Qualifizierungsgruppe',
    machine: groupMachine(),
    corrections: GROUP_CORRECTIONS,
    timers: (view) => reminderTimers(policy, groupDeadlines(view.context as GroupContext)),
  });
}

/** Both workflows of the programme, sharing one reminder policy. */
export function tandemQualificationWorkflows(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return [tandemQualificationWorkflow(policy), qualificationGroupWorkflow(policy)];
}

/** Events a programme command sends, checked against the machines' event types at compile time. */
export function groupEvent(event: ClientGroupEvent): ClientGroupEvent {
  return event;
}

export function enrolmentEvent(event: EnrolmentEvent): EnrolmentEvent {
  return event;
}
