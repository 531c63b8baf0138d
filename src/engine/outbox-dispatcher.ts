import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from './clock.js';
import type { OutboxRow } from './persistence/entities.js';
import { OutboxStore } from './persistence/outbox.store.js';

/** Carries out one kind of effect; throwing means "try again later", unless it throws a PermanentFailure. */
export type EffectHandler = (message: OutboxRow) => Promise<void>;

/** An effect that cannot succeed however often it is tried (an unknown template, a 5xx answer): dead-lettered at once. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/** How long a claimed message stays reserved for its sender; after that a crashed sender's claim is retried. */
const CLAIM_MS = 5 * 60_000;
const BATCH = 200;
/** Messages in flight at once: SMTP round trips dominate, so a few in parallel multiply throughput. */
const PARALLEL = 4;

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
  private followUp: Promise<DispatchReport> | null = null;
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

  /**
   * Sends everything ready now. A call during a run waits for one more run after it (shared by all such calls), so
   * whatever was queued before the call has been tried when it resolves.
   */
  dispatchReady(): Promise<DispatchReport> {
    if (this.running) {
      this.followUp ??= this.running.then(() => {
        this.followUp = null;
        return this.dispatchReady();
      });
      return this.followUp;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retried: 0, deadLettered: 0 };
    while (!this.closing) {
      const now = this.clock.now();
      const batch = await this.outbox.claimReady(now, new Date(now.getTime() + CLAIM_MS), BATCH, [...this.handlers.keys()]);
      if (!batch.length) return report;
      for (let next = 0; next < batch.length; next += PARALLEL) {
        await Promise.all(batch.slice(next, next + PARALLEL).map((message) => this.deliver(message, report)));
      }
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
      if (error instanceof PermanentFailure || attempts >= this.config.outboxMaxAttempts) {
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
