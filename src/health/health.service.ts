import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { StorageUnavailable } from '../common/errors.js';
import { OutboxStore } from '../engine/persistence/outbox.store.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { TimerScheduler } from '../engine/timer-scheduler.js';
import { HeartbeatStore } from './heartbeat.store.js';

/** A loop counts as behind when its oldest due work waited longer than this many scheduler intervals. */
export const BEHIND_AFTER_INTERVALS = 3;

type CheckStatus = 'up' | 'behind' | 'down';

export interface HealthReport {
  /** ok: all up; degraded: serving, but timers or mail are behind; down: the database does not take writes. */
  status: 'ok' | 'degraded' | 'down';
  now: string;
  process: string;
  database: string;
  checks: {
    database: { status: CheckStatus; writable: boolean; error?: string };
    scheduler: {
      status: CheckStatus;
      overdueTimers?: number;
      oldestOverdueSince?: string | null;
      oldestOverdueSeconds?: number | null;
      behindAfterSeconds: number;
      error?: string;
    };
    outbox: {
      status: CheckStatus;
      unsent?: number;
      oldestUnsentSince?: string | null;
      oldestUnsentSeconds?: number | null;
      deadLetters?: number;
      behindAfterSeconds: number;
      error?: string;
    };
  };
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** Answers /health: can this process write to its database, do the timer and mail loops keep up. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  /** Logged when it changes, not on every probe of a load balancer. */
  private lastStatus: HealthReport['status'] = 'ok';

  constructor(
    private readonly dataSource: DataSource,
    private readonly heartbeats: HeartbeatStore,
    private readonly writes: WriteSerializer,
    private readonly scheduler: TimerScheduler,
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  async report(): Promise<HealthReport> {
    const now = this.clock.now();
    const behindAfterMs = BEHIND_AFTER_INTERVALS * this.config.schedulerIntervalMs;
    const status = (oldest: string | null): CheckStatus =>
      oldest && now.getTime() - Date.parse(oldest) > behindAfterMs ? 'behind' : 'up';
    const age = (oldest: string | null) => (oldest ? seconds(now.getTime() - Date.parse(oldest)) : null);
    const [database, scheduler, outbox] = await Promise.all([
      this.heartbeats.beat(now).then(
        () => ({ status: 'up' as const, writable: true }),
        (error: Error) => ({ status: 'down' as const, writable: false, error: this.writeRefusal(error).slice(0, 300) }),
      ),
      this.scheduler.backlog(now).then(
        ({ count, oldestDueAt }) => ({
          status: status(oldestDueAt),
          overdueTimers: count,
          oldestOverdueSince: oldestDueAt,
          oldestOverdueSeconds: age(oldestDueAt),
          behindAfterSeconds: seconds(behindAfterMs),
        }),
        (error: Error) => ({
          status: 'down' as const,
          behindAfterSeconds: seconds(behindAfterMs),
          error: error.message.slice(0, 300),
        }),
      ),
      this.outbox.backlog().then(
        ({ unsent, oldestUnsentAt, deadLetters }) => ({
          status: status(oldestUnsentAt),
          unsent,
          oldestUnsentSince: oldestUnsentAt,
          oldestUnsentSeconds: age(oldestUnsentAt),
          deadLetters,
          behindAfterSeconds: seconds(behindAfterMs),
        }),
        (error: Error) => ({
          status: 'down' as const,
          behindAfterSeconds: seconds(behindAfterMs),
          error: error.message.slice(0, 300),
        }),
      ),
    ]);
    const checks = { database, scheduler, outbox };
    const statuses = Object.values(checks).map((check) => check.status);
    const overall = statuses.includes('down') ? 'down' : statuses.includes('behind') ? 'degraded' : 'ok';
    if (overall !== this.lastStatus) {
      if (overall === 'ok') this.logger.log(`health ok again (was ${this.lastStatus})`);
      else this.logger.warn(`health ${overall}: ${JSON.stringify(checks)}`);
      this.lastStatus = overall;
    }
    return {
      status: overall,
      now: now.toISOString(),
      process: this.heartbeats.process,
      database: this.dataSource.options.type,
      checks,
    };
  }

  /**
   * What refused the heartbeat: the storage's own words (driver code and message, e.g. a disk I/O error or a
   * read-only file) that the writer kept, not the request-facing "send it again later" it answered with.
   */
  private writeRefusal(error: Error): string {
    const fault = error instanceof StorageUnavailable ? this.writes.lastFault() : null;
    return fault ? `${fault.code ?? 'no code'}: ${fault.message}` : error.message;
  }
}
