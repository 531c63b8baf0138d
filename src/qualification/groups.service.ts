import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { NotFound, OutOfScope, RuleViolation } from '../engine/errors.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { WorkflowEngine, type Actor } from '../engine/workflow-engine.js';
import { DEFAULT_GROUP_CAPACITY, GROUP_WORKFLOW, SEATED_STATES } from '../../workflows/tandem-qualification/model.js';
import { allocateSeats, checkCurriculum, reflectionPhases } from '../../workflows/tandem-qualification/rules.js';
import type { GroupInput } from '../../workflows/tandem-qualification/machine.js';
import type { CreateGroupDto, CreateModeratorTandemDto, EvaluateEventDto, RecordAttendanceDto, SetCurriculumDto } from './dtos.js';
import { AttendanceRow, EvaluationRow, EventRow, GroupRow, ModeratorTandemRow, ReflectionPhaseRow } from './entities.js';
import { GroupSchedules } from './group-schedules.js';
import { QualificationRepository } from './qualification.repository.js';
import { refuse } from './registration.service.js';
import { requireOwnGroup, scopeOf } from '../auth/policy.js';
import { groupEvent } from './workflow-events.js';

/**
 * The institute's and the moderators' side: groups, curricula, attendance, reflection phases, evaluation and the
 * statewide overview. A moderator acts only for the groups its moderator tandem runs.
 */
