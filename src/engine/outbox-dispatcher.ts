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

/** Messages in flight at once, and claimed at once: SMTP round trips dominate, so a few in parallel multiply throughput. */
const PARALLEL = 4;
/** The shortest claim on a message; longer when a handler may take longer (see `register`). */
const MIN_CLAIM_MS = 5 * 60_000;

export interface DispatchReport {
  sent: number;
  retried: number;
  deadLettered: number;
}

/** How long a failing message is retried: delays double from `baseMs` up to `maxDelayMs`, for at least `retryForMs`. */
export interface RetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  retryForMs: number;
}

export function retryPolicyOf(config: LotseConfig): RetryPolicy {
  return {
    baseMs: config.outboxRetryBaseMs,
    maxDelayMs: config.outboxRetryMaxDelayMs,
    retryForMs: config.outboxRetryForHours * 3_600_000,
  };
}

function delayAfter(failures: number, policy: RetryPolicy): number {
  return Math.min(policy.baseMs * 2 ** (failures - 1), policy.maxDelayMs);
}

/**
 * The wait before the next attempt after the `failures`-th failed one, or null when the message has been retried
 * for `retryForMs` already and is dead-lettered. Computed from the attempt count alone, so a re-sent message (whose
 * count starts again at 0) gets the whole period again, and every process agrees.
 */
export function nextRetryDelay(failures: number, policy: RetryPolicy): number | null {
  let waited = 0;
  for (let n = 1; n < failures && waited < policy.retryForMs; n++) waited += delayAfter(n, policy);
  return waited >= policy.retryForMs ? null : delayAfter(failures, policy);
}

/**
 * Sends outbox messages after commit through the handler registered for their kind: the mail loop, separate from
 * the timer loop, so a slow mail server delays mail and nothing else. Each message is claimed before it is sent, so
 * several processes share the queue without sending a message twice. Failures are retried with capped exponential
 * backoff (`retryPolicyOf`); after that a message is dead-lettered (status failed) until re-queued.
 */
@Injectable()
export class OutboxDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly handlers = new Map<string, EffectHandler>();
  private readonly policy: RetryPolicy;
  private claimMs = MIN_CLAIM_MS;
  private running: Promise<DispatchReport> | null = null;
  private followUp: Promise<DispatchReport> | null = null;
  private closing = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
    config: LotseConfig,
  ) {
    this.policy = retryPolicyOf(config);
  }

  /**
   * `longestAttemptMs`: how long one attempt may take before the handler gives up (its timeouts). A claim covers
   * the messages in flight one after another and a minute more, so that it does not run out while its sender still
   * works on it (another process would then send the message too).
   */
  register(kind: string, handler: EffectHandler, longestAttemptMs = 0): void {
    if (this.handlers.has(kind)) throw new Error(`an effect handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
    this.claimMs = Math.max(this.claimMs, PARALLEL * longestAttemptMs + 60_000);
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
      this.followUp ??= this.running
        .catch(() => undefined)
        .then(() => {
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

  /** When the next retry of a message this process can send falls due, at or before `until` (tests move time there). */
  nextAttempt(until: Date): Promise<Date | null> {
    return this.outbox.nextAttempt(until, [...this.handlers.keys()]);
  }

  private async drain(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retried: 0, deadLettered: 0 };
    while (!this.closing) {
      const now = this.clock.now();
      const batch = await this.outbox.claimReady(now, new Date(now.getTime() + this.claimMs), PARALLEL, [
        ...this.handlers.keys(),
      ]);
      if (!batch.length) break;
      await Promise.all(batch.map((message) => this.deliver(message, report)));
    }
    return report;
  }

  private async deliver(message: OutboxRow, report: DispatchReport): Promise<void> {
    try {
      await this.handlers.get(message.kind)!(message);
    } catch (error) {
      await this.failed(message, error, report);
      return;
    }
    await this.outbox.markSent(message, this.clock.now());
    report.sent++;
  }

  private async failed(message: OutboxRow, error: unknown, report: DispatchReport): Promise<void> {
    const failures = message.attempts + 1;
    const reason = (error as Error)?.message ?? String(error);
    const delay = error instanceof PermanentFailure ? null : nextRetryDelay(failures, this.policy);
    if (delay === null) {
      await this.outbox.markFailedAttempt(message, reason, null);
      report.deadLettered++;
      this.logger.warn(`outbox ${message.key} dead-lettered after ${failures} attempt(s): ${reason}`);
      return;
    }
    const next = new Date(this.clock.now().getTime() + delay);
    await this.outbox.markFailedAttempt(message, reason, next);
    report.retried++;
    this.logger.warn(`outbox ${message.key} attempt ${failures} failed, next at ${next.toISOString()}: ${reason}`);
  }
}
