import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import type { DesiredTimer } from '../machine-runtime.js';
import type { EffectSpec } from '../workflow.js';
import { IdempotencyRow, JournalRow, OutboxRow, TimerRow, WorkflowInstanceRow, type JsonObject } from './entities.js';
import { WriteSerializer } from './write-serializer.js';

/** Thrown inside a commit when the instance changed since it was read; the engine retries. */
export class StaleInstance extends Error {}

export interface InstanceFilter {
  definition?: string;
  version?: number;
  /** Matches the state and every state below it: `review` matches `review.awaitingEvaluation`. */
  state?: string;
  offset: number;
  limit: number;
}

/** Everything one accepted event changes, written in one transaction. */
export interface Commit {
  instance: WorkflowInstanceRow;
  /** The version the change was computed from; null for a new instance. */
  readVersion: number | null;
  /** The timer digest the change was computed from; null for a new instance. */
  previousTimerDigest: string | null;
  journal: Omit<JournalRow, 'id' | 'seq' | 'instanceId'>;
  timers: DesiredTimer[];
  effects: EffectSpec[];
  /** The timer whose firing caused this commit. */
  firedTimerId?: number;
  /** A programme's own rows that must change together with this step (e.g. a contract's status). */
  alsoWrite?: (manager: EntityManager) => Promise<void>;
  idempotency?: Omit<IdempotencyRow, 'response'> & { response: (instance: WorkflowInstanceRow) => Record<string, unknown> };
}

const iso = (date: Date) => date.toISOString();

