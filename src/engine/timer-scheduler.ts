import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LotseConfig } from '../../config/configuration.js';
import { Clock, FakeClock } from './clock.js';
import { OutboxDispatcher, type DispatchReport } from './outbox-dispatcher.js';
import type { TimerRow } from './persistence/entities.js';
import { InstanceStore } from './persistence/instance.store.js';
import { WorkflowEngine } from './workflow-engine.js';

export const SCHEDULER_ENABLED = Symbol('SCHEDULER_ENABLED');
const TIMER_LOOP = 'lotse-timers';
const MAIL_LOOP = 'lotse-outbox';
/**
 * Timers claimed at once. Small enough that several processes ticking at the same moment each get a share, large
 * enough that claiming costs little beside firing.
 */
const BATCH = 50;
/** How long a claim on a timer lasts; a process that died holding one delays that timer by at most this much. */
const CLAIM_MS = 5 * 60_000;

export interface TickReport extends DispatchReport {
  timersFired: number;
}

/**
 * Runs two loops on an interval from @nestjs/schedule, and once at start-up so that whatever came due while the
 * service was down fires on the first pass: the timer loop claims and fires due timers, oldest first; the mail loop
 * (the OutboxDispatcher) sends the outbox. They never wait for each other: a hanging mail server cannot hold up a
 * deadline. With several processes on one PostgreSQL database, each claims its own timers, so each fires once.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TimerScheduler.name);
  private firing: Promise<number> | null = null;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly store: InstanceStore,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
    private readonly schedulerRegistry: SchedulerRegistry,
    @Inject(SCHEDULER_ENABLED) private readonly enabled: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const fire = () =>
      this.fireDue().catch((error: Error) => this.logger.error(`timer loop failed: ${error.message}`, error.stack));
    const send = () =>
      this.dispatcher
        .dispatchReady()
        .catch((error: Error) => this.logger.error(`mail loop failed: ${error.message}`, error.stack));
    this.schedulerRegistry.addInterval(TIMER_LOOP, setInterval(fire, this.config.schedulerIntervalMs));
    this.schedulerRegistry.addInterval(MAIL_LOOP, setInterval(send, this.config.schedulerIntervalMs));
    void fire();
    void send();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const loop of [TIMER_LOOP, MAIL_LOOP]) {
      if (this.schedulerRegistry.doesExist('interval', loop)) this.schedulerRegistry.deleteInterval(loop);
    }
    await this.firing?.catch(() => undefined);
  }

  /**
   * One pass of the timer loop: claims and fires every timer due by now, oldest first, and resolves with how many
   * fired. It never waits for mail: an effect timer only queues its message. Passes never overlap. A timer whose
   * firing failed is given back at the end of the pass, for the next one to try again, and the pass rejects.
   */
  fireDue(): Promise<number> {
    this.firing ??= this.fireClaimed().finally(() => {
      this.firing = null;
    });
    return this.firing;
  }

  /** Tests and the demo: one pass of the timer loop, then one of the mail loop, both awaited. */
  async tick(): Promise<TickReport> {
    const timersFired = await this.fireDue();
    return { timersFired, ...(await this.dispatcher.dispatchReady()) };
  }

  /** Timers due by `now` and not fired yet: how many, and since when the oldest waits (for /health). */
  backlog(now: Date): Promise<{ count: number; oldestDueAt: string | null }> {
    return this.store.overdueTimers(now);
  }

  /**
   * Test and demo helper: moves a FakeClock forward to `target`, stopping at each timer's due time and each retry of
   * a message on the way, so that everything happens in order and at the time it was due.
   */
  async advanceTo(target: Date | string): Promise<TickReport> {
    if (!(this.clock instanceof FakeClock)) throw new Error('advanceTo needs the FakeClock');
    const until = new Date(target);
    const total: TickReport = { timersFired: 0, sent: 0, retried: 0, deadLettered: 0 };
    const add = (report: TickReport) => {
      for (const key of Object.keys(total) as (keyof TickReport)[]) total[key] += report[key];
    };
    let stuckAt: number | null = null;
    for (let next = await this.nextWakeUp(until); next; next = await this.nextWakeUp(until)) {
      // A tick takes everything due by now; still due after it means nothing can take it, and time would stand still.
      if (next <= this.clock.now()) {
        if (stuckAt === next.getTime())
          throw new Error(`advanceTo: something is due at ${next.toISOString()} but nothing fires or sends it`);
        stuckAt = next.getTime();
      } else {
        this.clock.set(next);
      }
      add(await this.tick());
    }
    this.clock.set(until);
    add(await this.tick());
    return total;
  }

  private async nextWakeUp(until: Date): Promise<Date | null> {
    const times = [await this.store.nextTimer(until), await this.dispatcher.nextAttempt(until)].filter(
      (t): t is Date => t !== null,
    );
    return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
  }

  private async fireClaimed(): Promise<number> {
    let fired = 0;
    const failed: { timer: TimerRow; error: Error }[] = [];
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.store.claimDueTimers(now, new Date(now.getTime() + CLAIM_MS), BATCH);
      for (const timer of claimed) {
        try {
          await this.engine.fireTimer(timer);
          fired++;
        } catch (error) {
          failed.push({ timer, error: error as Error });
        }
      }
      if (claimed.length < BATCH) break;
    }
    for (const { timer, error } of failed) {
      this.logger.error(
        `timer ${timer.key} of ${timer.instanceId} failed to fire, tried again next pass: ${error.message}`,
        error.stack,
      );
      await this.store.releaseTimer(timer.id);
    }
    if (failed.length) throw failed[0].error;
    return fired;
  }
}
