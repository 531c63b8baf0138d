/**
 * A small mail-emitting definition for the notification tests and the mail benchmark, not a programme: a course
 * whose events are reminded 14 and 2 days before (to participants and moderators, with .ics), and which can send
 * a notice right away. Its templates are German and English like the programmes'.
 */
import { assign, emit, setup } from 'xstate';
import { defineWorkflow } from '../../src/engine/workflow.js';
import { mailEmission, type MessageTemplate, type Recipient } from '../../workflows/shared/mail.js';
import { reminderTimers, type Deadline, type ReminderPolicy } from '../../workflows/shared/reminders.js';

export interface CourseEvent {
  id: string;
  title: string;
  /** YYYY-MM-DD */
  on: string;
  location: string;
}

export interface CourseContext {
  course: string;
  members: Recipient[];
  events: CourseEvent[];
}

type CourseEventType =
  | { type: 'RESCHEDULE'; eventId: string; on: string }
  | { type: 'NOTIFY'; key: string; template: string; to: Recipient }
  | { type: 'CLOSE' };

export const coursePolicy: ReminderPolicy = {
  programme: 'mail-course',
  region: 'NW',
  rules: [
    {
      key: 'event-upcoming',
      deadline: 'event',
      offsets: ['-P14D', '-P2D'],
      roles: ['participant', 'moderator'],
      template: 'mail-course/event-upcoming',
    },
  ],
};

function deadlinesOf(context: CourseContext): Deadline[] {
  return context.events.map((event) => ({
    kind: 'event',
    id: event.id,
    on: event.on,
    recipients: context.members,
    data: { course: context.course, title: event.title, location: event.location },
    calendarEvents: [
      {
        uid: `${event.id}@lotse.test`,
        title: event.title,
        start: `${event.on}T09:00`,
        end: `${event.on}T16:00`,
        location: event.location,
      },
    ],
  }));
}

const machine = setup({
  types: { context: {} as CourseContext, events: {} as CourseEventType, input: {} as CourseContext },
  actions: {
    reschedule: assign({
      events: ({ context, event }) =>
        context.events.map((e) => (event.type === 'RESCHEDULE' && e.id === event.eventId ? { ...e, on: event.on } : e)),
    }),
    notify: emit(({ event }) => {
      const notice = event as Extract<CourseEventType, { type: 'NOTIFY' }>;
      return mailEmission(notice.key, { template: notice.template, to: notice.to, data: {} });
    }),
  },
}).createMachine({
  id: 'mail-course',
  context: ({ input }) => input,
  initial: 'running',
  states: {
    running: { on: { RESCHEDULE: { actions: 'reschedule' }, NOTIFY: { actions: 'notify' }, CLOSE: 'closed' } },
    closed: { type: 'final' },
  },
});

export const mailCourse = defineWorkflow({
  name: 'mail-course',
  version: 1,
  title: 'Test: a course with event reminders',
  machine,
  timers: (view) =>
    view.matches('closed') ? [] : reminderTimers(coursePolicy, deadlinesOf(view.context as CourseContext)),
});

const germanDate = (day: string) => day.split('-').reverse().join('.');

const eventUpcoming: MessageTemplate = (data, language) => {
  const { course, title, location, deadlineOn } = data as {
    course: string;
    title: string;
    location: string;
    deadlineOn: string;
  };
  return language === 'en'
    ? {
        subject: `Reminder: ${title} on ${deadlineOn}`,
        text: `${course}: "${title}" takes place on ${deadlineOn} in ${location}. The appointment is attached.`,
        html: `<p>${course}: <strong>${title}</strong> takes place on ${deadlineOn} in ${location}.</p>`,
      }
    : {
        subject: `Erinnerung: ${title} am ${germanDate(deadlineOn)}`,
        text: `${course}: „${title}“ findet am ${germanDate(deadlineOn)} in ${location} statt. Der Termin hängt an.`,
        html: `<p>${course}: <strong>${title}</strong> findet am ${germanDate(deadlineOn)} in ${location} statt.</p>`,
      };
};

const notice: MessageTemplate = (_data, language) =>
  language === 'en'
    ? { subject: 'Notice', text: 'A notice.', html: '<p>A notice.</p>' }
    : { subject: 'Mitteilung', text: 'Eine Mitteilung.', html: '<p>Eine Mitteilung.</p>' };

export const courseMessages: Record<string, MessageTemplate> = {
  'mail-course/event-upcoming': eventUpcoming,
  'mail-course/notice': notice,
};
