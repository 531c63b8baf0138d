import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from './clock.js';
import type { OutboxRow } from './persistence/entities.js';
import { OutboxStore } from './persistence/outbox.store.js';

/** Carries out one kind of effect; throwing means "try again later". */
export type EffectHandler = (message: OutboxRow) => Promise<void>;

/** How long a claimed message stays reserved for its sender; after that a crashed sender's claim is retried. */
const CLAIM_MS = 5 * 60_000;
const BATCH = 200;

export interface DispatchReport {
  sent: number;
  retried: number;
  deadLettered: number;
}

/**
 * Sends outbox messages after commit through the handler registered for their kind. Failures are retried with
 * exponential backoff; after `outboxMaxAttempts` a message is dead-lettered (status failed) until re-queued.
 */
@Injectable()
export class OutboxDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly handlers = new Map<string, EffectHandler>();
  private running: Promise<DispatchReport> | null = null;
  private again = false;
  private closing = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  register(kind: string, handler: EffectHandler): void {
    if (this.handlers.has(kind)) throw new Error(`an effect handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  /** Lets a dispatch under way finish before the database closes; what is left is sent after the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.running?.catch(() => undefined);
  }

  /** Starts a dispatch without waiting for it (after a commit). */
  kick(): void {
    if (this.closing) return;
    this.dispatchReady().catch((error: Error) => this.logger.error(`outbox dispatch failed: ${error.message}`));
  }

  /** Sends everything ready now. Concurrent calls share one run, followed by one more if asked during it. */
  dispatchReady(): Promise<DispatchReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running.then(async (report) => {
      if (!this.again) return report;
      this.again = false;
      const more = await this.dispatchReady();
      return { sent: report.sent + more.sent, retried: report.retried + more.retried, deadLettered: report.deadLettered + more.deadLettered };
    });
  }

  private async drain(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retried: 0, deadLettered: 0 };
    while (!this.closing) {
      const now = this.clock.now();
      const batch = await this.outbox.claimReady(now, new Date(now.getTime() + CLAIM_MS), BATCH, [...this.handlers.keys()]);
      if (!batch.length) return report;
      for (const message of batch) await this.deliver(message, report);
      if (batch.length < BATCH) return report;
    }
    return report;
  }

  private async deliver(message: OutboxRow, report: DispatchReport): Promise<void> {
    try {
      await this.handlers.get(message.kind)!(message);
      await this.outbox.markSent(message.id, this.clock.now());
      report.sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const reason = (error as Error).message ?? String(error);
      if (attempts >= this.config.outboxMaxAttempts) {
        await this.outbox.markFailedAttempt(message, reason, null);
        report.deadLettered++;
        this.logger.warn(`outbox ${message.key} dead-lettered after ${attempts} attempts: ${reason}`);
      } else {
        const delay = this.config.outboxRetryBaseMs * 2 ** (attempts - 1);
        await this.outbox.markFailedAttempt(message, reason, new Date(this.clock.now().getTime() + delay));
        report.retried++;
      }
    }
  }
}
