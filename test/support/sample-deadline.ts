/**
 * A small definition used by the engine's own tests and benchmark, not a programme: a request that must be
 * decided by a deadline, with an escalation timer, a reminder effect and an emitted effect.
 */
import { assign, emit, setup } from 'xstate';
import { defineWorkflow, type StateTimers } from '../../src/engine/workflow.js';
import { addDays } from '../../workflows/shared/calendar-day.js';

export interface SampleContext {
  title: string;
  /** Calendar day by which a decision is due. */
  decideBy: string;
  notes: number;
  decision: 'approved' | 'rejected' | null;
}

type SampleEvent =
  | { type: 'SUBMIT' }
  | { type: 'NOTE' }
  | { type: 'APPROVE' }
  | { type: 'REJECT' }
  | { type: 'WITHDRAW' }
  | { type: 'due.decision' };

const submittedTimers: StateTimers<SampleContext> = {
  timers: (context) => [
    { key: 'decision', at: context.decideBy, event: { type: 'due.decision' } },
    {
      key: 'decision-reminder',
      at: `${addDays(context.decideBy, -2)}T08:00`,
      effect: {
        kind: 'sample-notice',
        key: `reminder:${context.decideBy}`,
        payload: { text: `decide "${context.title}" by ${context.decideBy} (${context.notes} notes)` },
      },
    },
  ],
};

function sampleMachine(options: { withdrawable: boolean }) {
  const decide = {
    APPROVE: { target: 'decided', actions: ['approve', 'announceDecision'] },
    REJECT: { target: 'decided', actions: ['reject', 'announceDecision'] },
  } as const;
  return setup({
    types: {
      context: {} as SampleContext,
      events: {} as SampleEvent,
      input: {} as { title: string; decideBy: string },
    },
    actions: {
      countNote: assign({ notes: ({ context }) => context.notes + 1 }),
      approve: assign({ decision: 'approved' as const }),
      reject: assign({ decision: 'rejected' as const }),
      announceDecision: emit(({ context }) => ({
        type: 'sample-notice',
        key: `decided:${context.title}`,
        payload: { text: `"${context.title}" decided` },
      })),
    },
  }).createMachine({
    id: 'sample-deadline',
    context: ({ input }) => ({ title: input.title, decideBy: input.decideBy, notes: 0, decision: null }),
    initial: 'draft',
    on: { NOTE: { actions: 'countNote' } },
    states: {
      draft: { on: { SUBMIT: 'submitted', ...(options.withdrawable ? { WITHDRAW: 'withdrawn' } : {}) } },
      submitted: { meta: submittedTimers, on: { ...decide, 'due.decision': 'escalated' } },
      escalated: { on: decide },
      decided: { type: 'final' },
      withdrawn: { type: 'final' },
    },
  });
}

export const sampleDeadlineV1 = defineWorkflow({
  name: 'sample-deadline',
  version: 1,
  title: 'Sample: decision by a deadline',
  machine: sampleMachine({ withdrawable: false }),
});

/** Version 2 lets a draft be withdrawn; a version 1 instance moves over only through this explicit migration. */
export const sampleDeadlineV2 = defineWorkflow({
  name: 'sample-deadline',
  version: 2,
  title: 'Sample: decision by a deadline (withdrawable)',
  machine: sampleMachine({ withdrawable: true }),
  migrations: { 1: (persisted) => persisted },
});