@Injectable()
export class GroupsService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly schedules: GroupSchedules,
    private readonly engine: WorkflowEngine,
    private readonly writes: WriteSerializer,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  async createModeratorTandem(_actor: Actor, body: CreateModeratorTandemDto): Promise<ModeratorTandemRow> {
    const persons = await this.repository.persons([body.firstMemberId, body.secondMemberId]);
    if (body.firstMemberId === body.secondMemberId || persons.length !== 2) {
      throw new RuleViolation('moderator-tandem-two-persons', 'a moderator tandem is two different, known persons', { members: [body.firstMemberId, body.secondMemberId] });
    }
    const row = Object.assign(new ModeratorTandemRow(), { id: randomUUID(), ...body });
    await this.writes.transaction((em) => this.repository.insert(em, ModeratorTandemRow, row));
    return row;
  }

  async createGroup(actor: Actor, body: CreateGroupDto) {
    const moderatorTandem = await this.repository.moderatorTandem(body.moderatorTandemId);
    if (!moderatorTandem) throw new NotFound(`no moderator tandem ${body.moderatorTandemId}`, 'moderator-tandem-exists', { moderatorTandem: body.moderatorTandemId });
    const moderators = await this.repository.persons([moderatorTandem.firstMemberId, moderatorTandem.secondMemberId]);
    const id = randomUUID();
    const input: GroupInput = { groupId: id, name: body.name, moderators: moderators.map((m) => ({ personId: m.id, name: m.name, email: m.email, language: m.language })) };
    const now = this.clock.now().toISOString();
    await this.engine.create({
      definition: GROUP_WORKFLOW, input, actor,
      alsoWrite: (instanceId) => (em) => this.repository.insert(em, GroupRow, Object.assign(new GroupRow(), {
        id, name: body.name, capacity: body.capacity ?? DEFAULT_GROUP_CAPACITY, moderatorTandemId: moderatorTandem.id, instanceId, createdAt: now,
      })),
    });
    return this.describe(await this.schedules.group(id));
  }

  /** The group, if the caller may see it: the institute and the ministry all, a moderator only its own. */
  private async groupFor(actor: Actor, groupId: string): Promise<GroupRow> {
    const scope = scopeOf(actor);
    const group = await this.schedules.group(groupId);
    if (scope.role === 'moderator') {
      const tandem = await this.repository.moderatorTandem(group.moderatorTandemId);
      requireOwnGroup(scope, group, [tandem?.firstMemberId, tandem?.secondMemberId]);
    }
    return group;
  }

  async listGroups(actor: Actor) {
    const scope = scopeOf(actor);
    const groups = scope.role === 'moderator' ? await this.repository.groupsModeratedBy(scope.personId) : await this.repository.groups();
    return Promise.all(groups.map((g) => this.describe(g)));
  }

  async getGroup(actor: Actor, groupId: string) {
    return this.describe(await this.groupFor(actor, groupId));
  }

  /**
   * Sets the group's curriculum once: its events, and a reflection phase between each two. Refused unless it holds
   * the three core modules within 64 hours.
   */
  async setCurriculum(actor: Actor, groupId: string, body: SetCurriculumDto) {
    const group = await this.groupFor(actor, groupId);
    if ((await this.repository.events(groupId)).length) {
      throw new RuleViolation('curriculum-set-once', `group ${group.name} already has its curriculum`, { group: groupId });
    }
    refuse(checkCurriculum(body.events));
    const now = this.clock.now().toISOString();
    const events = body.events.map((e, seq) => Object.assign(new EventRow(), {
      id: randomUUID(), groupId, seq, module: e.module, title: e.title?.trim() || null, titleEn: e.titleEn?.trim() || null, days: e.days, startTime: e.startTime ?? '09:00',
      hours: e.hours, place: e.place, attendanceRecordedAt: null, sequence: 0, changedAt: now,
    }));
    const phases = reflectionPhases(body.events, body.reflectionDueDaysBeforeNextEvent).map((p) => Object.assign(new ReflectionPhaseRow(), {
      id: randomUUID(), groupId, afterEventId: events[p.afterEvent].id, beforeEventId: events[p.beforeEvent].id, dueOn: p.dueOn, closedAt: null, closedBy: null,
    }));
    const changed = { events: events.map(GroupSchedules.toScheduled), reflections: phases.map(GroupSchedules.toTask), attendanceRecorded: [] };
    await this.schedules.changeSchedule(groupId, actor, changed, async (em) => {
      await this.repository.insert(em, EventRow, events);
      await this.repository.insert(em, ReflectionPhaseRow, phases);
    });
    return this.describe(group);
  }

  /**
   * Records who attended an event. Persons of the event's group, or of another group making up the module, may be
   * recorded; an event that has not begun cannot be.
   */
  async recordAttendance(actor: Actor, eventId: string, body: RecordAttendanceDto) {
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    const group = await this.groupFor(actor, event.groupId);
    if (event.days[0] > this.clock.today(this.config.timeZone)) {
      throw new RuleViolation('attendance-after-event-begins', `attendance can be recorded from the first day of the event (${event.days[0]})`, { firstDay: event.days[0] });
    }
    const participants = await this.participantsInQualification();
    const unknown = body.entries.filter((e) => !participants.has(e.personId)).map((e) => e.personId);
    if (unknown.length) {
      throw new RuleViolation('attendance-of-participants', 'attendance is recorded for members of tandems in the qualification (own group or make-up)', { persons: unknown });
    }
    const now = this.clock.now().toISOString();
    const rows = body.entries.map((e) => Object.assign(new AttendanceRow(), { id: randomUUID(), eventId, personId: e.personId, present: e.present, recordedAt: now, recordedBy: actor.id }));
    const schedule = await this.schedules.scheduleOf(group.id);
    await this.engine.send(group.instanceId, groupEvent({ type: 'SCHEDULE_UPDATED', ...schedule, attendanceRecorded: [...new Set([...schedule.attendanceRecorded, eventId])] }), actor, undefined, async (em) => {
      await this.repository.upsertAttendance(em, rows);
      if (!event.attendanceRecordedAt) await this.repository.update(em, EventRow, eventId, { attendanceRecordedAt: now });
    });
    return this.attendance(actor, eventId);
  }

  /** Members of tandems whose enrolment is placed or in qualification, in any group. */
  private async participantsInQualification(): Promise<Set<string>> {
    const active = (await this.repository.enrolments()).filter((e) => e.state === 'placed' || e.state === 'in_qualification');
    const tandems = await Promise.all(active.map((e) => this.repository.tandem(e.tandemId)));
    return new Set(tandems.flatMap((t) => (t ? [t.lowerMemberId, t.upperMemberId] : [])));
  }

  async attendance(actor: Actor, eventId: string) {
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    await this.groupFor(actor, event.groupId);
    const rows = await this.repository.attendanceOfEvent(eventId);
    const persons = await this.repository.persons(rows.map((r) => r.personId));
    return {
      eventId, module: event.module, days: event.days, recordedAt: event.attendanceRecordedAt,
      entries: rows.map((r) => ({ personId: r.personId, name: persons.find((p) => p.id === r.personId)?.name, present: r.present })),
    };
  }

  async closeReflectionPhase(actor: Actor, phaseId: string) {
    const phase = await this.repository.reflectionPhase(phaseId);
    if (!phase) throw new NotFound(`no reflection phase ${phaseId}`, 'reflection-phase-exists', { phase: phaseId });
    const group = await this.groupFor(actor, phase.groupId);
    if (phase.closedAt) throw new RuleViolation('reflection-phase-open', 'this reflection phase is already closed', { closedAt: phase.closedAt });
    const schedule = await this.schedules.scheduleOf(group.id);
    const changed = { ...schedule, reflections: schedule.reflections.map((r) => (r.id === phaseId ? { ...r, closed: true } : r)) };
    const now = this.clock.now().toISOString();
    await this.schedules.changeSchedule(group.id, actor, changed, (em) => this.repository.update(em, ReflectionPhaseRow, phaseId, { closedAt: now, closedBy: actor.id }));
    return { ...GroupSchedules.toTask({ ...phase, closedAt: now }), closedBy: actor.id };
  }

  /** A participant who attended an event evaluates it once. */
  async evaluate(actor: Actor, eventId: string, body: EvaluateEventDto) {
    const scope = { personId: actor.id };
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    const attended = (await this.repository.attendanceOfEvent(eventId)).some((a) => a.personId === scope.personId && a.present);
    if (!attended) throw new OutOfScope('only participants who attended an event evaluate it', 'evaluation-by-attendee', { event: eventId });
    if (await this.repository.evaluation(eventId, scope.personId)) {
      throw new RuleViolation('evaluation-once', 'you have already evaluated this event', { event: eventId });
    }
    const row = Object.assign(new EvaluationRow(), {
      id: randomUUID(), eventId, personId: scope.personId, rating: body.rating, comment: body.comment ?? null, submittedAt: this.clock.now().toISOString(),
    });
    await this.writes.transaction((em) => this.repository.insert(em, EvaluationRow, row));
    return { eventId, rating: row.rating, comment: row.comment };
  }

  /** Anonymous results of an event's evaluation: count, average, comments. */
  async evaluationResults(actor: Actor, eventId: string) {
    const event = await this.repository.event(eventId);
    if (!event) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    await this.groupFor(actor, event.groupId);
    const rows = await this.repository.evaluations(eventId);
    const average = rows.length ? Math.round((rows.reduce((s, r) => s + r.rating, 0) / rows.length) * 10) / 10 : null;
    return { eventId, module: event.module, responses: rows.length, averageRating: average, comments: rows.map((r) => r.comment).filter(Boolean) };
  }

  /**
   * Statewide: per district its need, its proportional share of all group seats, and its tandems by status; and the
   * evaluation results per year and module (quality assurance: the ministry sees them at least yearly).
   */
  async overview(_actor: Actor) {
    const [districts, groups, enrolments, evaluations] = await Promise.all([
      this.repository.districts(), this.repository.groups(), this.repository.enrolments(), this.repository.allEvaluations(),
    ]);
    const results = new Map<string, { year: string; module: string; title: string; ratings: number[] }>();
    for (const e of evaluations) {
      const key = `${e.year}/${e.module}`;
      if (!results.has(key)) results.set(key, { year: e.year, module: e.module, title: e.title, ratings: [] });
      results.get(key)!.ratings.push(e.rating);
    }
    const totalSeats = groups.reduce((sum, g) => sum + g.capacity, 0);
    const seats = allocateSeats(totalSeats, districts.map((d) => ({ district: d.id, need: d.need })));
    return {
      totalSeats,
      groups: groups.length,
      districts: districts.map((d) => {
        const own = enrolments.filter((e) => e.districtId === d.id);
        const byStatus: Record<string, number> = {};
        for (const e of own) byStatus[e.state] = (byStatus[e.state] ?? 0) + 1;
        return { id: d.id, name: d.name, need: d.need, allocatedSeats: seats[d.id], seatsTaken: own.filter((e) => SEATED_STATES.includes(e.state)).length, byStatus };
      }),
      evaluation: [...results.values()].sort((a, b) => a.year.localeCompare(b.year) || a.module.localeCompare(b.module)).map((r) => ({
        year: r.year, module: r.module, title: r.title, responses: r.ratings.length,
        averageRating: Math.round((r.ratings.reduce((x, y) => x + y, 0) / r.ratings.length) * 10) / 10,
      })),
    };
  }

  private async describe(group: GroupRow) {
    const [moderatorTandem, schedule, enrolments] = await Promise.all([
      this.repository.moderatorTandem(group.moderatorTandemId), this.schedules.scheduleOf(group.id), this.repository.enrolments({ groupId: group.id }),
    ]);
    const moderators = moderatorTandem ? await this.repository.persons([moderatorTandem.firstMemberId, moderatorTandem.secondMemberId]) : [];
    const tandem = async (e: (typeof enrolments)[number]) => {
      const t = await this.repository.tandem(e.tandemId);
      const members = t ? await this.repository.persons([t.lowerMemberId, t.upperMemberId]) : [];
      return { enrolmentId: e.id, tandemId: e.tandemId, status: e.state, members: members.map((m) => ({ id: m.id, name: m.name })) };
    };
    return {
      id: group.id, name: group.name, capacity: group.capacity, instanceId: group.instanceId,
      moderators: moderators.map((m) => ({ id: m.id, name: m.name })),
      events: schedule.events.map((e) => ({ ...e, attendanceRecorded: schedule.attendanceRecorded.includes(e.id) })),
      reflectionPhases: schedule.reflections,
      tandems: await Promise.all(this.schedules.seated(enrolments).map(tandem)),
      waitingList: await Promise.all(this.schedules.waiting(enrolments).map(tandem)),
    };
  }
}
