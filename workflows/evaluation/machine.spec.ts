import { describe, expect, it } from '@jest/globals';
import { applyEvent, startInstance, type Step } from '../../src/engine/machine-runtime.js';
import { withOverrides } from '../shared/reminders.js';
import { evaluationMeetingWorkflow, type MeetingEvent, type MeetingInput } from './machine.js';
import type { MeetingContext } from './meeting.js';
import { EVALUATION_MEETING_MESSAGES } from './messages.js';
import { EVALUATION_MEETING_REMINDERS } from './reminders.js';

const ZONE = 'Europe/Berlin';
const workflow = evaluationMeetingWorkflow();
const JANA = { name: 'Dr. Jana Küpper', email: 'jana.kuepper@msb.nrw.example', language: 'de' as const };
const TOM = { name: 'Tom Baker', email: 'tom.baker@msb.nrw.example', language: 'en' as const };
const input: MeetingInput = {
  year: 2026,
  on: '2027-03-11',
  place: 'Düsseldorf',
  recipients: [JANA, TOM],
  changedAt: '2026-12-01T09:00:00.000Z',
};

function run(...events: MeetingEvent[]): Step {
  let step = startInstance(workflow, input, ZONE);
  for (const event of events) step = applyEvent(workflow, step.persisted, event, ZONE);
  return step;
}

/** Each timer as `who at when`, in Berlin's wall time. */
const timers = (step: Step) =>
  step.timers.map((t) => `${(t.effect!.payload.to as { email: string }).email} ${t.dueAt.toISOString()}`).sort();

describe('evaluation-meeting machine', () => {
  it('reminds each recipient 4 weeks and 1 week before, at 08:00, with the report and the meeting attached', () => {
    const step = run();
    expect(step.state).toBe('scheduled');
    // 11 March 2027 is a Thursday; 4 weeks before is 11 February, 1 week before 4 March (08:00 CET = 07:00 UTC).
    expect(timers(step)).toEqual([
      `${JANA.email} 2027-02-11T07:00:00.000Z`,
      `${JANA.email} 2027-03-04T07:00:00.000Z`,
      `${TOM.email} 2027-02-11T07:00:00.000Z`,
      `${TOM.email} 2027-03-04T07:00:00.000Z`,
    ]);
    const payload = step.timers[0].effect!.payload as {
      template: string;
      documents: unknown;
      calendarEvents: { start: string; sequence: number }[];
      data: Record<string, unknown>;
    };
    expect(payload.template).toBe('evaluation-meeting/meeting-upcoming');
    expect(payload.documents).toEqual([{ kind: 'evaluation-meeting/report', id: '2026' }]);
    expect(payload.calendarEvents).toMatchObject([{ start: '2027-03-11', end: '2027-03-11', sequence: 0 }]);
    expect(payload.data).toMatchObject({ year: 2026, meetingOn: '2027-03-11', place: 'Düsseldorf' });
  });

  it("moves the reminders with the day and raises the calendar entry's sequence; new recipients alone do not", () => {
    const moved = run({
      type: 'MEETING_SET',
      on: '2027-03-18',
      place: 'Düsseldorf',
      recipients: [JANA],
      changedAt: '2027-01-04T10:00:00.000Z',
    });
    expect(timers(moved)).toEqual([`${JANA.email} 2027-02-18T07:00:00.000Z`, `${JANA.email} 2027-03-11T07:00:00.000Z`]);
    expect(moved.context as unknown as MeetingContext).toMatchObject({
      revision: 1,
      changedAt: '2027-01-04T10:00:00.000Z',
    });
    const addressed = run({
      type: 'MEETING_SET',
      on: '2027-03-11',
      place: 'Düsseldorf',
      recipients: [TOM],
      changedAt: '2027-01-04T10:00:00.000Z',
    });
    expect(addressed.context as unknown as MeetingContext).toMatchObject({
      revision: 0,
      changedAt: input.changedAt,
      recipients: [TOM],
    });
  });

  it('declares no reminders once cancelled, and the reminders of the new day when set again', () => {
    const cancelled = run({ type: 'CANCEL', changedAt: '2027-01-04T10:00:00.000Z' });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.timers).toEqual([]);
    expect(cancelled.acceptedEvents).toEqual(['MEETING_SET']);
    const setAgain: MeetingEvent = {
      type: 'MEETING_SET',
      on: '2027-03-11',
      place: null,
      recipients: [JANA],
      changedAt: '2027-01-05T10:00:00.000Z',
    };
    const again = applyEvent(workflow, cancelled.persisted, setAgain, ZONE);
    expect(again.state).toBe('scheduled');
    expect(timers(again)).toHaveLength(2);
    expect((again.context as unknown as MeetingContext).revision).toBe(1);
  });

  it('follows configuration: other offsets, or none', () => {
    const configured = evaluationMeetingWorkflow(
      withOverrides(EVALUATION_MEETING_REMINDERS, { 'meeting-upcoming': { offsets: ['-P2W'] } }),
    );
    expect(startInstance(configured, input, ZONE).timers.map((t) => t.dueAt.toISOString())).toEqual([
      '2027-02-25T07:00:00.000Z',
      '2027-02-25T07:00:00.000Z',
    ]);
    const off = evaluationMeetingWorkflow(
      withOverrides(EVALUATION_MEETING_REMINDERS, { 'meeting-upcoming': { enabled: false } }),
    );
    expect(startInstance(off, input, ZONE).timers).toEqual([]);
  });

  it('says day, place and where the report is, in German and in English', () => {
    const template = EVALUATION_MEETING_MESSAGES['evaluation-meeting/meeting-upcoming'];
    const data = { year: 2026, meetingOn: '2027-03-11', place: 'Düsseldorf', offset: '-P1W' };
    const site = { publicBaseUrl: 'https://lotse.example.org' };
    const de = template(data, 'de', site);
    expect(de.subject).toBe('Dienstbesprechung zur Evaluation 2026: 11. März 2027');
    expect(de.text).toContain('findet in einer Woche statt, am 11. März 2027 in Düsseldorf.');
    expect(de.text).toContain('https://lotse.example.org/evaluation/reports/2026.csv');
    const en = template({ ...data, place: null, offset: '-P4W' }, 'en', site);
    expect(en.text).toContain('takes place in 4 weeks, on 11 March 2027.');
    expect(() => template(data, 'de')).toThrow(/public base URL/);
  });
});
