import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { TimerRow } from '../engine/persistence/entities.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { EnrolmentRow, NetworkRow, PersonRow, SchoolOfficeRow, TandemRow } from '../qualification/entities.js';
import { CorrectionRow, PseudonymisedPersonRow, type RecordType } from './master-data.entities.js';

export interface Paging {
  offset: number;
  limit: number;
}

/**
 * Master data as the qualification stores it (persons, tandems, Schulämter, networks: its tables, read and corrected
 * here) and the correction history. The only TypeORM user of the master-data module.
 */
@Injectable()
export class MasterDataRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.writes.transaction(work);
  }

  private repo<T extends ObjectLiteral>(entity: EntityTarget<T>) {
    return this.dataSource.getRepository(entity);
  }

  person(id: string): Promise<PersonRow | null> {
    return this.repo(PersonRow).findOneBy({ id });
  }

  /** Persons of a district (all without), optionally those whose name or address contains `search`; by name. */
  persons(filter: { districtId?: string; search?: string } & Paging): Promise<[PersonRow[], number]> {
    const query = this.repo(PersonRow).createQueryBuilder('p');
    if (filter.districtId) query.andWhere('p.district_id = :district', { district: filter.districtId });
    if (filter.search) {
      const like = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        new Brackets((q) =>
          q.where("LOWER(p.name) LIKE :like ESCAPE '\\'").orWhere("LOWER(p.email) LIKE :like ESCAPE '\\'"),
        ),
        { like },
      );
    }
    return query
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
  }

  personsByIds(ids: string[]): Promise<PersonRow[]> {
    return ids.length ? this.repo(PersonRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  async pseudonymised(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set((await this.repo(PseudonymisedPersonRow).findBy({ personId: In(ids) })).map((row) => row.personId));
  }

  tandem(id: string): Promise<TandemRow | null> {
    return this.repo(TandemRow).findOneBy({ id });
  }

  /** Tandems of networks in a district (all without), newest first. */
  tandems(filter: { districtId?: string } & Paging): Promise<[TandemRow[], number]> {
    const query = this.repo(TandemRow).createQueryBuilder('t');
    if (filter.districtId)
      query.where('t.network_id IN (SELECT n.id FROM qual_networks n WHERE n.district_id = :district)', {
        district: filter.districtId,
      });
    return query
      .orderBy('t.formed_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
  }

  /** Tandems a person is or was a member of. */
  tandemsOf(personId: string): Promise<TandemRow[]> {
    return this.repo(TandemRow).find({
      where: [{ lowerMemberId: personId }, { upperMemberId: personId }],
      order: { formedAt: 'ASC' },
    });
  }

  enrolmentsOfTandem(tandemId: string): Promise<EnrolmentRow[]> {
    return this.repo(EnrolmentRow).find({ where: { tandemId }, order: { createdAt: 'ASC' } });
  }

  network(id: string): Promise<NetworkRow | null> {
    return this.repo(NetworkRow).findOneBy({ id });
  }

  networksByIds(ids: string[]): Promise<NetworkRow[]> {
    return ids.length ? this.repo(NetworkRow).findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  schoolOffice(id: string): Promise<SchoolOfficeRow | null> {
    return this.repo(SchoolOfficeRow).findOneBy({ id });
  }

  schoolOffices(filter: { districtId?: string } & Paging): Promise<[SchoolOfficeRow[], number]> {
    return this.repo(SchoolOfficeRow).findAndCount({
      where: filter.districtId ? { districtId: filter.districtId } : {},
      order: { name: 'ASC', id: 'ASC' },
      skip: filter.offset,
      take: filter.limit,
    });
  }

  personsAtSchoolOffice(schoolOfficeId: string): Promise<PersonRow[]> {
    return this.repo(PersonRow).findBy({ schoolOfficeId });
  }

  corrections(recordType: RecordType, recordId: string): Promise<CorrectionRow[]> {
    return this.repo(CorrectionRow).find({ where: { recordType, recordId }, order: { id: 'ASC' } });
  }

  /**
   * A row read inside a write transaction, locked against concurrent corrections on PostgreSQL (SQLite's writes are
   * serialised anyway), so a correction's "before" is the value it replaced.
   */
  locked<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, id: string): Promise<T | null> {
    const query = em.getRepository(entity).createQueryBuilder('r').where('r.id = :id', { id });
    if (em.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    return query.getOne();
  }

  async update<T extends ObjectLiteral>(
    em: EntityManager,
    entity: EntityTarget<T>,
    id: string,
    changes: Partial<T>,
  ): Promise<void> {
    await em.update(entity, { id } as never, changes as never);
  }

  async insertCorrections(em: EntityManager, rows: CorrectionRow[]): Promise<void> {
    if (rows.length) await em.insert(CorrectionRow, rows as never);
  }

  /** Reminders waiting to go to this address (a reminder's key ends in its recipient's address). */
  async pendingRemindersTo(em: EntityManager, email: string): Promise<number> {
    const pattern = `%:${email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}`;
    return em
      .getRepository(TimerRow)
      .createQueryBuilder('t')
      .where("t.status = 'pending' AND t.effect IS NOT NULL AND t.key LIKE :pattern ESCAPE '\\'", { pattern })
      .getCount();
  }
}
