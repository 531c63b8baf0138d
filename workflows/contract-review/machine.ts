/**
 * The life of a Bildungsregion cooperation contract: active (a three-year review cycle, amendments, secondments,
 * annual reports) until an ordinary notice runs out or an extraordinary termination arrives. Two deadlines change
 * the state: the review's due day (`due.review`: the decision is now outstanding) and the end of the notice period
 * (`due.termination`). Everything else that is "due" is a reminder derived from the deadlines.
 */
import { assign, enqueueActions, setup } from 'xstate';
import { defineWorkflow, type StateTimers, type WorkflowDefinition } from '../../src/engine/workflow.js';
import { mailEmission } from '../shared/mail.js';
import { reminderTimers, type ReminderPolicy } from '../shared/reminders.js';
import {
  apply,
  initialContext,
  recipientsOf,
  refusal,
  type ClientEvent,
  type ContractContext,
  type ContractEvent,
  type ContractInput,
} from './contract.js';
import { addDays, earliestNoticeEffectiveDate } from './dates.js';
import { deadlinesOf } from './deadlines.js';
import { contractReviewReminders, PROGRAMME } from './reminders.js';

type Emitted = { type: string; key: string; payload: Record<string, unknown> };
type Of<T extends ClientEvent['type']> = Extract<ClientEvent, { type: T }>;

/** On the review's due day an undecided review becomes visible in the state; a decision taken earlier moves the
 * timer to the next cycle's day (the engine re-declares it from the context). */
const reviewTimers: StateTimers<ContractContext> = {
  timers: (context) => [{ key: 'review', at: context.reviewDueOn, event: { type: 'due.review' } }],
};

/** The partners stay bound through the whole effective day; the contract ends as that day ends. */
const noticePeriodTimers: StateTimers<ContractContext> = {
  timers: (context) => [
    { key: 'termination', at: addDays(context.notice!.effectiveOn, 1), event: { type: 'due.termination' } },
  ],
};

/** What a contract under review accepts, before and after the review's due day. */
const reviewEvents = {
  RECORD_EVALUATION: { guard: 'allowed', actions: 'recordEvaluation' },
  GIVE_NOTICE: { guard: 'allowed', target: 'noticePeriod', actions: ['recordNotice', 'announceNotice'] },
} as const;

