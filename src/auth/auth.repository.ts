import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { PartnerSide } from '../../workflows/contract-review/contract.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { AccountRow, ApiTokenRow, CalendarSubscriptionRow, PrincipalRow, SigningKeyRow } from './entities.js';
import type { Role } from './policy.js';

/** The only place that touches the sign-in and subscription tables. */
@Injectable()
export class AuthRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.writes.transaction(work);
  }

  signingKey(): Promise<SigningKeyRow | null> {
    return this.dataSource.getRepository(SigningKeyRow).findOneBy({ id: 'local' });
  }

  /** Stores the generated key unless another process stored one first; answers the key that is stored. */
  storeSigningKey(row: SigningKeyRow): Promise<SigningKeyRow> {
    return this.writes.transaction(async (em) => {
      await em.createQueryBuilder().insert().into(SigningKeyRow).values(row).orIgnore().execute();
      return em.findOneByOrFail(SigningKeyRow, { id: row.id });
    });
  }

  accountByUsername(username: string): Promise<AccountRow | null> {
    return this.dataSource.getRepository(AccountRow).findOneBy({ username: username.toLowerCase() });
  }

  principal(role: Role, actorId: string): Promise<PrincipalRow | null> {
    return this.dataSource.getRepository(PrincipalRow).findOneBy({ role, actorId });
  }

  /** Adds the principal, or updates its partner when the identity provider now says otherwise. */
  async rememberPrincipal(row: PrincipalRow): Promise<void> {
    await this.writes.transaction(async (em) => {
      const existing = await em.findOneBy(PrincipalRow, { role: row.role, actorId: row.actorId });
      if (!existing) await em.createQueryBuilder().insert().into(PrincipalRow).values(row).orIgnore().execute();
      else if (existing.partner !== row.partner)
        await em.update(PrincipalRow, { role: row.role, actorId: row.actorId }, { partner: row.partner });
    });
  }

  /** Contract administrators known by id, with the partner their sign-in named. */
  async contractAdmins(ids: string[]): Promise<{ id: string; partner: PartnerSide | null }[]> {
    if (!ids.length) return [];
    const rows = await this.dataSource
      .getRepository(PrincipalRow)
      .createQueryBuilder('p')
      .where('p.role = :role', { role: 'contract_admin' })
      .andWhere('p.actor_id IN (:...ids)', { ids })
      .getMany();
    return rows.map((row) => ({ id: row.actorId, partner: row.partner }));
  }

  apiTokenByHash(tokenHash: string): Promise<ApiTokenRow | null> {
    return this.dataSource.getRepository(ApiTokenRow).findOneBy({ tokenHash });
  }

  apiTokensOf(role: Role, actorId: string): Promise<ApiTokenRow[]> {
    return this.dataSource.getRepository(ApiTokenRow).find({ where: { role, actorId }, order: { createdAt: 'ASC' } });
  }

  apiToken(id: string): Promise<ApiTokenRow | null> {
    return this.dataSource.getRepository(ApiTokenRow).findOneBy({ id });
  }

  subscriptionByHash(tokenHash: string): Promise<CalendarSubscriptionRow | null> {
    return this.dataSource.getRepository(CalendarSubscriptionRow).findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  subscriptionsOf(role: Role, ownerId: string): Promise<CalendarSubscriptionRow[]> {
    return this.dataSource
      .getRepository(CalendarSubscriptionRow)
      .find({ where: { ownerRole: role, ownerId }, order: { createdAt: 'ASC' } });
  }

  subscription(id: string): Promise<CalendarSubscriptionRow | null> {
    return this.dataSource.getRepository(CalendarSubscriptionRow).findOneBy({ id });
  }
}
