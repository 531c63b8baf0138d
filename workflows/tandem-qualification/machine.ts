/**
 * Two workflows of the tandem qualification:
 * - `tandem-qualification`: one enrolment of one tandem, from nomination by its district to the alumni years.
 * - `qualification-group`: one group's schedule, so that its moderators are reminded once per group, not once per
 *   enrolment.
 * The service keeps the database and these contexts in step (same transaction); machines hold no I/O. Time is
 * declared in `meta.timers` (the start of the qualification) and in the definition's reminder timers.
 */
import { assertEvent, assign, enqueueActions, setup } from 'xstate';
import { defineWorkflow, type StateTimers } from '../../src/engine/workflow.js';
import { mailEmission } from '../shared/mail.js';
import { reminderTimers, type ReminderPolicy } from '../shared/reminders.js';
import {
  CERTIFICATE_DOCUMENT, GROUP_WORKFLOW, PROGRAMME, type EnrolmentContext, type ExchangeInvitation, type GroupContext, type Involvement,
  type IssuedCertificate, type Member, type Person, type ReflectionTask, type ScheduledEvent,
} from './model.js';
import { asRecipient, enrolmentDeadlines, exchangeData, groupDeadlines, TANDEM_QUALIFICATION_REMINDERS } from './reminders.js';
import { checkInvolvements, invitationDayPassed } from './rules.js';

export type EnrolmentInput = Pick<EnrolmentContext, 'enrolmentId' | 'tandemId' | 'networkId' | 'networkName' | 'districtId' | 'members'>;

export type EnrolmentEvent =
  | { type: 'INVOLVEMENT_RECORDED'; body: 'staff-council' | 'equal-opportunities'; involvement: Involvement }
  | { type: 'SUBMIT' }
  | { type: 'PLACED'; groupId: string; groupName: string; schedule: ScheduledEvent[]; reflections: ReflectionTask[] }
  | { type: 'WAITLISTED'; groupId: string; groupName: string }
  | { type: 'SCHEDULE_UPDATED'; schedule: ScheduledEvent[]; reflections: ReflectionTask[] }
  | { type: 'CERTIFICATES_ISSUED'; certificates: IssuedCertificate[]; issuedOn: string }
  | { type: 'EXCHANGE_SCHEDULED'; exchangeId: string; invitationId: string; on: string; place: string; today: string }
  | { type: 'EXCHANGE_ANSWERED'; exchangeId: string; answer: 'accepted' | 'declined' }
  | { type: 'MEMBER_REPLACED'; members: Member[]; exemption: { on: string; reason: string; replaced: string; by: string } }
  | { type: 'REFORMED'; successorTandemId: string; reason: string }
  | { type: 'WITHDRAW'; reason: string }
  | { type: 'due.qualificationStarts' };

const placedTimers: StateTimers<EnrolmentContext> = {
  // The qualification begins on the first day of the group's first event; no curriculum yet, no timer yet.
  timers: (context) => (context.schedule.length
    ? [{ key: 'qualification-starts', at: [...context.schedule].sort((a, b) => a.days[0].localeCompare(b.days[0]))[0].days[0], event: { type: 'due.qualificationStarts' } }]
    : []),
};

