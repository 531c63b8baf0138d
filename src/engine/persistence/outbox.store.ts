import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, Raw, type FindOperator } from 'typeorm';
import { OutboxRow, type OutboxStatus } from './entities.js';
import { WriteSerializer } from './write-serializer.js';

const iso = (date: Date) => date.toISOString();

/** Which dead letters a bulk re-send takes: all of them, or those of one kind, one instance, queued in a period. */
export interface DeadLetterFilter {
  kind?: string;
  instanceId?: string;
  /** Queued at or after this instant. */
  from?: Date;
  /** Queued before this instant. */
  until?: Date;
}

/** The queue as operators watch it: what waits to be sent, since when, and what gave up. */
export interface OutboxBacklog {
  /** Pending and being sent. */
  unsent: number;
  /** When the oldest unsent message was queued. */
  oldestUnsentAt: string | null;
  deadLetters: number;
}

/** The only place that touches the outbox table. */
@Injectable()
export class OutboxStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  /**
   * Claims up to `limit` messages ready to send, oldest first: pending ones whose next attempt is due, and ones
   * whose earlier claim expired because the sender died. A claim lasts until `leaseUntil`. On PostgreSQL,
   * `FOR UPDATE SKIP LOCKED` lets several processes claim at once without getting the same message; on SQLite the
   * single writer does the same.
   */
  claimReady(now: Date, leaseUntil: Date, limit: number, kinds: string[]): Promise<OutboxRow[]> {
    if (!kinds.length) return Promise.resolve([]);
    return this.writes.transaction(async (em) => {
      const query = em
        .getRepository(OutboxRow)
        .createQueryBuilder('o')
        .where(new Brackets((q) => q.where("o.status = 'pending'").orWhere("o.status = 'sending'")))
        .andWhere('o.next_attempt_at <= :now', { now: iso(now) })
        .andWhere('o.kind IN (:...kinds)', { kinds })
        .orderBy('o.next_attempt_at', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(limit);
      if (em.connection.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await query.getMany();
      if (!rows.length) return rows;
      await em
        .createQueryBuilder()
        .update(OutboxRow)
        .set({ status: 'sending', nextAttemptAt: iso(leaseUntil) })
        .whereInIds(rows.map((row) => row.id))
        .execute();
      for (const row of rows) Object.assign(row, { status: 'sending', nextAttemptAt: iso(leaseUntil) });
      return rows;
    });
  }

  /**
   * Marks a claimed message sent. Only while the claim is still this sender's: after it expired, the message
   * belongs to whoever claimed it next.
   */
  async markSent(claimed: OutboxRow, now: Date): Promise<void> {
    await this.writes.transaction((em) =>
      em.update(OutboxRow, ownClaim(claimed), { status: 'sent', sentAt: iso(now), lastError: null }),
    );
  }

  /** Records a failed attempt of a claimed message: retried at `nextAttemptAt`, or dead-lettered when null. */
  async markFailedAttempt(claimed: OutboxRow, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.writes.transaction((em) =>
      em.update(OutboxRow, ownClaim(claimed), {
        attempts: claimed.attempts + 1,
        lastError: error.slice(0, 2000),
        status: nextAttemptAt ? 'pending' : 'failed',
        ...(nextAttemptAt ? { nextAttemptAt: iso(nextAttemptAt) } : {}),
      }),
    );
  }

  /** Puts a dead-lettered message back in the queue with a fresh attempt count. */
  async requeue(id: number, now: Date): Promise<OutboxRow | null> {
    return this.writes.transaction(async (em) => {
      const result = await em.update(
        OutboxRow,
        { id, status: 'failed' },
        { status: 'pending', attempts: 0, nextAttemptAt: iso(now) },
      );
      return result.affected === 1 ? em.findOneBy(OutboxRow, { id }) : null;
    });
  }

  /** Puts every dead letter the filter matches back in the queue with fresh attempts, in one statement. */
  async requeueDeadLetters(filter: DeadLetterFilter, now: Date): Promise<number> {
    return this.writes.transaction(async (em) => {
      const update = em
        .createQueryBuilder()
        .update(OutboxRow)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: iso(now) })
        .where("status = 'failed'");
      if (filter.kind) update.andWhere('kind = :kind', { kind: filter.kind });
      if (filter.instanceId) update.andWhere('instance_id = :instanceId', { instanceId: filter.instanceId });
      if (filter.from) update.andWhere('created_at >= :from', { from: iso(filter.from) });
      if (filter.until) update.andWhere('created_at < :until', { until: iso(filter.until) });
      return (await update.execute()).affected ?? 0;
    });
  }

  /** The earliest time at or before `until` when a pending message of one of `kinds` is due for its next attempt. */
  async nextAttempt(until: Date, kinds: string[]): Promise<Date | null> {
    if (!kinds.length) return null;
    const row = await this.dataSource
      .getRepository(OutboxRow)
      .createQueryBuilder('o')
      .select('MIN(o.next_attempt_at)', 'next')
      .where("o.status = 'pending'")
      .andWhere('o.next_attempt_at <= :until', { until: iso(until) })
      .andWhere('o.kind IN (:...kinds)', { kinds })
      .getRawOne<{ next: string | null }>();
    return row?.next ? new Date(row.next) : null;
  }

  async backlog(): Promise<OutboxBacklog> {
    const counts = await this.dataSource
      .getRepository(OutboxRow)
      .createQueryBuilder('o')
      .select("SUM(CASE WHEN o.status IN ('pending', 'sending') THEN 1 ELSE 0 END)", 'unsent')
      .addSelect("MIN(CASE WHEN o.status IN ('pending', 'sending') THEN o.created_at END)", 'oldest')
      .addSelect("SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END)", 'failed')
      .where("o.status IN ('pending', 'sending', 'failed')")
      .getRawOne<{ unsent: string | number | null; oldest: string | null; failed: string | number | null }>();
    return {
      unsent: Number(counts?.unsent ?? 0),
      oldestUnsentAt: counts?.oldest ?? null,
      deadLetters: Number(counts?.failed ?? 0),
    };
  }

  find(id: number): Promise<OutboxRow | null> {
    return this.dataSource.getRepository(OutboxRow).findOneBy({ id });
  }

  list(filter: {
    status?: OutboxStatus;
    kind?: string;
    instanceId?: string;
    visible?: InstanceVisibility;
    offset: number;
    limit: number;
  }): Promise<[OutboxRow[], number]> {
    const where = {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.instanceId ? { instanceId: filter.instanceId } : visibleInstances(filter.visible ?? 'all')),
    };
    return this.dataSource
      .getRepository(OutboxRow)
      .findAndCount({ where, order: { id: 'ASC' }, skip: filter.offset, take: filter.limit });
  }
}

/** The row as this sender claimed it: still `sending`, under the same lease. */
function ownClaim(claimed: OutboxRow): Pick<OutboxRow, 'id' | 'status' | 'nextAttemptAt'> {
  return { id: claimed.id, status: 'sending', nextAttemptAt: claimed.nextAttemptAt };
}

/** Which instances' records a caller may list (decided by the access policy, src/auth). */
export type InstanceVisibility = 'all' | { ids: string[] } | { notOfDefinitions: string[] };

function visibleInstances(visible: InstanceVisibility): { instanceId?: FindOperator<string> } {
  if (visible === 'all') return {};
  if ('ids' in visible) return { instanceId: In(visible.ids.length ? visible.ids : ['']) };
  return {
    instanceId: Raw(
      (column) => `${column} IN (SELECT id FROM workflow_instances WHERE definition NOT IN (:...closed))`,
      { closed: [...visible.notOfDefinitions, ''] },
    ),
  };
}
