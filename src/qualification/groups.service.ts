import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { LotseConfig } from '../../config/configuration.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { dayOf } from '../../workflows/shared/calendar-day.js';
import { requireOwnGroup, scopeOf } from '../auth/policy.js';
import { NotFound, refuse } from '../common/errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { WorkflowEngine, type CommandScope } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { groupEvent, type GroupInput } from '../../workflows/tandem-qualification/machine.js';
import {
  ALUMNI_STATES,
  DEFAULT_GROUP_CAPACITY,
  DEFAULT_START_TIME,
  enrolmentStatus,
  GROUP_WORKFLOW,
  type GroupContext,
  type PlannedEvent,
  type Person,
} from '../../workflows/tandem-qualification/model.js';
import {
  allocateSeats,
  checkAttendanceDay,
  checkAttendees,
  checkCurriculum,
  checkCurriculumNotSet,
  checkCurriculumSet,
  checkEvaluationByAttendee,
  checkEvaluationOnce,
  checkEventChange,
  checkModeratorTandem,
  checkPhaseOpen,
  checkSomethingChanged,
  DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT,
} from '../../workflows/tandem-qualification/rules.js';
import {
  addEvent,
  cancelEvent,
  curriculumOf,
  heldEvents,
  moveEvent,
} from '../../workflows/tandem-qualification/schedule.js';
import { contextOf, idempotent } from './commands.js';
import type {
  AddEventDto,
  AssignModeratorTandemDto,
  CancelEventDto,
  ChangeEventDto,
  CreateGroupDto,
  CreateModeratorTandemDto,
  CurriculumEventDto,
  EvaluateEventDto,
  RecordAttendanceDto,
  SetCurriculumDto,
} from './dtos.js';
import { EvaluationRow, ModeratorTandemRow, type EventRow, type GroupRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { phaseView, QualificationViews } from './views.js';

/** An event as the institute plans it; a title of blanks is no title. */
function planned(id: string, event: CurriculumEventDto): PlannedEvent {
  return {
    id,
    module: event.module,
    title: event.title?.trim() || null,
    titleEn: event.titleEn?.trim() || null,
    days: event.days,
    startTime: event.startTime ?? DEFAULT_START_TIME,
    hours: event.hours,
    place: event.place,
  };
}

/**
 * The institute's and the moderators' side: groups, curricula and their changes, attendance, reflection phases,
 * evaluation and the statewide overview. A moderator acts only for the groups its moderator tandem runs. Every
 * write is one engine command stepping the group, and takes the client's Idempotency-Key.
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly views: QualificationViews,
    private readonly engine: WorkflowEngine,
    private readonly config: LotseConfig,
    private readonly audit: AuditLog,
  ) {}

  private today(command: CommandScope): string {
    return dayOf(command.now, this.config.timeZone);
  }

  /** The ministry appoints a moderator tandem (decree section 4); the institute assigns it to groups. */
  async createModeratorTandem(actor: Actor, body: CreateModeratorTandemDto, key?: string): Promise<ModeratorTandemRow> {
    const persons = await this.repository.persons([body.firstMemberId, body.secondMemberId]);
    refuse(checkModeratorTandem([body.firstMemberId, body.secondMemberId], persons.length));
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'appoint-moderator-tandem', body),
      decide: (command) => {
        const row = Object.assign(new ModeratorTandemRow(), {
          id: randomUUID(),
          ...body,
          appointedBy: actor.id,
          appointedOn: this.today(command),
        });
        command.write(async (em) => {
          await this.repository.insert(em, ModeratorTandemRow, row);
          await this.audit.record(
            em,
            actor,
            [row.firstMemberId, row.secondMemberId].map((personId) => ({
              action: 'moderator-tandem.appointed',
              subject: { type: 'moderator-tandem', id: row.id },
              personId,
            })),
          );
        });
        return row;
      },
    });
  }

  private async moderatorsOf(moderatorTandemId: string): Promise<Person[]> {
    const moderatorTandem = await this.repository.moderatorTandem(moderatorTandemId);
    if (!moderatorTandem)
      throw new NotFound(`no moderator tandem ${moderatorTandemId}`, 'moderator-tandem-exists', {
        moderatorTandem: moderatorTandemId,
      });
    const persons = await this.repository.persons([moderatorTandem.firstMemberId, moderatorTandem.secondMemberId]);
    return persons.map((m) => ({ personId: m.id, name: m.name, email: m.email, language: m.language }));
  }

  async createGroup(actor: Actor, body: CreateGroupDto, key?: string) {
    const moderators = await this.moderatorsOf(body.moderatorTandemId);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'create-group', body),
      decide: (command) => {
        const input: GroupInput = {
          groupId: randomUUID(),
          name: body.name,
          capacity: body.capacity ?? DEFAULT_GROUP_CAPACITY,
          moderatorTandemId: body.moderatorTandemId,
          moderators,
        };
        command.create(GROUP_WORKFLOW, input);
        return input.groupId;
      },
      answer: (em, groupId) => this.views.groupById(groupId, em),
    });
  }

  /** The institute assigns another moderator tandem (appointed by the ministry) to a group. */
  async assignModeratorTandem(actor: Actor, groupId: string, body: AssignModeratorTandemDto, key?: string) {
    const group = await this.groupFor(actor, groupId);
    const moderators = await this.moderatorsOf(body.moderatorTandemId);
    return this.groupCommand(actor, group, key, ['assign-moderator-tandem', body], async (command) => {
      await command.send(
        group.instanceId,
        groupEvent({ type: 'MODERATORS_ASSIGNED', moderatorTandemId: body.moderatorTandemId, moderators }),
      );
    });
  }

  /** The group, if the caller may see it: the institute and the ministry all, a moderator only its own. */
  private async groupFor(actor: Actor, groupId: string): Promise<GroupRow> {
    const scope = scopeOf(actor);
    const group = await this.repository.group(groupId);
    if (!group) throw new NotFound(`no qualification group ${groupId}`, 'group-exists', { group: groupId });
    if (scope.role === 'moderator') {
      const tandem = await this.repository.moderatorTandem(group.moderatorTandemId);
      requireOwnGroup(scope, group, [tandem?.firstMemberId, tandem?.secondMemberId]);
    }
    return group;
  }

  private async eventFor(actor: Actor, eventId: string): Promise<{ event: EventRow; group: GroupRow }> {
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    return { event, group: await this.groupFor(actor, event.groupId) };
  }

  /** A command on one group whose answer is the group as it stands after it. */
  private groupCommand(
    actor: Actor,
    group: GroupRow,
    key: string | undefined,
    request: unknown[],
    decide: (command: CommandScope, context: GroupContext) => Promise<void>,
  ) {
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, String(request[0]), group.id, ...request.slice(1)),
      decide: async (command) => decide(command, contextOf<GroupContext>(await command.instance(group.instanceId))),
      answer: (em) => this.views.groupById(group.id, em),
    });
  }

  async listGroups(actor: Actor) {
    const scope = scopeOf(actor);
    const groups =
      scope.role === 'moderator'
        ? await this.repository.groupsModeratedBy(scope.personId)
        : await this.repository.groups();
    return Promise.all(groups.map((g) => this.views.group(g)));
  }

  async getGroup(actor: Actor, groupId: string) {
    return this.views.group(await this.groupFor(actor, groupId));
  }

  /**
   * Sets the group's curriculum once: its events, and a reflection phase between each two. Refused unless it holds
   * the three core modules within 64 hours and 8 days.
   */
  async setCurriculum(actor: Actor, groupId: string, body: SetCurriculumDto, key?: string) {
    const group = await this.groupFor(actor, groupId);
    refuse(checkCurriculum(body.events));
    return this.groupCommand(actor, group, key, ['set-curriculum', body], async (command, context) => {
      refuse(checkCurriculumNotSet(context.events.length));
      const events: PlannedEvent[] = body.events.map((e) => planned(randomUUID(), e));
      await command.send(
        group.instanceId,
        groupEvent({
          type: 'CURRICULUM_SET',
          events,
          reflectionDueDaysBefore:
            body.reflectionDueDaysBeforeNextEvent ?? DEFAULT_REFLECTION_DUE_DAYS_BEFORE_NEXT_EVENT,
          at: command.now.toISOString(),
        }),
      );
    });
  }

  /** The institute adds an event to a group's curriculum, with a reason; members and moderators are told. */
  async addEvent(actor: Actor, groupId: string, body: AddEventDto, key?: string) {
    const group = await this.groupFor(actor, groupId);
    return this.groupCommand(actor, group, key, ['add-event', body], async (command, context) => {
      refuse(checkCurriculumSet(context.events.length));
      refuse(checkEventChange(null, body.days, this.today(command)));
      const event = planned(randomUUID(), body);
      const at = command.now.toISOString();
      // The new event with the title as given, or as another block of its module (also a cancelled one) gave it: a
      // further module needs one. The other events' titles were checked when they were scheduled.
      const title = event.title ?? context.events.find((e) => e.module === event.module)?.title ?? null;
      const after = heldEvents(addEvent(context, event, body.reason, at).events);
      refuse(
        checkCurriculum(
          after.map((e) => ({
            module: e.module,
            title: e.id === event.id ? title : e.title,
            days: e.days,
            hours: e.hours,
            startTime: e.startTime,
          })),
        ),
      );
      await command.send(group.instanceId, groupEvent({ type: 'EVENT_ADDED', event, reason: body.reason, at }));
    });
  }

  /** The institute moves an event (other days, time or place), with a reason; reminders follow, people are told. */
  async changeEvent(actor: Actor, eventId: string, body: ChangeEventDto, key?: string) {
    const { group } = await this.eventFor(actor, eventId);
    return this.groupCommand(actor, group, key, ['change-event', eventId, body], async (command, context) => {
      const event = context.events.find((e) => e.id === eventId)!;
      const change = {
        days: body.days ?? event.days,
        startTime: body.startTime ?? event.startTime,
        place: body.place ?? event.place,
      };
      refuse(checkEventChange(event, body.days ?? null, this.today(command)));
      refuse(checkSomethingChanged(event, change));
      const at = command.now.toISOString();
      refuse(checkCurriculum(curriculumOf(moveEvent(context, eventId, change, body.reason, at).events)));
      await command.send(
        group.instanceId,
        groupEvent({ type: 'EVENT_MOVED', eventId, ...change, reason: body.reason, at }),
      );
    });
  }

  /** The institute cancels an event, with a reason; it stays in the schedule as cancelled, people are told. */
  async cancelEvent(actor: Actor, eventId: string, body: CancelEventDto, key?: string) {
    const { group } = await this.eventFor(actor, eventId);
    return this.groupCommand(actor, group, key, ['cancel-event', eventId, body], async (command, context) => {
      const event = context.events.find((e) => e.id === eventId)!;
      refuse(checkEventChange(event, null, this.today(command)));
      const at = command.now.toISOString();
      refuse(checkCurriculum(curriculumOf(cancelEvent(context, eventId, body.reason, at).events)));
      await command.send(group.instanceId, groupEvent({ type: 'EVENT_CANCELLED', eventId, reason: body.reason, at }));
    });
  }

  /**
   * Records who attended an event. Persons of the event's group, or of another group making up the module, may be
   * recorded; an event that has not begun cannot be. One command: the group's ATTENDANCE_RECORDED step.
   */
  async recordAttendance(actor: Actor, eventId: string, body: RecordAttendanceDto, key?: string) {
    const { group } = await this.eventFor(actor, eventId);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'record-attendance', eventId, body),
      decide: async (command) => {
        const context = contextOf<GroupContext>(await command.instance(group.instanceId));
        refuse(
          checkAttendanceDay(
            context.events.find((e) => e.id === eventId)!,
            this.today(command),
          ),
        );
        refuse(
          checkAttendees(
            body.entries.map((e) => e.personId),
            await this.participantsInQualification(),
          ),
        );
        await command.send(
          group.instanceId,
          groupEvent({
            type: 'ATTENDANCE_RECORDED',
            eventId,
            entries: body.entries.map((e) => ({ personId: e.personId, present: e.present })),
            recordedAt: command.now.toISOString(),
            recordedBy: actor.id,
          }),
        );
      },
      answer: (em) => this.attendanceView(eventId, em),
    });
  }

  /** Members of tandems placed in any group (seated, before completion). */
  private async participantsInQualification(): Promise<Set<string>> {
    const placed = await this.repository.enrolments({ state: 'placed' });
    return new Set(placed.flatMap((e) => e.members.map((m) => m.personId)));
  }

  async attendance(actor: Actor, eventId: string) {
    await this.eventFor(actor, eventId);
    return this.attendanceView(eventId);
  }

  private async attendanceView(eventId: string, em?: EntityManager) {
    const event = (await this.repository.event(eventId, em))!;
    const rows = await this.repository.attendanceOfEvent(eventId, em);
    const persons = await this.repository.persons(
      rows.map((r) => r.personId),
      em,
    );
    return {
      eventId,
      module: event.module,
      days: event.days,
      recordedAt: event.attendanceRecordedAt,
      entries: rows.map((r) => ({
        personId: r.personId,
        name: persons.find((p) => p.id === r.personId)?.name,
        present: r.present,
      })),
    };
  }

  async closeReflectionPhase(actor: Actor, phaseId: string, key?: string) {
    const phase = await this.repository.reflectionPhase(phaseId);
    if (!phase) throw new NotFound(`no reflection phase ${phaseId}`, 'reflection-phase-exists', { phase: phaseId });
    const group = await this.groupFor(actor, phase.groupId);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'close-reflection-phase', phaseId),
      decide: async (command) => {
        const context = contextOf<GroupContext>(await command.instance(group.instanceId));
        const current = context.reflections.find((r) => r.id === phaseId);
        if (!current)
          throw new NotFound(
            `reflection phase ${phaseId} no longer lies between two events of the group`,
            'reflection-phase-exists',
            { phase: phaseId },
          );
        refuse(checkPhaseOpen(current));
        await command.send(
          group.instanceId,
          groupEvent({ type: 'REFLECTION_CLOSED', phaseId, closedAt: command.now.toISOString(), closedBy: actor.id }),
        );
      },
      answer: async (em) =>
        phaseView((await this.repository.reflectionPhases(group.id, em)).find((p) => p.id === phaseId)!),
    });
  }

  /** A participant who attended an event evaluates it once (the database holds "once" too). */
  async evaluate(actor: Actor, eventId: string, body: EvaluateEventDto, key?: string) {
    const scope = { personId: actor.id };
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'evaluate', eventId, body),
      decide: async (command) => {
        const attended = (await this.repository.attendanceOfEvent(eventId)).some(
          (a) => a.personId === scope.personId && a.present,
        );
        refuse(checkEvaluationByAttendee(attended, eventId));
        refuse(checkEvaluationOnce(!!(await this.repository.evaluation(eventId, scope.personId)), eventId));
        const row = Object.assign(new EvaluationRow(), {
          id: randomUUID(),
          eventId,
          personId: scope.personId,
          rating: body.rating,
          comment: body.comment ?? null,
          submittedAt: command.now.toISOString(),
        });
        command.write(async (em) => {
          try {
            await this.repository.insert(em, EvaluationRow, row);
          } catch (error) {
            if (isUniqueViolation(error)) refuse(checkEvaluationOnce(true, eventId));
            throw error;
          }
        });
        return { eventId, rating: row.rating, comment: row.comment };
      },
    });
  }

  /** Anonymous results of an event's evaluation: count, average, comments. */
  async evaluationResults(actor: Actor, eventId: string) {
    const { event } = await this.eventFor(actor, eventId);
    const rows = await this.repository.evaluations(eventId);
    const average = rows.length ? Math.round((rows.reduce((s, r) => s + r.rating, 0) / rows.length) * 10) / 10 : null;
    return {
      eventId,
      module: event.module,
      responses: rows.length,
      averageRating: average,
      comments: rows.map((r) => r.comment).filter(Boolean),
    };
  }

  /**
   * Statewide: per district its need, its proportional share of all group seats, and its tandems by status; and the
   * evaluation results per year and module (quality assurance: the ministry sees them at least yearly).
   */
  async overview(_actor: Actor) {
    const [districts, groups, enrolments, evaluations] = await Promise.all([
      this.repository.districts(),
      this.repository.groups(),
      this.repository.enrolments(),
      this.repository.allEvaluations(),
    ]);
    const groupStates = new Map(groups.map((g) => [g.id, g.state]));
    const results = new Map<string, { year: string; module: string; title: string; ratings: number[] }>();
    for (const e of evaluations) {
      const key = `${e.year}/${e.module}`;
      if (!results.has(key)) results.set(key, { year: e.year, module: e.module, title: e.title, ratings: [] });
      results.get(key)!.ratings.push(e.rating);
    }
    const totalSeats = groups.reduce((sum, g) => sum + g.capacity, 0);
    const seats = allocateSeats(
      totalSeats,
      districts.map((d) => ({ district: d.id, need: d.need })),
    );
    return {
      totalSeats,
      groups: groups.length,
      districts: districts.map((d) => {
        const own = enrolments.filter((e) => e.districtId === d.id);
        const byStatus: Record<string, number> = {};
        for (const e of own) {
          const status = enrolmentStatus(e.state, e.groupId ? (groupStates.get(e.groupId) ?? null) : null);
          byStatus[status] = (byStatus[status] ?? 0) + 1;
        }
        const seated = own.filter((e) => e.state === 'placed' || ALUMNI_STATES.includes(e.state)).length;
        return { id: d.id, name: d.name, need: d.need, allocatedSeats: seats[d.id], seatsTaken: seated, byStatus };
      }),
      evaluation: [...results.values()]
        .sort((a, b) => a.year.localeCompare(b.year) || a.module.localeCompare(b.module))
        .map((r) => ({
          year: r.year,
          module: r.module,
          title: r.title,
          responses: r.ratings.length,
          averageRating: Math.round((r.ratings.reduce((x, y) => x + y, 0) / r.ratings.length) * 10) / 10,
        })),
    };
  }
}
