import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, Raw, type FindOperator } from 'typeorm';
import { OutboxRow, type OutboxStatus } from './entities.js';
import { WriteSerializer } from './write-serializer.js';

const iso = (date: Date) => date.toISOString();

/** The only place that touches the outbox table. */
@Injectable()
export class OutboxStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  /**
   * Claims up to `limit` messages ready to send, oldest first: pending ones whose next attempt is due, and ones
   * whose earlier claim expired because the sender died. A claim lasts until `leaseUntil`.
   */
  claimReady(now: Date, leaseUntil: Date, limit: number, kinds: string[]): Promise<OutboxRow[]> {
    if (!kinds.length) return Promise.resolve([]);
    return this.writes.transaction(async (em) => {
      const rows = await em.getRepository(OutboxRow).createQueryBuilder('o')
        .where(new Brackets((q) => q.where("o.status = 'pending'").orWhere("o.status = 'sending'")))
        .andWhere('o.next_attempt_at <= :now', { now: iso(now) })
        .andWhere('o.kind IN (:...kinds)', { kinds })
        .orderBy('o.next_attempt_at', 'ASC').addOrderBy('o.id', 'ASC').limit(limit).getMany();
      for (const row of rows) {
        await em.update(OutboxRow, { id: row.id, status: row.status, nextAttemptAt: row.nextAttemptAt }, { status: 'sending', nextAttemptAt: iso(leaseUntil) });
        row.status = 'sending';
      }
      return rows;
    });
  }

  async markSent(id: number, now: Date): Promise<void> {
    await this.writes.transaction((em) => em.update(OutboxRow, { id }, { status: 'sent', sentAt: iso(now), lastError: null }));
  }

  async markFailedAttempt(row: OutboxRow, error: string, nextAttemptAt: Date | null): Promise<void> {
    await this.writes.transaction((em) => em.update(OutboxRow, { id: row.id }, {
      attempts: row.attempts + 1,
      lastError: error.slice(0, 2000),
      status: nextAttemptAt ? 'pending' : 'failed',
      ...(nextAttemptAt ? { nextAttemptAt: iso(nextAttemptAt) } : {}),
    }));
  }

  /** Puts a dead-lettered message back in the queue with a fresh attempt count. */
  async requeue(id: number, now: Date): Promise<OutboxRow | null> {
    return this.writes.transaction(async (em) => {
      const result = await em.update(OutboxRow, { id, status: 'failed' }, { status: 'pending', attempts: 0, nextAttemptAt: iso(now) });
      return result.affected === 1 ? em.findOneBy(OutboxRow, { id }) : null;
    });
  }

  find(id: number): Promise<OutboxRow | null> {
    return this.dataSource.getRepository(OutboxRow).findOneBy({ id });
  }

  list(filter: { status?: OutboxStatus; kind?: string; instanceId?: string; visible?: InstanceVisibility; offset: number; limit: number }): Promise<[OutboxRow[], number]> {
    const where = {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.instanceId ? { instanceId: filter.instanceId } : visibleInstances(filter.visible ?? 'all')),
    };
    return this.dataSource.getRepository(OutboxRow).findAndCount({ where, order: { id: 'ASC' }, skip: filter.offset, take: filter.limit });
  }
}

/** Which instances' records a caller may list (decided by the access policy, src/auth). */
export type InstanceVisibility = 'all' | { ids: string[] } | { notOfDefinitions: string[] };

function visibleInstances(visible: InstanceVisibility): { instanceId?: FindOperator<string> } {
  if (visible === 'all') return {};
  if ('ids' in visible) return { instanceId: In(visible.ids.length ? visible.ids : ['']) };
  return {
    instanceId: Raw((column) => `${column} IN (SELECT id FROM workflow_instances WHERE definition NOT IN (:...closed))`, { closed: [...visible.notOfDefinitions, ''] }),
  };
}
