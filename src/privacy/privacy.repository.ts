import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { AccountRow, ApiTokenRow, CalendarSubscriptionRow } from '../auth/entities.js';
import { JournalRow, OutboxRow } from '../engine/persistence/entities.js';
import { CorrectionRow, PseudonymisedPersonRow, RetentionPassRow } from '../master-data/master-data.entities.js';
import { holding } from '../master-data/workflow-copies.js';
import {
  AttendanceRow,
  CertificateRow,
  EnrolmentRow,
  EvaluationRow,
  EventRow,
  ExchangeInvitationRow,
  GroupRow,
  ModeratorTandemRow,
  PersonRow,
  TandemRow,
} from '../qualification/entities.js';

/** A person's sign-in: accounts, API tokens and calendar feeds act as the person (actor id = person id). */
const PERSON_ROLES = ['participant', 'moderator'];

/**
 * Everything Lotse stores about one person, read for an export, and the rows a pseudonymisation or erasure changes
 * outside the workflow engine (the engine's copies: WorkflowCopies). Reads the qualification's, the sign-in's and
 * the engine's tables; writes the person row, its correction history and the person's sign-in.
 */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly dataSource: DataSource) {}

  person(id: string): Promise<PersonRow | null> {
    return this.dataSource.getRepository(PersonRow).findOneBy({ id });
  }

  corrections(personId: string): Promise<CorrectionRow[]> {
    return this.dataSource
      .getRepository(CorrectionRow)
      .find({ where: { recordType: 'person', recordId: personId }, order: { id: 'ASC' } });
  }

  async isPseudonymised(personId: string): Promise<boolean> {
    return !!(await this.dataSource.getRepository(PseudonymisedPersonRow).findOneBy({ personId }));
  }

  tandemsOf(personId: string): Promise<TandemRow[]> {
    return this.dataSource
      .getRepository(TandemRow)
      .find({ where: [{ lowerMemberId: personId }, { upperMemberId: personId }], order: { formedAt: 'ASC' } });
  }

  enrolmentsOf(tandemIds: string[]): Promise<EnrolmentRow[]> {
    return tandemIds.length
      ? this.dataSource
          .getRepository(EnrolmentRow)
          .find({ where: { tandemId: In(tandemIds) }, order: { createdAt: 'ASC' } })
      : Promise.resolve([]);
  }

  invitationsOf(enrolmentIds: string[]): Promise<ExchangeInvitationRow[]> {
    return enrolmentIds.length
      ? this.dataSource.getRepository(ExchangeInvitationRow).findBy({ enrolmentId: In(enrolmentIds) })
      : Promise.resolve([]);
  }

  moderatorTandemsOf(personId: string): Promise<ModeratorTandemRow[]> {
    return this.dataSource
      .getRepository(ModeratorTandemRow)
      .find({ where: [{ firstMemberId: personId }, { secondMemberId: personId }] });
  }

  groupsOf(moderatorTandemIds: string[]): Promise<GroupRow[]> {
    return moderatorTandemIds.length
      ? this.dataSource
          .getRepository(GroupRow)
          .find({ where: { moderatorTandemId: In(moderatorTandemIds) }, order: { createdAt: 'ASC' } })
      : Promise.resolve([]);
  }

  eventsOf(groupIds: string[]): Promise<EventRow[]> {
    return groupIds.length
      ? this.dataSource.getRepository(EventRow).find({ where: { groupId: In(groupIds) }, order: { seq: 'ASC' } })
      : Promise.resolve([]);
  }

  eventsByIds(ids: string[]): Promise<EventRow[]> {
    return ids.length ? this.dataSource.getRepository(EventRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  attendanceOf(personId: string): Promise<AttendanceRow[]> {
    return this.dataSource.getRepository(AttendanceRow).find({ where: { personId }, order: { recordedAt: 'ASC' } });
  }

  evaluationsOf(personId: string): Promise<EvaluationRow[]> {
    return this.dataSource.getRepository(EvaluationRow).find({ where: { personId }, order: { submittedAt: 'ASC' } });
  }

  certificatesOf(personId: string): Promise<CertificateRow[]> {
    return this.dataSource.getRepository(CertificateRow).find({ where: { personId }, order: { issuedOn: 'ASC' } });
  }

  /** Journal rows holding any needle (the person's id, an address), written by the person, or of these instances. */
  async journalHolding(personId: string, needles: string[], instanceIds: string[] = []): Promise<JournalRow[]> {
    const where = holding('j.payload', needles);
    const ofInstances = instanceIds.length ? ' OR j.instance_id IN (:...instanceIds)' : '';
    return this.dataSource
      .getRepository(JournalRow)
      .createQueryBuilder('j')
      .where(`(${this.named(where)} OR j.actor_id = :personId${ofInstances})`, {
        ...this.parameters(where),
        personId,
        instanceIds,
      })
      .orderBy('j.at', 'ASC')
      .addOrderBy('j.id', 'ASC')
      .getMany();
  }

  async outboxHolding(needles: string[]): Promise<OutboxRow[]> {
    const where = holding('o.payload', needles);
    return this.dataSource
      .getRepository(OutboxRow)
      .createQueryBuilder('o')
      .where(this.named(where), this.parameters(where))
      .orderBy('o.id', 'ASC')
      .getMany();
  }

  accountsOf(personId: string): Promise<AccountRow[]> {
    return this.dataSource.getRepository(AccountRow).findBy({ actorId: personId, role: In(PERSON_ROLES) });
  }

  apiTokensOf(personId: string): Promise<ApiTokenRow[]> {
    return this.dataSource.getRepository(ApiTokenRow).findBy({ actorId: personId, role: In(PERSON_ROLES) });
  }

  subscriptionsOf(personId: string): Promise<CalendarSubscriptionRow[]> {
    return this.dataSource.getRepository(CalendarSubscriptionRow).find({
      where: [
        { ownerId: personId, ownerRole: In(PERSON_ROLES) },
        { kind: 'person', subjectId: personId },
      ],
    });
  }

  // --- writes, inside the pseudonymisation's or erasure's transaction

  async replacePerson(em: EntityManager, id: string, fields: { name: string; email: string }): Promise<void> {
    await em.update(PersonRow, { id }, fields);
  }

  async deletePerson(em: EntityManager, id: string): Promise<void> {
    await em.delete(CorrectionRow, { recordType: 'person', recordId: id });
    await em.delete(PersonRow, { id });
  }

  async rewriteCorrection(em: EntityManager, row: CorrectionRow): Promise<void> {
    await em.update(CorrectionRow, { id: row.id }, { changes: row.changes, note: row.note } as never);
  }

  async claimPass(em: EntityManager, day: string, at: string): Promise<void> {
    await em.insert(RetentionPassRow, { day, claimedAt: at });
  }

  async markPseudonymised(em: EntityManager, row: PseudonymisedPersonRow): Promise<void> {
    await em.insert(PseudonymisedPersonRow, row);
  }

  /** The person can no longer sign in or be reached through Lotse: accounts disabled and renamed, tokens and feeds revoked. */
  async closeSignIn(em: EntityManager, personId: string, pseudonym: string, now: string): Promise<number> {
    let closed = 0;
    for (const account of await em.findBy(AccountRow, { actorId: personId, role: In(PERSON_ROLES) })) {
      await em.update(
        AccountRow,
        { id: account.id },
        { name: pseudonym, username: `pseudonymised-${account.id}`, disabledAt: account.disabledAt ?? now },
      );
      closed++;
    }
    closed +=
      (
        await em.update(
          ApiTokenRow,
          { actorId: personId, role: In(PERSON_ROLES), revokedAt: IsNull() },
          { revokedAt: now },
        )
      ).affected ?? 0;
    closed +=
      (
        await em.update(
          CalendarSubscriptionRow,
          { ownerId: personId, ownerRole: In(PERSON_ROLES), revokedAt: IsNull() },
          { revokedAt: now },
        )
      ).affected ?? 0;
    closed +=
      (
        await em.update(
          CalendarSubscriptionRow,
          { kind: 'person', subjectId: personId, revokedAt: IsNull() },
          { revokedAt: now },
        )
      ).affected ?? 0;
    return closed;
  }

  /** `holding()`'s positional `?` as named parameters for the query builder. */
  private named(where: { sql: string }): string {
    let n = 0;
    return where.sql.replace(/\?/g, () => `:needle${n++}`);
  }

  private parameters(where: { parameters: string[] }): Record<string, string> {
    return Object.fromEntries(where.parameters.map((value, i) => [`needle${i}`, value]));
  }
}