/** The only place the engine touches SQL for instances, their journal, timers and idempotency keys. */
@Injectable()
export class InstanceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  /** Read before every event, so it skips the query builder. */
  async find(id: string): Promise<WorkflowInstanceRow | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(placeholders(this.dataSource.manager, 'SELECT * FROM workflow_instances WHERE id = ?'), [id]);
    if (!rows.length) return null;
    const record = rows[0];
    return Object.assign(new WorkflowInstanceRow(), {
      id: record.id, definition: record.definition, definitionVersion: Number(record.definition_version), state: record.state,
      status: record.status, snapshot: JSON.parse(record.snapshot as string), context: JSON.parse(record.context as string),
      timerDigest: record.timer_digest, version: Number(record.version), createdAt: record.created_at, updatedAt: record.updated_at,
    });
  }

  /** The current state of each of these instances, by id. */
  async statesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource.getRepository(WorkflowInstanceRow).find({ select: { id: true, state: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, row.state]));
  }

  async list(filter: InstanceFilter): Promise<{ total: number; items: WorkflowInstanceRow[] }> {
    const query = this.dataSource.getRepository(WorkflowInstanceRow).createQueryBuilder('i');
    if (filter.definition) query.andWhere('i.definition = :definition', { definition: filter.definition });
    if (filter.version !== undefined) query.andWhere('i.definition_version = :version', { version: filter.version });
    if (filter.state) {
      query.andWhere(new Brackets((q) => q.where('i.state = :state').orWhere('i.state LIKE :below')), {
        state: filter.state,
        below: `${filter.state.replace(/[%_]/g, '')}.%`,
      });
    }
    const [items, total] = await query.orderBy('i.created_at', 'ASC').addOrderBy('i.id', 'ASC').skip(filter.offset).take(filter.limit).getManyAndCount();
    return { total, items };
  }

  journal(instanceId: string): Promise<JournalRow[]> {
    return this.dataSource.getRepository(JournalRow).find({ where: { instanceId }, order: { seq: 'ASC' } });
  }

  pendingTimers(instanceId: string): Promise<TimerRow[]> {
    return this.dataSource.getRepository(TimerRow).find({ where: { instanceId, status: 'pending' }, order: { dueAt: 'ASC', key: 'ASC' } });
  }

  /**
   * Claims up to `limit` pending timers due at or before `now`, oldest first, for one scheduler until `claimedUntil`.
   * On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several processes claim at the same moment, each getting other
   * timers; on SQLite the single writer does the same. A claim that expired (its process died) is taken over.
   */
  claimDueTimers(now: Date, claimedUntil: Date, limit: number): Promise<TimerRow[]> {
    return this.writes.transaction(async (em) => {
      const query = em.getRepository(TimerRow).createQueryBuilder('t')
        .where("t.status = 'pending'").andWhere('t.due_at <= :now', { now: iso(now) })
        .andWhere(new Brackets((q) => q.where('t.claimed_until IS NULL').orWhere('t.claimed_until <= :now', { now: iso(now) })))
        .orderBy('t.due_at', 'ASC').addOrderBy('t.id', 'ASC').limit(limit);
      if (em.connection.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const timers = await query.getMany();
      if (!timers.length) return timers;
      await em.createQueryBuilder().update(TimerRow).set({ claimedUntil: iso(claimedUntil) }).whereInIds(timers.map((t) => t.id)).execute();
      for (const timer of timers) timer.claimedUntil = iso(claimedUntil);
      return timers;
    });
  }

  /** Gives a claimed timer back at once (its firing failed), so that the next tick anywhere tries it again. */
  async releaseTimer(timerId: number): Promise<void> {
    await this.writes.transaction((em) => em.update(TimerRow, { id: timerId, status: 'pending' }, { claimedUntil: null }));
  }

  /**
   * When the next pending timer due at or before `until` can be fired: its due time, or the end of a claim on it.
   * Null when none is due by then.
   */
  async nextTimer(until: Date): Promise<Date | null> {
    const rows: { next: string | null }[] = await this.dataSource.query(placeholders(this.dataSource.manager,
      `SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > due_at THEN claimed_until ELSE due_at END) AS next
         FROM timers WHERE status = 'pending' AND due_at <= ?`), [iso(until)]);
    const next = rows[0]?.next;
    return next && next <= iso(until) ? new Date(next) : null;
  }

  /** Pending timers already due at `now`: how many, and the due time of the oldest (for /health). */
  async overdueTimers(now: Date): Promise<{ count: number; oldestDueAt: string | null }> {
    const rows: { count: number | string; oldest: string | null }[] = await this.dataSource.query(placeholders(this.dataSource.manager,
      "SELECT COUNT(*) AS count, MIN(due_at) AS oldest FROM timers WHERE status = 'pending' AND due_at <= ?"), [iso(now)]);
    return { count: Number(rows[0]?.count ?? 0), oldestDueAt: rows[0]?.oldest ?? null };
  }

  findIdempotency(key: string): Promise<IdempotencyRow | null> {
    return this.dataSource.getRepository(IdempotencyRow).findOneBy({ key });
  }

  /** Writes a commit; throws StaleInstance when another writer got there first. */
  commit(commit: Commit, now: Date): Promise<WorkflowInstanceRow> {
    return this.writes.transaction(async (em) => {
      const instance = commit.instance;
      if (commit.readVersion === null) {
        await em.insert(WorkflowInstanceRow, instance);
      } else {
        // The hot path of every event: plain parameterised SQL, no entity metadata round trip.
        const updated = await run(em, `UPDATE workflow_instances SET state = ?, status = ?, snapshot = ?, context = ?, timer_digest = ?,
            definition_version = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`, [
          instance.state, instance.status, JSON.stringify(instance.snapshot), JSON.stringify(instance.context), instance.timerDigest,
          instance.definitionVersion, instance.version, instance.updatedAt, instance.id, commit.readVersion,
        ]);
        if (updated !== 1) throw new StaleInstance(`instance ${instance.id} changed since version ${commit.readVersion}`);
      }
      const entry = commit.journal;
      await run(em, `INSERT INTO journal (instance_id, seq, at, actor_id, actor_role, event_type, payload, state_before, state_after)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        instance.id, instance.version, entry.at, entry.actorId, entry.actorRole, entry.eventType, JSON.stringify(entry.payload),
        entry.stateBefore, entry.stateAfter,
      ]);
      if (commit.firedTimerId !== undefined) {
        await em.update(TimerRow, { id: commit.firedTimerId }, { status: 'fired', firedAt: iso(now) });
      }
      if (commit.firedTimerId !== undefined || commit.previousTimerDigest !== instance.timerDigest) {
        await this.syncTimers(em, instance.id, commit.timers, commit.readVersion === null, now);
      }
      await insertEffects(em, instance.id, commit.effects, now);
      if (commit.alsoWrite) await commit.alsoWrite(em);
      if (commit.idempotency) {
        const { response, ...key } = commit.idempotency;
        await em.insert(IdempotencyRow, { ...key, response: response(instance) as JsonObject });
      }
      return instance;
    });
  }

  /**
   * Marks an effect timer fired and queues its effect, in one transaction; nothing when it is no longer pending.
   * The effect is read again inside the transaction: a step committed since the claim may have changed it.
   */
  fireEffectTimer(timer: TimerRow, now: Date): Promise<void> {
    return this.writes.transaction(async (em) => {
      const result = await em.update(TimerRow, { id: timer.id, status: 'pending' }, { status: 'fired', firedAt: iso(now) });
      if (result.affected !== 1) return;
      const [current] = await select<{ effect: string }>(em, 'SELECT effect FROM timers WHERE id = ?', [timer.id]);
      await insertEffects(em, timer.instanceId, [JSON.parse(current.effect) as EffectSpec], now);
    });
  }

  /** Marks a timer fired without an effect (its instance no longer accepts its event). */
  async discardTimer(timerId: number, now: Date): Promise<void> {
    await this.writes.transaction((em) => em.update(TimerRow, { id: timerId, status: 'pending' }, { status: 'fired', firedAt: iso(now) }));
  }

  /**
   * Makes the pending timers of an instance equal to `desired`: a timer no longer declared is cancelled; a declared
   * (key, due time) that already fired stays fired, so each deadline fires once however often its state is entered.
   * An effect timer already past due when first declared is stored as skipped: reminders are never sent late for
   * dates that lay in the past when they became known. Event timers in the past fire on the next tick.
   */
  private async syncTimers(em: EntityManager, instanceId: string, desired: DesiredTimer[], isNew: boolean, now: Date): Promise<void> {
    const wanted = new Map(desired.map((t) => [`${t.key}@${iso(t.dueAt)}`, t]));
    if (!isNew) {
      const keys = desired.map((t) => t.key);
      const rows = await select<{ id: number; key: string; due_at: string; status: string; event: string | null; effect: string | null }>(em,
        `SELECT id, key, due_at, status, event, effect FROM timers WHERE instance_id = ?
           AND (status = 'pending'${keys.length ? ` OR key IN (${keys.map(() => '?').join(', ')})` : ''})`, [instanceId, ...keys]);
      for (const row of rows) {
        const id = `${row.key}@${row.due_at}`;
        const keep = wanted.get(id);
        if (keep) {
          wanted.delete(id);
          const event = keep.event ? JSON.stringify(keep.event) : null;
          const effect = keep.effect ? JSON.stringify(keep.effect) : null;
          // A pending timer carries what it will do; when the data behind it changed, so does its payload.
          if (row.status === 'cancelled' || (row.status === 'pending' && (row.event !== event || row.effect !== effect))) {
            await run(em, "UPDATE timers SET status = 'pending', event = ?, effect = ? WHERE id = ?", [event, effect, row.id]);
          }
        } else if (row.status === 'pending') {
          await run(em, "UPDATE timers SET status = 'cancelled' WHERE id = ?", [row.id]);
        }
      }
    }
    if (wanted.size) {
      await em.insert(TimerRow, [...wanted.values()].map((t) => ({
        instanceId, key: t.key, dueAt: iso(t.dueAt), status: t.effect && t.dueAt < now ? ('skipped' as const) : ('pending' as const),
        event: (t.event as JsonObject | undefined) ?? null, effect: (t.effect as JsonObject | undefined) ?? null, firedAt: null,
      })));
    }
  }
}

/** `?` placeholders become `$1, $2, …` on PostgreSQL. */
function placeholders(em: EntityManager, sql: string): string {
  return em.connection.options.type === 'postgres' ? sql.replace(/\?/g, ((n) => () => `$${++n}`)(0)) : sql;
}

/** Runs one statement inside the transaction of `em`; returns the number of rows it changed. */
async function run(em: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const result = await em.queryRunner!.query(placeholders(em, sql), parameters, true);
  return result.affected ?? 0;
}

async function select<T>(em: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await em.queryRunner!.query(placeholders(em, sql), parameters, true);
  return result.records as T[];
}

async function insertEffects(em: EntityManager, instanceId: string, effects: EffectSpec[], now: Date): Promise<void> {
  if (!effects.length) return;
  await em.createQueryBuilder().insert().into(OutboxRow).orIgnore().values(effects.map((effect) => ({
    key: `${instanceId}:${effect.key}`, instanceId, kind: effect.kind, payload: effect.payload as JsonObject, status: 'pending' as const,
    attempts: 0, nextAttemptAt: iso(now), lastError: null, createdAt: iso(now), sentAt: null,
  }))).execute();
}