export const contractReviewMachine = setup({
  types: {
    context: {} as ContractContext,
    events: {} as ContractEvent,
    input: {} as ContractInput,
    emitted: {} as Emitted,
  },
  guards: {
    allowed: ({ context, event }) => refusal(context, event as ClientEvent) === null,
    discontinues: ({ context, event }) =>
      event.type === 'DECIDE_REVIEW' && event.decision === 'discontinue' && refusal(context, event) === null,
  },
  actions: {
    recordEvaluation: assign(({ context, event }) => apply.evaluation(context, event as Of<'RECORD_EVALUATION'>)),
    decideReview: assign(({ context, event }) => apply.review(context, event as Of<'DECIDE_REVIEW'>)),
    recordNotice: assign(({ context, event }) => apply.notice(context, event as Of<'GIVE_NOTICE'>)),
    endByNotice: assign(({ context }) => apply.ordinaryTermination(context)),
    endExtraordinarily: assign(({ context, event }) =>
      apply.extraordinaryTermination(context, event as Of<'TERMINATE_EXTRAORDINARILY'>),
    ),
    proposeAmendment: assign(({ context, event }) => apply.proposal(context, event as Of<'PROPOSE_AMENDMENT'>)),
    confirmAmendment: assign(({ context, event }) => apply.confirmation(context, event as Of<'CONFIRM_AMENDMENT'>)),
    recordAnnualReport: assign(({ context, event }) =>
      apply.annualReport(context, event as Of<'RECORD_ANNUAL_REPORT'>),
    ),
    secondCoordinator: assign(({ context, event }) => apply.secondment(context, event as Of<'SECOND_COORDINATOR'>)),
    decideSecondmentEnd: assign(({ context, event }) =>
      apply.secondmentDecision(context, event as Of<'DECIDE_SECONDMENT_END'>),
    ),
    recordCoordinatorConsent: assign(({ context, event }) =>
      apply.coordinatorConsent(context, event as Of<'RECORD_COORDINATOR_CONSENT'>),
    ),
    recordCoordinatorQualification: assign(({ context, event }) =>
      apply.coordinatorQualification(context, event as Of<'RECORD_COORDINATOR_QUALIFICATION'>),
    ),
    nameSchoolAuthorityRepresentative: assign(({ context, event }) =>
      apply.schoolAuthorityRepresentative(context, event as Of<'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE'>),
    ),
    recordKommuneResources: assign(({ context, event }) =>
      apply.kommuneResources(context, event as Of<'RECORD_KOMMUNE_RESOURCES'>),
    ),
    announceNotice: enqueueActions(({ context, enqueue }) => {
      const notice = context.notice!;
      for (const to of recipientsOf(context)) {
        enqueue.emit(
          mailEmission(`notice:${notice.receivedOn}`, {
            template: `${PROGRAMME}/notice-received`,
            to,
            data: {
              bildungsregion: context.bildungsregion,
              contractId: context.contractId,
              ...notice,
              earliestEffectiveOn: earliestNoticeEffectiveDate(notice.receivedOn),
            },
          }),
        );
      }
    }),
    announceAmendmentInForce: enqueueActions(({ context, event, enqueue }) => {
      const amendment = context.amendments.find((a) => a.id === (event as Of<'CONFIRM_AMENDMENT'>).amendmentId);
      if (!amendment?.inForceOn) return;
      for (const to of recipientsOf(context)) {
        enqueue.emit(
          mailEmission(`amendment:${amendment.id}:in-force`, {
            template: `${PROGRAMME}/amendment-in-force`,
            to,
            data: {
              bildungsregion: context.bildungsregion,
              contractId: context.contractId,
              title: amendment.title,
              inForceOn: amendment.inForceOn,
            },
          }),
        );
      }
    }),
    announceTermination: enqueueActions(({ context, enqueue }) => {
      const termination = context.termination!;
      for (const to of recipientsOf(context)) {
        enqueue.emit(
          mailEmission('terminated', {
            template: `${PROGRAMME}/contract-terminated`,
            to,
            data: { bildungsregion: context.bildungsregion, contractId: context.contractId, ...termination },
          }),
        );
      }
    }),
  },
}).createMachine({
  id: 'contract-review',
  context: ({ input }) => initialContext(input),
  initial: 'active',
  states: {
    active: {
      initial: 'running',
      on: {
        PROPOSE_AMENDMENT: { guard: 'allowed', actions: 'proposeAmendment' },
        CONFIRM_AMENDMENT: { guard: 'allowed', actions: ['confirmAmendment', 'announceAmendmentInForce'] },
        RECORD_ANNUAL_REPORT: { guard: 'allowed', actions: 'recordAnnualReport' },
        SECOND_COORDINATOR: { guard: 'allowed', actions: 'secondCoordinator' },
        DECIDE_SECONDMENT_END: { guard: 'allowed', actions: 'decideSecondmentEnd' },
        RECORD_COORDINATOR_CONSENT: { guard: 'allowed', actions: 'recordCoordinatorConsent' },
        RECORD_COORDINATOR_QUALIFICATION: { guard: 'allowed', actions: 'recordCoordinatorQualification' },
        NAME_SCHOOL_AUTHORITY_REPRESENTATIVE: { guard: 'allowed', actions: 'nameSchoolAuthorityRepresentative' },
        RECORD_KOMMUNE_RESOURCES: { guard: 'allowed', actions: 'recordKommuneResources' },
        TERMINATE_EXTRAORDINARILY: { guard: 'allowed', target: 'terminated', actions: 'endExtraordinarily' },
      },
      states: {
        running: {
          meta: reviewTimers,
          on: {
            ...reviewEvents,
            DECIDE_REVIEW: [
              { guard: 'discontinues', target: 'noticePeriod', actions: ['decideReview', 'announceNotice'] },
              { guard: 'allowed', actions: 'decideReview' },
            ],
            'due.review': 'reviewDue',
          },
        },
        /** The due day has come and the review is not decided: the contract runs on, the decision is outstanding. */
        reviewDue: {
          on: {
            ...reviewEvents,
            DECIDE_REVIEW: [
              { guard: 'discontinues', target: 'noticePeriod', actions: ['decideReview', 'announceNotice'] },
              { guard: 'allowed', target: 'running', actions: 'decideReview' },
            ],
          },
        },
        noticePeriod: {
          meta: noticePeriodTimers,
          on: { 'due.termination': { target: '#contract-review.terminated', actions: 'endByNotice' } },
        },
      },
    },
    terminated: { type: 'final', entry: 'announceTermination' },
  },
});

/** The workflow with a reminder policy (the default, or one changed by configuration). */
export function contractReviewWorkflow(
  policy: ReminderPolicy = contractReviewReminders,
): WorkflowDefinition<typeof contractReviewMachine> {
  return defineWorkflow({
    name: PROGRAMME,
    version: 1,
    writtenBy: 'programme',
    title: 'Kooperationsvertrag Bildungsregion: dreijährige Überprüfung',
    machine: contractReviewMachine,
    timers: (view) => reminderTimers(policy, deadlinesOf(view.context as ContractContext)),
  });
}
