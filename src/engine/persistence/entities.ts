import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Instants are stored as ISO-8601 UTC strings (fixed width, so they sort as text) to behave the same on SQLite and
 * PostgreSQL. JSON is stored as text for the same reason.
 */
/** JSON held in a text column. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;

const json = {
  to: (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value)),
  from: (value: string | null) => (value === null ? null : JSON.parse(value)),
};

@Entity('workflow_instances')
@Index('idx_instances_definition_state', ['definition', 'definitionVersion', 'state'])
export class WorkflowInstanceRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  definition!: string;

  @Column({ name: 'definition_version', type: 'integer' })
  definitionVersion!: number;

  /** Leaf state paths, dotted; parallel regions joined by `,`. */
  @Column({ type: 'varchar', length: 500 })
  state!: string;

  /** XState snapshot status: active, done, error, stopped. */
  @Column({ type: 'varchar', length: 20 })
  status!: string;

  /** The persisted XState snapshot without its context (kept in `context`). */
  @Column({ type: 'text', transformer: json })
  snapshot!: JsonObject;

  @Column({ type: 'text', transformer: json })
  context!: JsonObject;

  /** Digest of the timers the current state declares; when an event leaves it unchanged, the timer rows are not
   * touched. */
  @Column({ name: 'timer_digest', type: 'varchar', length: 64 })
  timerDigest!: string;

  /** Optimistic lock: every write bumps it and requires the value it read. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;

  /** The id of the instance's last journal entry; each entry names the one before it (`JournalRow.prevId`). */
  @Column({ name: 'journal_head', type: 'integer', nullable: true })
  journalHead!: number | null;
}

/**
 * One accepted step of an instance. An instance's entries form a chain from `WorkflowInstanceRow.journalHead`
 * back through `prevId`; no index by instance, so appending writes no page of its own (migration JournalChain).
 */
@Entity('journal')
export class JournalRow {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The instance's entry before this one; null for its first. Internal: not part of what the journal shows. */
  @Column({ name: 'prev_id', type: 'integer', nullable: true, select: false })
  prevId?: number | null;

  @Column({ name: 'instance_id', type: 'varchar', length: 36 })
  instanceId!: string;

  /** 1 for creation, then one more per accepted event. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 200 })
  actorId!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 50 })
  actorRole!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType!: string;

  @Column({ type: 'text', transformer: json })
  payload!: JsonObject;

  @Column({ name: 'state_before', type: 'varchar', length: 500, nullable: true })
  stateBefore!: string | null;

  @Column({ name: 'state_after', type: 'varchar', length: 500 })
  stateAfter!: string;
}

/** `skipped`: an effect timer (a reminder) that was already past due when first declared is never sent late. */
export type TimerStatus = 'pending' | 'fired' | 'cancelled' | 'skipped';

@Entity('timers')
@Index('idx_timers_identity', ['instanceId', 'key', 'dueAt'], { unique: true })
@Index('idx_timers_due', ['status', 'dueAt'])
@Index('idx_timers_instance', ['instanceId', 'status', 'dueAt'])
export class TimerRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'instance_id', type: 'varchar', length: 36 })
  instanceId!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ name: 'due_at', type: 'varchar', length: 30 })
  dueAt!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: TimerStatus;

  /** The event raised in the instance when due, or null for an effect timer. */
  @Column({ type: 'text', nullable: true, transformer: json })
  event!: JsonObject | null;

  /** The effect written to the outbox when due, or null for an event timer. */
  @Column({ type: 'text', nullable: true, transformer: json })
  effect!: JsonObject | null;

  @Column({ name: 'fired_at', type: 'varchar', length: 30, nullable: true })
  firedAt!: string | null;

  /**
   * While pending: until when one scheduler (of possibly several processes) holds it to fire it. A claim that
   * expired (its process died) is taken over by the next tick anywhere.
   */
  @Column({ name: 'claimed_until', type: 'varchar', length: 30, nullable: true })
  claimedUntil!: string | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

@Entity('outbox')
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxRow {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Globally unique: `<instance id>:<effect key>`. A second write of the same key is ignored. */
  @Column({ type: 'varchar', length: 300, unique: true })
  key!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true })
  instanceId!: string | null;

  @Column({ type: 'varchar', length: 50 })
  kind!: string;

  @Column({ type: 'text', transformer: json })
  payload!: JsonObject;

  @Column({ type: 'varchar', length: 10 })
  status!: OutboxStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  /** When the next attempt may start; for `sending`, when the claim expires (a crashed sender). */
  @Column({ name: 'next_attempt_at', type: 'varchar', length: 30 })
  nextAttemptAt!: string;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 30, nullable: true })
  sentAt!: string | null;
}

@Entity('idempotency_keys')
export class IdempotencyRow {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  /** What the key was first used for; a different request under the same key is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'text', transformer: json })
  response!: JsonObject;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}

export const ENGINE_ENTITIES = [WorkflowInstanceRow, JournalRow, TimerRow, OutboxRow, IdempotencyRow];
