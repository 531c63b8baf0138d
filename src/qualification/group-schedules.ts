import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFound } from '../engine/errors.js';
import type { Actor } from '../engine/workflow-engine.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { Clock } from '../engine/clock.js';
import {
  moduleTitle, OPEN_STATES, SEATED_STATES, type Member, type ReflectionTask, type ScheduledEvent,
} from '../../workflows/tandem-qualification/model.js';
import { placementOutcome } from '../../workflows/tandem-qualification/rules.js';
import { EnrolmentRow, type EventRow, type GroupRow, type ReflectionPhaseRow, type TandemRow } from './entities.js';
import { KeyedLock } from './keyed-lock.js';
import { enrolmentEvent, groupEvent } from './workflow-events.js';
import { QualificationRepository, type EnrolmentWithState } from './qualification.repository.js';

export interface GroupSchedule {
  events: ScheduledEvent[];
  reflections: ReflectionTask[];
  attendanceRecorded: string[];
}

/**
 * Keeps the workflow instances of a group and its enrolments in step with the group's schedule, and holds the
 * placement rule (capacity, waiting list, moving up) that several use cases share.
 */
@Injectable()
export class GroupSchedules {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly repository: QualificationRepository,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
  ) {}

  async group(groupId: string): Promise<GroupRow> {
    const group = await this.repository.group(groupId);
    if (!group) throw new NotFound(`no qualification group ${groupId}`, 'group-exists', { group: groupId });
    return group;
  }

  static toScheduled(event: EventRow): ScheduledEvent {
    return {
      id: event.id, groupId: event.groupId, module: event.module, title: moduleTitle(event.module, 'de', event), titleEn: moduleTitle(event.module, 'en', event),
      days: event.days, startTime: event.startTime, hours: event.hours, place: event.place, sequence: event.sequence, changedAt: event.changedAt,
    };
  }

  static toTask(phase: ReflectionPhaseRow): ReflectionTask {
    return { id: phase.id, afterEventId: phase.afterEventId, beforeEventId: phase.beforeEventId, dueOn: phase.dueOn, closed: phase.closedAt !== null };
  }

  async scheduleOf(groupId: string): Promise<GroupSchedule> {
    const [events, phases] = await Promise.all([this.repository.events(groupId), this.repository.reflectionPhases(groupId)]);
    return {
      events: events.map(GroupSchedules.toScheduled),
      reflections: phases.map(GroupSchedules.toTask),
      attendanceRecorded: events.filter((e) => e.attendanceRecordedAt).map((e) => e.id),
    };
  }

  /**
   * Applies a change of the group's schedule: `write` stores it in the group instance's step, and the enrolments
   * that follow the schedule receive the new one. `changed` gives the schedule after the write.
   */
  async changeSchedule(groupId: string, actor: Actor, changed: GroupSchedule, write: (em: EntityManager) => Promise<void>): Promise<void> {
    const group = await this.group(groupId);
    await this.engine.send(group.instanceId, groupEvent({ type: 'SCHEDULE_UPDATED', ...changed }), actor, undefined, write);
    for (const enrolment of await this.repository.enrolments({ groupId })) {
      if (enrolment.state === 'placed' || enrolment.state === 'in_qualification') {
        await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'SCHEDULE_UPDATED', schedule: changed.events, reflections: changed.reflections }), actor);
      }
    }
  }

  seated(enrolments: EnrolmentWithState[]): EnrolmentWithState[] {
    return enrolments.filter((e) => SEATED_STATES.includes(e.state));
  }

  /** The waiting list of a group, first come first served. */
  waiting(enrolments: EnrolmentWithState[]): EnrolmentWithState[] {
    return enrolments.filter((e) => e.state === 'waitlisted')
      .sort((a, b) => (a.waitlistSeq ?? 0) - (b.waitlistSeq ?? 0));
  }

  /** Places a registered enrolment in the group, or puts it on the group's waiting list when the group is full. */
  place(enrolment: EnrolmentWithState, groupId: string, actor: Actor): Promise<'placed' | 'waitlisted'> {
    return this.lock.run(groupId, async () => {
      const group = await this.group(groupId);
      const inGroup = await this.repository.enrolments({ groupId });
      const outcome = placementOutcome(group.capacity, this.seated(inGroup).length);
      if (outcome === 'placed') {
        const schedule = await this.scheduleOf(groupId);
        await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'PLACED', groupId, groupName: group.name, schedule: schedule.events, reflections: schedule.reflections }), actor, undefined,
          (em) => this.repository.update(em, EnrolmentRow, enrolment.id, { groupId, waitlistedAt: null }));
      } else {
        const waitlistSeq = Math.max(0, ...inGroup.map((e) => e.waitlistSeq ?? 0)) + 1;
        await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'WAITLISTED', groupId, groupName: group.name }), actor, undefined,
          (em) => this.repository.update(em, EnrolmentRow, enrolment.id, { groupId, waitlistedAt: this.clock.now().toISOString(), waitlistSeq }));
      }
      return outcome;
    });
  }

  /** When seats are free, the first waiting tandems move up, in the order they were waitlisted. */
  moveUp(groupId: string, actor: Actor): Promise<string[]> {
    return this.lock.run(groupId, async () => {
      const group = await this.group(groupId);
      const inGroup = await this.repository.enrolments({ groupId });
      const free = group.capacity - this.seated(inGroup).length;
      const movers = this.waiting(inGroup).slice(0, Math.max(0, free));
      if (!movers.length) return [];
      const schedule = await this.scheduleOf(groupId);
      for (const enrolment of movers) {
        await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'PLACED', groupId, groupName: group.name, schedule: schedule.events, reflections: schedule.reflections }), actor, undefined,
          (em) => this.repository.update(em, EnrolmentRow, enrolment.id, { waitlistedAt: null }));
      }
      return movers.map((e) => e.id);
    });
  }

  /** The two members of a tandem as the workflow addresses them. */
  async membersOf(tandem: TandemRow): Promise<Member[]> {
    const persons = await this.repository.persons([tandem.lowerMemberId, tandem.upperMemberId]);
    return [tandem.lowerMemberId, tandem.upperMemberId].map((id) => {
      const person = persons.find((p) => p.id === id)!;
      return { personId: person.id, name: person.name, email: person.email, language: person.language, supervision: person.supervision! };
    });
  }

  isOpen(enrolment: EnrolmentWithState): boolean {
    return OPEN_STATES.includes(enrolment.state);
  }
}