export function enrolmentMachine() {
  // Whatever state a tandem is in before completion, it may withdraw, be re-formed, or keep going with a new member
  // under an exemption the district recorded.
  const participating = {
    WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
    REFORMED: { target: 'reformed', actions: 'recordReformation' },
    MEMBER_REPLACED: { actions: 'replaceMember' },
  } as const;
  return setup({
    types: { context: {} as EnrolmentContext, events: {} as EnrolmentEvent, input: {} as EnrolmentInput },
    guards: {
      bothInvolvementsRecorded: ({ context }) => checkInvolvements({
        staffCouncil: context.staffCouncil?.on ?? null, equalOpportunities: context.equalOpportunities?.on ?? null,
      }) === null,
    },
    actions: {
      recordInvolvement: assign(({ event }) => {
        assertEvent(event, 'INVOLVEMENT_RECORDED');
        return event.body === 'staff-council' ? { staffCouncil: event.involvement } : { equalOpportunities: event.involvement };
      }),
      recordWithdrawal: assign(({ event }) => {
        assertEvent(event, 'WITHDRAW');
        return { endReason: event.reason };
      }),
      recordReformation: assign(({ event }) => {
        assertEvent(event, 'REFORMED');
        return { successorTandemId: event.successorTandemId, endReason: event.reason };
      }),
      replaceMember: assign(({ context, event }) => {
        assertEvent(event, 'MEMBER_REPLACED');
        return { members: event.members, exemptions: [...context.exemptions, event.exemption] };
      }),
      joinWaitingList: assign(({ event }) => {
        assertEvent(event, 'WAITLISTED');
        return { groupId: event.groupId, groupName: event.groupName };
      }),
      takeSeat: assign(({ event }) => {
        assertEvent(event, 'PLACED');
        return { groupId: event.groupId, groupName: event.groupName, schedule: event.schedule, reflections: event.reflections };
      }),
      updateSchedule: assign(({ event }) => {
        assertEvent(event, 'SCHEDULE_UPDATED');
        return { schedule: event.schedule, reflections: event.reflections };
      }),
      keepCertificates: assign(({ event }) => {
        assertEvent(event, 'CERTIFICATES_ISSUED');
        return { certificates: event.certificates };
      }),
      announceCertificates: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'CERTIFICATES_ISSUED');
        for (const member of context.members) {
          const certificate = event.certificates.find((c) => c.personId === member.personId);
          enqueue.emit(mailEmission(`certificate-issued:${context.enrolmentId}`, {
            template: `${PROGRAMME}/certificate-issued`,
            to: asRecipient(member, 'participant'),
            data: { name: member.name, networkName: context.networkName, groupName: context.groupName, issuedOn: event.issuedOn, code: certificate?.code, hours: certificate?.hours },
            ...(certificate ? { documents: [{ kind: CERTIFICATE_DOCUMENT, id: certificate.certificateId }] } : {}),
          }));
        }
      }),
      // Invited 8 weeks ahead by reminder; an exchange scheduled later than that is announced at once.
      inviteToExchange: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'EXCHANGE_SCHEDULED');
        const atOnce = invitationDayPassed(event.on, event.today);
        const invitation: ExchangeInvitation = {
          exchangeId: event.exchangeId, invitationId: event.invitationId, on: event.on, place: event.place, answer: null, invitedAtOnce: atOnce,
        };
        enqueue.assign({ exchanges: [...context.exchanges.filter((x) => x.exchangeId !== event.exchangeId), invitation] });
        if (!atOnce) return;
        for (const member of context.members) {
          enqueue.emit(mailEmission(`exchange-invitation:${event.exchangeId}`, {
            template: `${PROGRAMME}/exchange-invitation`, to: asRecipient(member, 'participant'), data: exchangeData(invitation, context.networkName, member),
          }));
        }
      }),
      recordAnswer: assign(({ context, event }) => {
        assertEvent(event, 'EXCHANGE_ANSWERED');
        return { exchanges: context.exchanges.map((x) => (x.exchangeId === event.exchangeId ? { ...x, answer: event.answer } : x)) };
      }),
    },
  }).createMachine({
    id: PROGRAMME,
    context: ({ input }) => ({
      ...input, staffCouncil: null, equalOpportunities: null, groupId: null, groupName: null, schedule: [], reflections: [],
      certificates: [], exchanges: [], exemptions: [], successorTandemId: null, endReason: null,
    }),
    initial: 'nominated',
    states: {
      nominated: {
        on: {
          INVOLVEMENT_RECORDED: { actions: 'recordInvolvement' },
          SUBMIT: { guard: 'bothInvolvementsRecorded', target: 'registered' },
          ...participating,
        },
      },
      registered: {
        on: { PLACED: { target: 'placed', actions: 'takeSeat' }, WAITLISTED: { target: 'waitlisted', actions: 'joinWaitingList' }, ...participating },
      },
      waitlisted: {
        // Moving up when a seat frees.
        on: { PLACED: { target: 'placed', actions: 'takeSeat' }, ...participating },
      },
      placed: {
        meta: placedTimers,
        on: { SCHEDULE_UPDATED: { actions: 'updateSchedule' }, 'due.qualificationStarts': 'in_qualification', ...participating },
      },
      in_qualification: {
        on: {
          SCHEDULE_UPDATED: { actions: 'updateSchedule' },
          CERTIFICATES_ISSUED: { target: 'completed', actions: ['keepCertificates', 'announceCertificates'] },
          ...participating,
        },
      },
      completed: { on: { EXCHANGE_SCHEDULED: { target: 'alumni', actions: 'inviteToExchange' } } },
      alumni: { on: { EXCHANGE_SCHEDULED: { actions: 'inviteToExchange' }, EXCHANGE_ANSWERED: { actions: 'recordAnswer' } } },
      withdrawn: { type: 'final' },
      reformed: { type: 'final' },
    },
  });
}

export interface GroupInput {
  groupId: string;
  name: string;
  moderators: Person[];
}

export type GroupEvent =
  | { type: 'SCHEDULE_UPDATED'; events: ScheduledEvent[]; reflections: ReflectionTask[]; attendanceRecorded: string[] }
  | { type: 'CLOSE' };

export function groupMachine() {
  return setup({
    types: { context: {} as GroupContext, events: {} as GroupEvent, input: {} as GroupInput },
    actions: {
      updateSchedule: assign(({ event }) => {
        assertEvent(event, 'SCHEDULE_UPDATED');
        return { events: event.events, reflections: event.reflections, attendanceRecorded: event.attendanceRecorded };
      }),
    },
  }).createMachine({
    id: GROUP_WORKFLOW,
    context: ({ input }) => ({ ...input, events: [], reflections: [], attendanceRecorded: [] }),
    initial: 'running',
    states: {
      running: { on: { SCHEDULE_UPDATED: { actions: 'updateSchedule' }, CLOSE: 'closed' } },
      closed: { type: 'final' },
    },
  });
}

/** The enrolment workflow with a reminder policy (the default one, or one changed by configuration). */
export function tandemQualificationWorkflow(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return defineWorkflow({
    name: PROGRAMME,
    version: 1,
    writtenBy: 'programme',
    title: 'Tandem-Qualifizierung NRW: Anmeldung bis Erfahrungsaustausch',
    machine: enrolmentMachine(),
    timers: (view) => reminderTimers(policy, enrolmentDeadlines(
      view.context as EnrolmentContext, view.matches('placed') || view.matches('in_qualification'), view.matches('alumni'),
    )),
  });
}

export function qualificationGroupWorkflow(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return defineWorkflow({
    name: GROUP_WORKFLOW,
    version: 1,
    writtenBy: 'programme',
    title: 'Tandem-Qualifizierung NRW: Qualifizierungsgruppe',
    machine: groupMachine(),
    timers: (view) => (view.matches('running') ? reminderTimers(policy, groupDeadlines(view.context as GroupContext)) : []),
  });
}

/** Both workflows of the programme, sharing one reminder policy. */
export function tandemQualificationWorkflows(policy: ReminderPolicy = TANDEM_QUALIFICATION_REMINDERS) {
  return [tandemQualificationWorkflow(policy), qualificationGroupWorkflow(policy)];
}
