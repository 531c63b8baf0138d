/**
 * `evaluation-meeting`: one instance per evaluation year, holding the ministry's Dienstbesprechung on that year's
 * findings. Its only deadlines are its reminders (definition `timers`, from the reminder policy), so moving the day
 * moves them and cancelling the meeting drops those still pending. The evaluation service writes it; the machine
 * holds no I/O.
 */
import { assertEvent, assign, setup } from 'xstate';
import { defineWorkflow } from '../../src/engine/workflow.js';
import { reminderTimers, type ReminderPolicy } from '../shared/reminders.js';
import { meetingDeadlines, PROGRAMME, type MeetingContext, type MinistryRecipient } from './meeting.js';
import { EVALUATION_MEETING_REMINDERS } from './reminders.js';

export type MeetingInput = Omit<MeetingContext, 'revision'>;

export type MeetingEvent =
  | { type: 'MEETING_SET'; on: string; place: string | null; recipients: MinistryRecipient[]; changedAt: string }
  | { type: 'CANCEL'; changedAt: string };

export function meetingMachine() {
  return setup({
    types: { context: {} as MeetingContext, events: {} as MeetingEvent, input: {} as MeetingInput },
    actions: {
      record: assign(({ context, event }) => {
        assertEvent(event, 'MEETING_SET');
        // Only a change of day or place changes the calendar entry; new recipients do not.
        const moved = event.on !== context.on || event.place !== context.place;
        return {
          on: event.on,
          place: event.place,
          recipients: event.recipients,
          ...(moved ? { revision: context.revision + 1, changedAt: event.changedAt } : {}),
        };
      }),
      // A meeting set again after a cancellation is a new calendar entry for whoever removed the old one.
      reinstate: assign(({ context, event }) => {
        assertEvent(event, 'MEETING_SET');
        return {
          on: event.on,
          place: event.place,
          recipients: event.recipients,
          revision: context.revision + 1,
          changedAt: event.changedAt,
        };
      }),
    },
  }).createMachine({
    id: PROGRAMME,
    context: ({ input }) => ({ ...input, revision: 0 }),
    initial: 'scheduled',
    states: {
      scheduled: { on: { MEETING_SET: { actions: 'record' }, CANCEL: 'cancelled' } },
      cancelled: { on: { MEETING_SET: { target: 'scheduled', actions: 'reinstate' } } },
    },
  });
}

/** The meeting workflow with a reminder policy (the default one, or one changed by configuration). */
export function evaluationMeetingWorkflow(policy: ReminderPolicy = EVALUATION_MEETING_REMINDERS) {
  return defineWorkflow({
    name: PROGRAMME,
    version: 1,
    writtenBy: 'programme',
    title: 'Tandem-Qualifizierung NRW: Dienstbesprechung des Ministeriums zur Evaluation',
    machine: meetingMachine(),
    timers: (view) =>
      view.matches('scheduled') ? reminderTimers(policy, meetingDeadlines(view.context as MeetingContext)) : [],
  });
}
