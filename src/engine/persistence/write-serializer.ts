import { Injectable, Logger } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import type { EntityManager, QueryRunner } from 'typeorm';
import { DatabaseConnections } from '../../database/database.module.js';
import { driverCode, isStorageFault } from '../../database/storage-fault.js';
import { Clock } from '../clock.js';
import { StorageUnavailable } from '../../common/errors.js';
import { StaleInstance } from './conflicts.js';
import { control, endReadWindow } from './sql.js';

export type TransactionWork<T> = (manager: EntityManager) => Promise<T>;

interface Queued {
  work: TransactionWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** PostgreSQL's deadlock_detected and serialization_failure. */
const POSTGRES_RETRY = ['40P01', '40001'];

/** Transactions queued while one runs share the next transaction, up to this many. */
const GROUP_LIMIT = 64;

/** The last write that failed because of the storage, until a write commits again. */
export interface StorageFault {
  at: Date;
  code: string | null;
  message: string;
}

/** Tells the ORM's query runner whether the driver-level transaction is open (the flag is ours to keep right). */
function seeTransaction(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}

/**
 * Every write transaction of Lotse. On SQLite (one writer per file) transactions run one after another on the
 * writing connection, with the driver's own BEGIN IMMEDIATE / COMMIT; transactions that queue up meanwhile share
 * the next one (group commit), each in its own savepoint, so one that fails changes nothing while the others commit.
 * Every caller is answered only after the COMMIT that carries its work (or after its own failure). On PostgreSQL
 * transactions run side by side on the pool and the optimistic lock decides.
 *
 * A storage fault (full disk, read-only file, I/O error) fails with StorageUnavailable (503). However the COMMIT
 * or ROLLBACK fails, the connection is left outside any transaction, so the next write after the fault commits.
 */
@Injectable()
export class WriteSerializer {
  private readonly logger = new Logger(WriteSerializer.name);
  private readonly queue: Queued[] = [];
  private draining = false;
  private lastGroupSize = 0;
  /** Set when a ROLLBACK failed and the connection may still hold a transaction: it is reopened before the next. */
  private broken = false;
  private fault: StorageFault | null = null;
  private runner: QueryRunner | null = null;

  constructor(
    private readonly connections: DatabaseConnections,
    private readonly clock: Clock,
  ) {}

  transaction<T>(work: TransactionWork<T>): Promise<T> {
    if (this.connections.kind === 'postgres') return this.postgresTransaction(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  /** The storage fault of the last failed write, or null once a write has committed since. */
  lastFault(): StorageFault | null {
    return this.fault;
  }

  private async postgresTransaction<T>(work: TransactionWork<T>): Promise<T> {
    try {
      const value = await this.connections.writer.transaction(work);
      this.fault = null;
      return value;
    } catch (error) {
      // A deadlock or serialization failure means a concurrent transaction got there first: decide again.
      if (POSTGRES_RETRY.includes(driverCode(error) ?? ''))
        throw new StaleInstance(`concurrent transaction: ${(error as Error).message}`);
      throw this.classify(error);
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length) {
        // After a shared commit its callers are still on their way back with their next work (a few promise hops):
        // started at once, the next group would hold only the first of them, and the one after all the others.
        // One turn of the event loop lets them all queue. A lone writer never waits.
        if (this.lastGroupSize > 1) await new Promise((resolve) => setImmediate(resolve));
        const group = this.queue.splice(0, GROUP_LIMIT);
        this.lastGroupSize = group.length;
        await this.runGroup(group);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runGroup(group: Queued[]): Promise<void> {
    let runner: QueryRunner;
    let db: Database;
    try {
      if (this.broken) await this.reopen();
      runner = this.writerRunner();
      db = (await runner.connect()) as Database;
      endReadWindow(db);
      control(db, 'BEGIN IMMEDIATE');
    } catch (error) {
      const failure = this.classify(error);
      for (const queued of group) queued.reject(failure);
      return;
    }
    const outcomes = await this.runInTransaction(db, runner, group);
    for (let i = 0; i < group.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) group[i].resolve(outcome.value);
      else group[i].reject(outcome.error);
    }
  }

  /** Runs the group's work in the open transaction and ends it; every queued work gets an outcome. */
  private async runInTransaction(db: Database, runner: QueryRunner, group: Queued[]): Promise<Outcome[]> {
    // The ORM must see the transaction, or `save` would open one of its own inside it.
    seeTransaction(runner, true);
    const shared = group.length > 1;
    const outcomes: Outcome[] = [];
    let lost: unknown = null;
    try {
      for (const queued of group) {
        try {
          if (shared) control(db, 'SAVEPOINT work');
          const value = await queued.work(runner.manager);
          if (shared) control(db, 'RELEASE work');
          outcomes.push({ ok: true, value });
        } catch (error) {
          // SQLite rolls the whole transaction back by itself after some faults (SQLITE_FULL, SQLITE_IOERR).
          if (!db.inTransaction) {
            lost = error;
            break;
          }
          if (shared) {
            try {
              control(db, 'ROLLBACK TO work');
              control(db, 'RELEASE work');
            } catch (rollbackError) {
              lost = rollbackError;
              break;
            }
          }
          outcomes.push({ ok: false, error: this.classify(error) });
        }
      }
      if (lost === null) {
        if (!shared && !outcomes[0].ok) control(db, 'ROLLBACK');
        else control(db, 'COMMIT');
      }
    } catch (error) {
      lost = error;
    } finally {
      this.close(db);
      seeTransaction(runner, false);
    }
    if (lost !== null) {
      // Nothing of this transaction is stored: work that had succeeded fails with the fault too.
      const failure = this.classify(lost);
      return group.map((_, i) => (outcomes[i] && !outcomes[i].ok ? outcomes[i] : { ok: false, error: failure }));
    }
    if (outcomes.some((outcome) => outcome.ok)) this.fault = null;
    return outcomes;
  }

  /** Leaves no transaction open, whatever failed before. */
  private close(db: Database): void {
    if (!db.inTransaction) return;
    try {
      control(db, 'ROLLBACK');
    } catch (error) {
      this.logger.error(`ROLLBACK failed: ${(error as Error).message}`);
    }
    if (db.inTransaction) this.broken = true;
  }

  /** better-sqlite3 has one query runner per connection; made once, it keeps one entity manager for all work. */
  private writerRunner(): QueryRunner {
    const writer = this.connections.writer;
    if (this.runner?.connection !== writer || !writer.isInitialized || this.runner.isReleased)
      this.runner = writer.createQueryRunner();
    return this.runner;
  }

  private async reopen(): Promise<void> {
    this.logger.warn('reopening the database connection after a failed rollback');
    const writer = this.connections.writer;
    if (writer.isInitialized) await writer.destroy();
    this.runner = null;
    await writer.initialize();
    this.broken = false;
  }

  /** A storage fault becomes StorageUnavailable (and is remembered); any other error passes unchanged. */
  private classify(error: unknown): unknown {
    if (error instanceof StorageUnavailable || !isStorageFault(error)) return error;
    const code = driverCode(error) ?? null;
    const message = (error as Error).message ?? String(error);
    this.fault = { at: this.clock.now(), code, message };
    this.logger.error(`write refused by the storage (${code ?? 'no code'}): ${message}`);
    return new StorageUnavailable(
      'the database cannot store changes right now; nothing of this request was stored, send it again later',
      {
        cause: code ?? message,
      },
    );
  }
}
