import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { moduleTitle } from '../../workflows/tandem-qualification/model.js';
import type { Attendance } from '../../workflows/tandem-qualification/rules.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import {
  AttendanceRow, CertificateRow, DistrictRow, EnrolmentRow, EvaluationRow, EventRow, ExchangeInvitationRow, ExchangeRow, GroupRow,
  ModeratorTandemRow, NetworkRow, PersonRow, ReflectionPhaseRow, SchoolOfficeRow, TandemRow,
} from './entities.js';

/** An enrolment with the current state of its workflow instance. */
export type EnrolmentWithState = EnrolmentRow & { state: string };

/**
 * The only TypeORM user of the qualification. Reads use the data source; writes take the EntityManager of the
 * transaction they belong to (usually the engine's step, through `alsoWrite`), so domain rows and workflow state
 * change together or not at all.
 */
@Injectable()
export class QualificationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngine,
  ) {}

  private repo<T extends ObjectLiteral>(entity: EntityTarget<T>) {
    return this.dataSource.getRepository(entity);
  }

  async insert<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, rows: T | T[]): Promise<void> {
    if (Array.isArray(rows) && !rows.length) return;
    await em.insert(entity, rows as never);
  }

  async update<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, id: string, changes: Partial<T>): Promise<void> {
    await em.update(entity, { id } as never, changes as never);
  }

  districts(): Promise<DistrictRow[]> {
    return this.repo(DistrictRow).find({ order: { id: 'ASC' } });
  }

  district(id: string): Promise<DistrictRow | null> {
    return this.repo(DistrictRow).findOneBy({ id });
  }

  schoolOffice(id: string): Promise<SchoolOfficeRow | null> {
    return this.repo(SchoolOfficeRow).findOneBy({ id });
  }

  schoolOffices(districtId?: string): Promise<SchoolOfficeRow[]> {
    return this.repo(SchoolOfficeRow).find({ where: districtId ? { districtId } : {}, order: { name: 'ASC' } });
  }

  network(id: string): Promise<NetworkRow | null> {
    return this.repo(NetworkRow).findOneBy({ id });
  }

  networks(districtId?: string): Promise<NetworkRow[]> {
    return this.repo(NetworkRow).find({ where: districtId ? { districtId } : {}, order: { name: 'ASC' } });
  }

  person(id: string): Promise<PersonRow | null> {
    return this.repo(PersonRow).findOneBy({ id });
  }

  persons(ids: string[]): Promise<PersonRow[]> {
    return ids.length ? this.repo(PersonRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  tandem(id: string): Promise<TandemRow | null> {
    return this.repo(TandemRow).findOneBy({ id });
  }

  /** Tandems a person is (or was) a member of. */
  tandemsOf(personId: string): Promise<TandemRow[]> {
    return this.repo(TandemRow).find({ where: [{ lowerMemberId: personId }, { upperMemberId: personId }] });
  }

  /** A member changed: the successor tandem is stored and the old one points to it. */
  async succeedTandem(em: EntityManager, predecessorId: string, successor: TandemRow): Promise<void> {
    await em.insert(TandemRow, successor);
    await em.update(TandemRow, { id: predecessorId }, { successorId: successor.id });
  }

  moderatorTandem(id: string): Promise<ModeratorTandemRow | null> {
    return this.repo(ModeratorTandemRow).findOneBy({ id });
  }

  group(id: string): Promise<GroupRow | null> {
    return this.repo(GroupRow).findOneBy({ id });
  }

  groups(): Promise<GroupRow[]> {
    return this.repo(GroupRow).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async groupsModeratedBy(personId: string): Promise<GroupRow[]> {
    const tandems = await this.repo(ModeratorTandemRow).find({ where: [{ firstMemberId: personId }, { secondMemberId: personId }] });
    if (!tandems.length) return [];
    return this.repo(GroupRow).find({ where: { moderatorTandemId: In(tandems.map((t) => t.id)) }, order: { createdAt: 'ASC' } });
  }

  event(id: string): Promise<EventRow | null> {
    return this.repo(EventRow).findOneBy({ id });
  }

  events(groupId: string): Promise<EventRow[]> {
    return this.repo(EventRow).find({ where: { groupId }, order: { seq: 'ASC' } });
  }

  eventsByIds(ids: string[]): Promise<EventRow[]> {
    return ids.length ? this.repo(EventRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  reflectionPhase(id: string): Promise<ReflectionPhaseRow | null> {
    return this.repo(ReflectionPhaseRow).findOneBy({ id });
  }

  reflectionPhases(groupId: string): Promise<ReflectionPhaseRow[]> {
    return this.repo(ReflectionPhaseRow).find({ where: { groupId }, order: { dueOn: 'ASC' } });
  }

  attendanceOfEvent(eventId: string): Promise<AttendanceRow[]> {
    return this.repo(AttendanceRow).findBy({ eventId });
  }

  /** Attendance of these persons at any event of any group, with the event's module (make-ups count). */
  async attendanceOf(personIds: string[]): Promise<(Attendance & { hours: number; days: string[] })[]> {
    if (!personIds.length) return [];
    const rows = await this.repo(AttendanceRow).findBy({ personId: In(personIds) });
    const events = new Map((await this.eventsByIds([...new Set(rows.map((r) => r.eventId))])).map((e) => [e.id, e]));
    return rows.map((r) => {
      const event = events.get(r.eventId)!;
      return { eventId: r.eventId, personId: r.personId, present: r.present, module: event.module, hours: event.hours, days: event.days };
    });
  }

  async upsertAttendance(em: EntityManager, rows: AttendanceRow[]): Promise<void> {
    for (const row of rows) {
      const existing = await em.findOneBy(AttendanceRow, { eventId: row.eventId, personId: row.personId });
      if (existing) await em.update(AttendanceRow, { id: existing.id }, { present: row.present, recordedAt: row.recordedAt, recordedBy: row.recordedBy });
      else await em.insert(AttendanceRow, row);
    }
  }

  /** Every evaluation with its event's module and first day, for the statewide results. */
  async allEvaluations(): Promise<{ module: string; title: string; year: string; rating: number }[]> {
    const rows = await this.repo(EvaluationRow).find();
    const events = new Map((await this.eventsByIds([...new Set(rows.map((r) => r.eventId))])).map((e) => [e.id, e]));
    return rows.map((r) => {
      const event = events.get(r.eventId)!;
      return { module: event.module, title: moduleTitle(event.module, 'de', event), year: event.days[0].slice(0, 4), rating: r.rating };
    });
  }

  evaluations(eventId: string): Promise<EvaluationRow[]> {
    return this.repo(EvaluationRow).findBy({ eventId });
  }

  evaluation(eventId: string, personId: string): Promise<EvaluationRow | null> {
    return this.repo(EvaluationRow).findOneBy({ eventId, personId });
  }

  async enrolment(id: string): Promise<EnrolmentWithState | null> {
    const row = await this.repo(EnrolmentRow).findOneBy({ id });
    return row ? (await this.withStates([row]))[0] : null;
  }

  async enrolments(where: { districtId?: string; groupId?: string; tandemId?: string } = {}): Promise<EnrolmentWithState[]> {
    const rows = await this.repo(EnrolmentRow).find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.withStates(rows);
  }

  /** The lifecycle state lives in the enrolment's workflow instance; read it from there, never from a copy. */
  private async withStates(rows: EnrolmentRow[]): Promise<EnrolmentWithState[]> {
    if (!rows.length) return [];
    const byInstance = await this.engine.statesOf(rows.map((r) => r.instanceId));
    return rows.map((row) => Object.assign(row, { state: byInstance.get(row.instanceId) ?? 'unknown' }));
  }

  certificate(id: string): Promise<CertificateRow | null> {
    return this.repo(CertificateRow).findOneBy({ id });
  }

  certificateByCode(code: string): Promise<CertificateRow | null> {
    return this.repo(CertificateRow).findOneBy({ code });
  }

  certificatesOfEnrolment(enrolmentId: string): Promise<CertificateRow[]> {
    return this.repo(CertificateRow).findBy({ enrolmentId });
  }

  certificatesOfPerson(personId: string): Promise<CertificateRow[]> {
    return this.repo(CertificateRow).find({ where: { personId }, order: { issuedOn: 'ASC' } });
  }

  exchange(id: string): Promise<ExchangeRow | null> {
    return this.repo(ExchangeRow).findOneBy({ id });
  }

  exchanges(): Promise<ExchangeRow[]> {
    return this.repo(ExchangeRow).find({ order: { heldOn: 'ASC' } });
  }

  invitation(id: string): Promise<ExchangeInvitationRow | null> {
    return this.repo(ExchangeInvitationRow).findOneBy({ id });
  }

  invitations(where: { exchangeId?: string; enrolmentId?: string }): Promise<ExchangeInvitationRow[]> {
    return this.repo(ExchangeInvitationRow).findBy(where);
  }
}
