import { Injectable } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import type { MeetingEvent, MeetingInput } from '../../workflows/evaluation/machine.js';
import {
  meetingDayRefusal,
  meetingDeadlines,
  PROGRAMME,
  type MeetingContext,
  type MinistryRecipient,
} from '../../workflows/evaluation/meeting.js';
import { EVALUATION_MEETING_REMINDERS } from '../../workflows/evaluation/reminders.js';
import {
  explainReminder,
  reminderSchedule,
  SEND_TIME,
  withOverrides,
  type ReminderPolicy,
} from '../../workflows/shared/reminders.js';
import { Clock } from '../engine/clock.js';
import { NotFound, refuse } from '../common/errors.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import type { SetMeetingDto } from './dtos.js';
import { MeetingRow } from './entities.js';
import { EvaluationRepository } from './evaluation.repository.js';

/**
 * The ministry's yearly meeting on the evaluation findings (Dienstbesprechung): one per evaluation year, recorded by
 * the ministry with its day and whom to remind. Each is an `evaluation-meeting` instance, whose reminder timers are
 * stored with it, so they survive restarts and move with the day.
 */
@Injectable()
export class MeetingsService {
  /** The reminder policy the workflow runs with, so the view shows the reminders that will really go out. */
  private readonly policy: ReminderPolicy;

  constructor(
    private readonly repository: EvaluationRepository,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
    config: LotseConfig,
  ) {
    this.policy = withOverrides(EVALUATION_MEETING_REMINDERS, config.reminderOverrides[PROGRAMME]);
  }

  /**
   * Records the meeting of `year`, or changes its day, place or recipients. Setting what is already recorded changes
   * nothing. `created` says whether the meeting is new.
   */
  async set(actor: Actor, year: number, body: SetMeetingDto): Promise<{ created: boolean; meeting: MeetingView }> {
    refuse(meetingDayRefusal(year, body.on));
    const wanted = {
      on: body.on,
      place: body.place?.trim() || null,
      recipients: body.recipients.map((r): MinistryRecipient => ({
        name: r.name.trim(),
        email: r.email.trim(),
        language: r.language ?? 'de',
      })),
    };
    const changedAt = this.clock.now().toISOString();
    if (!(await this.repository.meeting(year))) {
      const input: MeetingInput = { year, ...wanted, changedAt };
      try {
        const instance = await this.engine.create({
          definition: PROGRAMME,
          input,
          actor,
          alsoWrite: (instanceId) => (em) =>
            this.repository.insertMeeting(
              em,
              Object.assign(new MeetingRow(), { year, instanceId, createdAt: changedAt }),
            ),
        });
        return {
          created: true,
          meeting: this.view(year, instance.id, instance.state, instance.context as unknown as MeetingContext),
        };
      } catch (error) {
        // Someone recorded this year's meeting at the same moment (the year is the table's key): ours is a change to it.
        if (!(await this.repository.meeting(year))) throw error;
      }
    }
    const row = (await this.repository.meeting(year))!;
    const current = await this.engine.get(row.instanceId);
    const context = current.context as unknown as MeetingContext;
    if (current.state === 'scheduled' && sameMeeting(context, wanted)) {
      return { created: false, meeting: this.view(year, row.instanceId, current.state, context) };
    }
    const event: MeetingEvent = { type: 'MEETING_SET', ...wanted, changedAt };
    const next = await this.engine.send(row.instanceId, event, actor);
    return {
      created: false,
      meeting: this.view(year, row.instanceId, next.state, next.context as unknown as MeetingContext),
    };
  }

  /** Cancels the meeting of `year`: its pending reminders are dropped. Cancelling it again changes nothing. */
  async cancel(actor: Actor, year: number): Promise<MeetingView> {
    const row = await this.meetingRow(year);
    const current = await this.engine.get(row.instanceId);
    if (current.state === 'cancelled')
      return this.view(year, row.instanceId, current.state, current.context as unknown as MeetingContext);
    const event: MeetingEvent = { type: 'CANCEL', changedAt: this.clock.now().toISOString() };
    const next = await this.engine.send(row.instanceId, event, actor);
    return this.view(year, row.instanceId, next.state, next.context as unknown as MeetingContext);
  }

  async get(_actor: Actor, year: number): Promise<MeetingView> {
    const row = await this.meetingRow(year);
    const instance = await this.engine.get(row.instanceId);
    return this.view(year, row.instanceId, instance.state, instance.context as unknown as MeetingContext);
  }

  async list(actor: Actor): Promise<MeetingView[]> {
    return Promise.all((await this.repository.meetings()).map((row) => this.get(actor, row.year)));
  }

  private async meetingRow(year: number): Promise<MeetingRow> {
    const row = await this.repository.meeting(year);
    if (!row) throw new NotFound(`no meeting is recorded for the evaluation year ${year}`, 'meeting-exists', { year });
    return row;
  }

  /** The meeting with the reminders the policy sends for it: each one's day, any move to a working day, and why. */
  private view(year: number, instanceId: string, state: string, context: MeetingContext): MeetingView {
    const status = state === 'cancelled' ? 'cancelled' : 'scheduled';
    const reminders =
      status === 'scheduled'
        ? reminderSchedule(this.policy, meetingDeadlines(context))
            .map((reminder) => ({
              rule: reminder.rule,
              offset: reminder.offset,
              offsetDay: reminder.offsetDay,
              sendOn: reminder.sendOn,
              at: `${reminder.sendOn}T${SEND_TIME}`,
              shift: reminder.shift,
              explanation: explainReminder(reminder),
              to: reminder.recipients.map((r) => r.email),
            }))
            .sort((a, b) => a.sendOn.localeCompare(b.sendOn))
        : [];
    return {
      year,
      on: context.on,
      place: context.place,
      status,
      recipients: context.recipients,
      instanceId,
      reminders,
      report: {
        json: `/evaluation/reports/${year}`,
        csv: `/evaluation/reports/${year}.csv`,
        pdf: `/evaluation/reports/${year}.pdf`,
      },
    };
  }
}

function sameMeeting(context: MeetingContext, wanted: Pick<MeetingContext, 'on' | 'place' | 'recipients'>): boolean {
  return (
    context.on === wanted.on &&
    context.place === wanted.place &&
    JSON.stringify(context.recipients) === JSON.stringify(wanted.recipients)
  );
}

export interface MeetingView {
  year: number;
  on: string;
  place: string | null;
  status: 'scheduled' | 'cancelled';
  recipients: MinistryRecipient[];
  instanceId: string;
  reminders: {
    rule: string;
    offset: string;
    offsetDay: string;
    sendOn: string;
    at: string;
    shift: unknown;
    explanation: { de: string; en: string };
    to: string[];
  }[];
  report: { json: string; csv: string; pdf: string };
}
