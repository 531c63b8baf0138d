import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import type { DesiredTimer } from '../machine-runtime.js';
import type { EffectSpec } from '../workflow.js';
import type { InstanceChange } from '../command.js';
import { JournalRow, OutboxRow, TimerRow, WorkflowInstanceRow, type JsonObject } from './entities.js';
import { StaleInstance, TimerAlreadyHandled } from './conflicts.js';
import { DatabaseConnections } from '../../database/database.module.js';
import { sqlIn, sqlOf } from './sql.js';
import { WriteSerializer } from './write-serializer.js';

export { StaleInstance, TimerAlreadyHandled } from './conflicts.js';

export interface InstanceFilter {
  definition?: string;
  version?: number;
  /** Matches the state and every state below it: `review` matches `review.awaitingEvaluation`. */
  state?: string;
  offset: number;
  limit: number;
}

const iso = (date: Date) => date.toISOString();

/** The only place the engine touches SQL for instances, their journal, timers and idempotency keys. */
@Injectable()
export class InstanceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
    private readonly connections: DatabaseConnections,
  ) {}

  /** Read before every event and every GET, so it is one plain statement. */
  async find(id: string): Promise<WorkflowInstanceRow | null> {
    const rows = await sqlOf(this.connections).all<Record<string, unknown>>(
      'SELECT * FROM workflow_instances WHERE id = ?',
      [id],
    );
    if (!rows.length) return null;
    const record = rows[0];
    return Object.assign(new WorkflowInstanceRow(), {
      id: record.id,
      definition: record.definition,
      definitionVersion: Number(record.definition_version),
      state: record.state,
      status: record.status,
      snapshot: JSON.parse(record.snapshot as string),
      context: JSON.parse(record.context as string),
      timerDigest: record.timer_digest,
      version: Number(record.version),
      createdAt: record.created_at,
      updatedAt: record.updated_at,
      journalHead: record.journal_head === null ? null : Number(record.journal_head),
    });
  }

  /** The current state of each of these instances, by id. */
  async statesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.dataSource
      .getRepository(WorkflowInstanceRow)
      .find({ select: { id: true, state: true }, where: { id: In(ids) } });
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
    const [items, total] = await query
      .orderBy('i.created_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
    return { total, items };
  }

  /** The instance's journal, oldest first: its chain from the instance's last entry back, one lookup by id each. */
  async journal(instanceId: string): Promise<JournalRow[]> {
    const rows = await sqlOf(this.connections).all<Record<string, unknown>>(
      `WITH RECURSIVE chain (id) AS (
         SELECT journal_head FROM workflow_instances WHERE id = ?
         UNION ALL
         SELECT j.prev_id FROM journal j JOIN chain ON j.id = chain.id WHERE j.prev_id IS NOT NULL)
       SELECT j.id, j.instance_id, j.seq, j.at, j.actor_id, j.actor_role, j.event_type, j.payload, j.state_before,
              j.state_after
         FROM journal j JOIN chain ON j.id = chain.id ORDER BY j.seq`,
      [instanceId],
    );
    return rows.map((record) =>
      Object.assign(new JournalRow(), {
        id: Number(record.id),
        instanceId: record.instance_id,
        seq: Number(record.seq),
        at: record.at,
        actorId: record.actor_id,
        actorRole: record.actor_role,
        eventType: record.event_type,
        payload: JSON.parse(record.payload as string),
        stateBefore: record.state_before,
        stateAfter: record.state_after,
      }),
    );
  }

  /** What GET of an instance shows of its timers, in one plain statement. */
  pendingTimers(
    instanceId: string,
  ): Promise<{ key: string; dueAt: string; event: string | null; effect: string | null }[]> {
    return sqlOf(this.connections).all(
      `SELECT key, due_at AS "dueAt", event, effect FROM timers WHERE instance_id = ? AND status = 'pending'
        ORDER BY due_at, key`,
      [instanceId],
    );
  }

  /**
   * Claims up to `limit` pending timers due at or before `now`, oldest first, for one scheduler until `claimedUntil`.
   * On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several processes claim at the same moment, each getting other
   * timers; on SQLite the single writer does the same. A claim that expired (its process died) is taken over.
   */
  claimDueTimers(now: Date, claimedUntil: Date, limit: number): Promise<TimerRow[]> {
    return this.writes.transaction(async (em) => {
      const query = em
        .getRepository(TimerRow)
        .createQueryBuilder('t')
        .where("t.status = 'pending'")
        .andWhere('t.due_at <= :now', { now: iso(now) })
        .andWhere(
          new Brackets((q) => q.where('t.claimed_until IS NULL').orWhere('t.claimed_until <= :now', { now: iso(now) })),
        )
        .orderBy('t.due_at', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .limit(limit);
      if (em.connection.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const timers = await query.getMany();
      if (!timers.length) return timers;
      await em
        .createQueryBuilder()
        .update(TimerRow)
        .set({ claimedUntil: iso(claimedUntil) })
        .whereInIds(timers.map((t) => t.id))
        .execute();
      for (const timer of timers) timer.claimedUntil = iso(claimedUntil);
      return timers;
    });
  }

  /** Gives a claimed timer back at once (its firing failed), so that the next tick anywhere tries it again. */
  async releaseTimer(timerId: number): Promise<void> {
    await this.writes.transaction((em) =>
      em.update(TimerRow, { id: timerId, status: 'pending' }, { claimedUntil: null }),
    );
  }

  /**
   * When the next pending timer due at or before `until` can be fired: its due time, or the end of a claim on it.
   * Null when none is due by then.
   */
  async nextTimer(until: Date): Promise<Date | null> {
    const rows: { next: string | null }[] = await sqlOf(this.connections).all<{ next: string | null }>(
      `SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > due_at THEN claimed_until ELSE due_at END) AS next
         FROM timers WHERE status = 'pending' AND due_at <= ?`,
      [iso(until)],
    );
    const next = rows[0]?.next;
    return next && next <= iso(until) ? new Date(next) : null;
  }

  /** Pending timers already due at `now`: how many, and the due time of the oldest (for /health). */
  async overdueTimers(now: Date): Promise<{ count: number; oldestDueAt: string | null }> {
    const rows: { count: number | string; oldest: string | null }[] = await sqlOf(this.connections).all<{
      count: number | string;
      oldest: string | null;
    }>("SELECT COUNT(*) AS count, MIN(due_at) AS oldest FROM timers WHERE status = 'pending' AND due_at <= ?", [
      iso(now),
    ]);
    return { count: Number(rows[0]?.count ?? 0), oldestDueAt: rows[0]?.oldest ?? null };
  }

  /** The answer stored under an idempotency key, or null when the key is new. */
  async findIdempotency(key: string): Promise<{ requestHash: string; response: unknown } | null> {
    const rows = await sqlOf(this.connections).all<{ request_hash: string; response: string }>(
      'SELECT request_hash, response FROM idempotency_keys WHERE key = ?',
      [key],
    );
    return rows.length ? { requestHash: rows[0].request_hash, response: JSON.parse(rows[0].response) } : null;
  }

  /**
   * Writes one instance as a command leaves it: the instance row (only if still at the version it was read at,
   * else StaleInstance), one journal row per step, the fired timer, the timers it now declares and its effects.
   */
  async write(em: EntityManager, change: InstanceChange, now: Date): Promise<void> {
    const instance = change.instance;
    const read = change.read;
    // The journal first: the instance row then names its last entry. Should the instance have moved on since it was
    // read, its update below fails and these entries go with the transaction.
    let journalHead = read?.journalHead ?? null;
    for (const entry of change.journal) {
      journalHead = await sqlIn(em).insert(
        `INSERT INTO journal (instance_id, seq, at, actor_id, actor_role, event_type, payload, state_before, state_after,
          prev_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          instance.id,
          entry.seq,
          entry.at,
          entry.actorId,
          entry.actorRole,
          entry.eventType,
          JSON.stringify(entry.payload),
          entry.stateBefore,
          entry.stateAfter,
          journalHead,
        ],
      );
    }
    if (read === null) {
      await run(
        em,
        `INSERT INTO workflow_instances (id, definition, definition_version, state, status, snapshot, context, timer_digest, version,
          created_at, updated_at, journal_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          instance.id,
          instance.definition,
          instance.definitionVersion,
          instance.state,
          instance.status,
          JSON.stringify(instance.snapshot),
          JSON.stringify(instance.context),
          instance.timerDigest,
          instance.version,
          instance.createdAt,
          instance.updatedAt,
          journalHead,
        ],
      );
    } else {
      // The hot path of every event. The indexed columns are set only when they change: rewriting an unchanged
      // value still rewrites its index entry.
      const moved = [
        ...(instance.state !== read.state ? [['state', instance.state]] : []),
        ...(instance.definitionVersion !== read.definitionVersion
          ? [['definition_version', instance.definitionVersion]]
          : []),
      ];
      const updated = await run(
        em,
        `UPDATE workflow_instances SET ${moved.map(([column]) => `${column} = ?, `).join('')}status = ?, snapshot = ?,
          context = ?, timer_digest = ?, version = ?, updated_at = ?, journal_head = ? WHERE id = ? AND version = ?`,
        [
          ...moved.map(([, value]) => value),
          instance.status,
          JSON.stringify(instance.snapshot),
          JSON.stringify(instance.context),
          instance.timerDigest,
          instance.version,
          instance.updatedAt,
          journalHead,
          instance.id,
          read.version,
        ],
      );
      if (updated !== 1) throw new StaleInstance(`instance ${instance.id} changed since version ${read.version}`);
    }
    if (change.firedTimerId !== undefined) {
      // Conditional, so a timer never fires twice, whichever process got to it first.
      const fired = await run(
        em,
        "UPDATE timers SET status = 'fired', fired_at = ? WHERE id = ? AND status = 'pending'",
        [iso(now), change.firedTimerId],
      );
      if (fired !== 1)
        throw new TimerAlreadyHandled(`timer ${change.firedTimerId} of ${instance.id} is no longer pending`);
    }
    if (change.firedTimerId !== undefined || read?.timerDigest !== instance.timerDigest) {
      await this.syncTimers(em, instance.id, change.timers, read === null, now);
    }
    await insertEffects(em, instance.id, change.effects, now);
  }

  /** Fails with StaleInstance when an instance a command only read has changed since. */
  async assertUnchanged(em: EntityManager, id: string, version: number): Promise<void> {
    // On PostgreSQL the share lock holds the row at this version until the command commits.
    const lock = em.connection.options.type === 'postgres' ? ' FOR SHARE' : '';
    const rows = await select<{ version: number }>(em, `SELECT version FROM workflow_instances WHERE id = ?${lock}`, [
      id,
    ]);
    if (rows.length !== 1 || Number(rows[0].version) !== version)
      throw new StaleInstance(`instance ${id} changed since version ${version}`);
  }

  async insertIdempotency(
    em: EntityManager,
    row: { key: string; requestHash: string; response: unknown; createdAt: string },
  ): Promise<void> {
    await run(em, 'INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)', [
      row.key,
      row.requestHash,
      JSON.stringify(row.response ?? null),
      row.createdAt,
    ]);
  }

  /**
   * Marks an effect timer fired and queues its effect, in one transaction; nothing when it is no longer pending.
   * The effect is read again inside the transaction: a step committed since the claim may have changed it.
   */
  fireEffectTimer(timer: TimerRow, now: Date): Promise<void> {
    return this.writes.transaction(async (em) => {
      const result = await em.update(
        TimerRow,
        { id: timer.id, status: 'pending' },
        { status: 'fired', firedAt: iso(now) },
      );
      if (result.affected !== 1) return;
      const [current] = await select<{ effect: string }>(em, 'SELECT effect FROM timers WHERE id = ?', [timer.id]);
      await insertEffects(em, timer.instanceId, [JSON.parse(current.effect) as EffectSpec], now);
    });
  }

  /** Marks a timer fired without an effect (its instance no longer accepts its event). */
  async discardTimer(timerId: number, now: Date): Promise<void> {
    await this.writes.transaction((em) =>
      em.update(TimerRow, { id: timerId, status: 'pending' }, { status: 'fired', firedAt: iso(now) }),
    );
  }

  /**
   * Makes the pending timers of an instance equal to `desired`: a timer no longer declared is cancelled; a declared
   * (key, due time) that already fired stays fired, so each deadline fires once however often its state is entered.
   * An effect timer already past due when first declared is stored as skipped: reminders are never sent late for
   * dates that lay in the past when they became known. Event timers in the past fire on the next tick.
   */
  private async syncTimers(
    em: EntityManager,
    instanceId: string,
    desired: DesiredTimer[],
    isNew: boolean,
    now: Date,
  ): Promise<void> {
    const wanted = new Map(desired.map((t) => [`${t.key}@${iso(t.dueAt)}`, t]));
    if (!isNew) {
      const keys = desired.map((t) => t.key);
      const rows = await select<{
        id: number;
        key: string;
        due_at: string;
        status: string;
        event: string | null;
        effect: string | null;
      }>(
        em,
        `SELECT id, key, due_at, status, event, effect FROM timers WHERE instance_id = ?
           AND (status = 'pending'${keys.length ? ` OR key IN (${keys.map(() => '?').join(', ')})` : ''})`,
        [instanceId, ...keys],
      );
      for (const row of rows) {
        const id = `${row.key}@${row.due_at}`;
        const keep = wanted.get(id);
        if (keep) {
          wanted.delete(id);
          const event = keep.event ? JSON.stringify(keep.event) : null;
          const effect = keep.effect ? JSON.stringify(keep.effect) : null;
          // A pending timer carries what it will do; when the data behind it changed, so does its payload.
          if (row.status === 'cancelled') {
            await run(em, "UPDATE timers SET status = 'pending', event = ?, effect = ? WHERE id = ?", [
              event,
              effect,
              row.id,
            ]);
          } else if (row.status === 'pending' && (row.event !== event || row.effect !== effect)) {
            // Not the status: setting an indexed column, even to its value, rewrites its index entries.
            await run(em, 'UPDATE timers SET event = ?, effect = ? WHERE id = ?', [event, effect, row.id]);
          }
        } else if (row.status === 'pending') {
          await run(em, "UPDATE timers SET status = 'cancelled' WHERE id = ?", [row.id]);
        }
      }
    }
    if (wanted.size) {
      await em.insert(
        TimerRow,
        [...wanted.values()].map((t) => ({
          instanceId,
          key: t.key,
          dueAt: iso(t.dueAt),
          status: t.effect && t.dueAt < now ? ('skipped' as const) : ('pending' as const),
          event: (t.event as JsonObject | undefined) ?? null,
          effect: (t.effect as JsonObject | undefined) ?? null,
          firedAt: null,
        })),
      );
    }
  }
}

/** Runs one statement inside the transaction of `em`; returns the number of rows it changed. */
function run(em: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  return sqlIn(em).run(sql, parameters);
}

function select<T>(em: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  return sqlIn(em).all<T>(sql, parameters);
}

async function insertEffects(em: EntityManager, instanceId: string, effects: EffectSpec[], now: Date): Promise<void> {
  if (!effects.length) return;
  await em
    .createQueryBuilder()
    .insert()
    .into(OutboxRow)
    .orIgnore()
    .values(
      effects.map((effect) => ({
        key: `${instanceId}:${effect.key}`,
        instanceId,
        kind: effect.kind,
        payload: effect.payload as JsonObject,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: iso(now),
        lastError: null,
        createdAt: iso(now),
        sentAt: null,
      })),
    )
    .execute();
}
