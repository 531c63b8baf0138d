import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { Attendance } from '../../workflows/tandem-qualification/rules.js';
import {
  AttendanceRow,
  CertificateRow,
  DistrictRow,
  EnrolmentRow,
  EvaluationRow,
  EventRow,
  ExchangeInvitationRow,
  ExchangeRow,
  GroupPlaceRow,
  GroupRow,
  ModeratorTandemRow,
  NetworkRow,
  PersonRow,
  ReflectionPhaseRow,
  SchoolOfficeRow,
  TandemRow,
} from './entities.js';

/** Attendance with its event, and the group the event belongs to. */
export type AttendanceWithEvent = Attendance & { groupId: string };

/**
 * The only TypeORM user of the qualification. Reads go to the reading connection, or to the transaction of a
 * command (`em`) when its answer must see what it just wrote; inside a transaction every read must take `em`
 * (on PostgreSQL another pool connection might never come while all of them wait in transactions). Writes of the programme's own rows take the
 * transaction of the command they belong to; everything else is written by the projections.
 */
@Injectable()
export class QualificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo<T extends ObjectLiteral>(entity: EntityTarget<T>, em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(entity);
  }

  async insert<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, rows: T | T[]): Promise<void> {
    if (Array.isArray(rows) && !rows.length) return;
    await em.insert(entity, rows as never);
  }

  async update<T extends ObjectLiteral>(
    em: EntityManager,
    entity: EntityTarget<T>,
    id: string,
    changes: Partial<T>,
  ): Promise<void> {
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

  network(id: string, em?: EntityManager): Promise<NetworkRow | null> {
    return this.repo(NetworkRow, em).findOneBy({ id });
  }

  networks(districtId?: string): Promise<NetworkRow[]> {
    return this.repo(NetworkRow).find({ where: districtId ? { districtId } : {}, order: { name: 'ASC' } });
  }

  person(id: string): Promise<PersonRow | null> {
    return this.repo(PersonRow).findOneBy({ id });
  }

  persons(ids: string[], em?: EntityManager): Promise<PersonRow[]> {
    return ids.length ? this.repo(PersonRow, em).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  /** The school supervision officials of a district (lower and upper), by name. */
  officials(districtId: string): Promise<PersonRow[]> {
    return this.dataSource
      .getRepository(PersonRow)
      .find({ where: { districtId, supervision: Not(IsNull()) }, order: { name: 'ASC' } });
  }

  /** The current tandems (not yet succeeded by a re-formed one) of the given networks. */
  currentTandems(networkIds: string[]): Promise<TandemRow[]> {
    return this.dataSource
      .getRepository(TandemRow)
      .find({ where: { networkId: In(networkIds), successorId: IsNull() }, order: { formedAt: 'ASC' } });
  }

  tandem(id: string): Promise<TandemRow | null> {
    return this.repo(TandemRow).findOneBy({ id });
  }

  /** Tandems a person is (or was) a member of. */
  tandemsOf(personId: string): Promise<TandemRow[]> {
    return this.repo(TandemRow).find({ where: [{ lowerMemberId: personId }, { upperMemberId: personId }] });
  }

  /**
   * A member changed: the successor tandem is stored and the old one points to it. False when the old one had a
   * successor already (a concurrent change came first); the caller refuses then.
   */
  async succeedTandem(em: EntityManager, predecessorId: string, successor: TandemRow): Promise<boolean> {
    const { affected } = await em.update(
      TandemRow,
      { id: predecessorId, successorId: IsNull() },
      { successorId: successor.id },
    );
    if (affected !== 1) return false;
    await em.insert(TandemRow, successor);
    return true;
  }

  moderatorTandem(id: string, em?: EntityManager): Promise<ModeratorTandemRow | null> {
    return this.repo(ModeratorTandemRow, em).findOneBy({ id });
  }

  group(id: string, em?: EntityManager): Promise<GroupRow | null> {
    return this.repo(GroupRow, em).findOneBy({ id });
  }

  groups(em?: EntityManager): Promise<GroupRow[]> {
    return this.repo(GroupRow, em).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async groupsModeratedBy(personId: string): Promise<GroupRow[]> {
    const tandems = await this.repo(ModeratorTandemRow).find({
      where: [{ firstMemberId: personId }, { secondMemberId: personId }],
    });
    if (!tandems.length) return [];
    return this.repo(GroupRow).find({
      where: { moderatorTandemId: In(tandems.map((t) => t.id)) },
      order: { createdAt: 'ASC' },
    });
  }

  event(id: string, em?: EntityManager): Promise<EventRow | null> {
    return this.repo(EventRow, em).findOneBy({ id });
  }

  events(groupId: string, em?: EntityManager): Promise<EventRow[]> {
    return this.repo(EventRow, em).find({ where: { groupId }, order: { seq: 'ASC' } });
  }

  eventsByIds(ids: string[]): Promise<EventRow[]> {
    return ids.length ? this.repo(EventRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  reflectionPhase(id: string): Promise<ReflectionPhaseRow | null> {
    return this.repo(ReflectionPhaseRow).findOneBy({ id });
  }

  reflectionPhases(groupId: string, em?: EntityManager): Promise<ReflectionPhaseRow[]> {
    return this.repo(ReflectionPhaseRow, em).find({ where: { groupId }, order: { dueOn: 'ASC' } });
  }

  attendanceOfEvent(eventId: string, em?: EntityManager): Promise<AttendanceRow[]> {
    return this.repo(AttendanceRow, em).findBy({ eventId });
  }

  /** Attendance of these persons at any event of any group, with the event's module (make-ups count). */
  async attendanceOf(personIds: string[]): Promise<AttendanceWithEvent[]> {
    if (!personIds.length) return [];
    const rows = await this.repo(AttendanceRow).findBy({ personId: In(personIds) });
    const events = new Map((await this.eventsByIds([...new Set(rows.map((r) => r.eventId))])).map((e) => [e.id, e]));
    return rows.map((r) => {
      const event = events.get(r.eventId)!;
      return {
        id: r.eventId,
        groupId: event.groupId,
        personId: r.personId,
        present: r.present,
        module: event.module,
        hours: event.hours,
        days: event.days,
      };
    });
  }

  /** Seats and waiting places of a group, each in order. */
  places(groupId: string, em?: EntityManager): Promise<GroupPlaceRow[]> {
    return this.repo(GroupPlaceRow, em).find({ where: { groupId }, order: { status: 'ASC', position: 'ASC' } });
  }

  place(enrolmentId: string, em?: EntityManager): Promise<GroupPlaceRow | null> {
    return this.repo(GroupPlaceRow, em).findOneBy({ enrolmentId });
  }

  /** Every evaluation with its event's module and first day, for the statewide results. */
  async allEvaluations(): Promise<{ module: string; title: string; year: string; rating: number }[]> {
    const rows = await this.repo(EvaluationRow).find();
    const events = new Map((await this.eventsByIds([...new Set(rows.map((r) => r.eventId))])).map((e) => [e.id, e]));
    return rows.map((r) => {
      const event = events.get(r.eventId)!;
      return { module: event.module, title: event.title, year: event.days[0].slice(0, 4), rating: r.rating };
    });
  }

  evaluations(eventId: string): Promise<EvaluationRow[]> {
    return this.repo(EvaluationRow).findBy({ eventId });
  }

  evaluation(eventId: string, personId: string): Promise<EvaluationRow | null> {
    return this.repo(EvaluationRow).findOneBy({ eventId, personId });
  }

  enrolment(id: string, em?: EntityManager): Promise<EnrolmentRow | null> {
    return this.repo(EnrolmentRow, em).findOneBy({ id });
  }

  enrolments(
    where: { districtId?: string; groupId?: string; tandemId?: string; state?: string } = {},
    em?: EntityManager,
  ): Promise<EnrolmentRow[]> {
    return this.repo(EnrolmentRow, em).find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Enrolments in any of these states. */
  enrolmentsIn(states: string[]): Promise<EnrolmentRow[]> {
    return this.repo(EnrolmentRow).find({ where: { state: In(states) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  certificate(id: string): Promise<CertificateRow | null> {
    return this.repo(CertificateRow).findOneBy({ id });
  }

  certificateByCode(code: string): Promise<CertificateRow | null> {
    return this.repo(CertificateRow).findOneBy({ code });
  }

  certificatesOfEnrolment(enrolmentId: string, em?: EntityManager): Promise<CertificateRow[]> {
    return this.repo(CertificateRow, em).findBy({ enrolmentId });
  }

  certificatesOfPerson(personId: string): Promise<CertificateRow[]> {
    return this.repo(CertificateRow).find({ where: { personId }, order: { issuedOn: 'ASC' } });
  }

  exchange(id: string, em?: EntityManager): Promise<ExchangeRow | null> {
    return this.repo(ExchangeRow, em).findOneBy({ id });
  }

  exchanges(): Promise<ExchangeRow[]> {
    return this.repo(ExchangeRow).find({ order: { heldOn: 'ASC' } });
  }

  invitation(id: string): Promise<ExchangeInvitationRow | null> {
    return this.repo(ExchangeInvitationRow).findOneBy({ id });
  }

  invitations(
    where: { exchangeId?: string; enrolmentId?: string },
    em?: EntityManager,
  ): Promise<ExchangeInvitationRow[]> {
    return this.repo(ExchangeInvitationRow, em).findBy(where);
  }
}
