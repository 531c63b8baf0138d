import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { AuditRow } from './audit.entities.js';

export interface AuditFilter {
  /** Rows about this person, or done by them. */
  person?: string;
  action?: string;
  /** Instants, `from` inclusive, `until` exclusive. */
  from?: string;
  until?: string;
  offset: number;
  limit: number;
}

/**
 * The only place that touches the audit log. It inserts and reads: there is deliberately no update or delete here,
 * and the database refuses both.
 */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  async insert(em: EntityManager, rows: AuditRow[]): Promise<void> {
    if (rows.length) await em.insert(AuditRow, rows as never);
  }

  /** Inserts in a transaction of its own (for reads, which have no write to join). */
  async insertAlone(rows: AuditRow[]): Promise<void> {
    if (rows.length) await this.writes.transaction((em) => this.insert(em, rows));
  }

  list(filter: AuditFilter): Promise<[AuditRow[], number]> {
    const query = this.dataSource.getRepository(AuditRow).createQueryBuilder('a');
    if (filter.person)
      query.andWhere(new Brackets((q) => q.where('a.person_id = :person').orWhere('a.actor_id = :person')), {
        person: filter.person,
      });
    if (filter.action) query.andWhere('a.action = :action', { action: filter.action });
    if (filter.from) query.andWhere('a.at >= :from', { from: filter.from });
    if (filter.until) query.andWhere('a.at < :until', { until: filter.until });
    return query.orderBy('a.id', 'ASC').skip(filter.offset).take(filter.limit).getManyAndCount();
  }

  /** Every row about a person or done by them, for an export (DSGVO Art. 15). */
  about(personId: string): Promise<AuditRow[]> {
    return this.dataSource
      .getRepository(AuditRow)
      .createQueryBuilder('a')
      .where('a.person_id = :person')
      .orWhere('a.actor_id = :person')
      .setParameters({ person: personId })
      .orderBy('a.id', 'ASC')
      .getMany();
  }

  /** The holder of a certificate, whose data its PDF shows. */
  async certificateHolder(certificateId: string): Promise<string | null> {
    const rows: { person_id: string }[] = await this.dataSource.query(
      this.sql('SELECT person_id FROM qual_certificates WHERE id = ?'),
      [certificateId],
    );
    return rows[0]?.person_id ?? null;
  }

  /**
   * Who stands behind mail addresses shown without an id (a message's recipient): a person of the qualification, or
   * a contract administrator (by the id its contract names). An address Lotse cannot place is left out.
   */
  async idsByEmail(emails: string[]): Promise<string[]> {
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    if (!wanted.length) return [];
    const marks = wanted.map(() => '?').join(', ');
    const persons: { id: string }[] = await this.dataSource.query(
      this.sql(`SELECT id FROM qual_persons WHERE LOWER(email) IN (${marks})`),
      wanted,
    );
    const admins: { actor_id: string }[] = await this.dataSource.query(
      this.sql(`SELECT DISTINCT actor_id FROM contract_admins WHERE LOWER(email) IN (${marks})`),
      wanted,
    );
    return [...persons.map((p) => p.id), ...admins.map((a) => a.actor_id)];
  }

  private sql(text: string): string {
    return this.dataSource.options.type === 'postgres'
      ? text.replace(
          /\?/g,
          (
            (n) => () =>
              `$${++n}`
          )(0),
        )
      : text;
  }
}
