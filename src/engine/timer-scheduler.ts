import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LotseConfig } from '../../config/configuration.js';
import { Clock, FakeClock } from './clock.js';
import { OutboxDispatcher, type DispatchReport } from './outbox-dispatcher.js';
import { InstanceStore } from './persistence/instance.store.js';
import { WorkflowEngine } from './workflow-engine.js';

export const SCHEDULER_ENABLED = Symbol('SCHEDULER_ENABLED');
const TICK = 'lotse-scheduler-tick';
const BATCH = 500;

export interface TickReport extends DispatchReport {
  timersFired: number;
}

/**
 * Fires due timers, oldest first, then dispatches the outbox. Runs on an interval from @nestjs/schedule and once at
 * start-up, so whatever came due while the service was down fires on the first tick.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TimerScheduler.name);
  private running: Promise<TickReport> | null = null;

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
    const run = () => this.tick().catch((error: Error) => this.logger.error(`scheduler tick failed: ${error.message}`, error.stack));
    this.schedulerRegistry.addInterval(TICK, setInterval(run, this.config.schedulerIntervalMs));
    void run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.schedulerRegistry.doesExist('interval', TICK)) this.schedulerRegistry.deleteInterval(TICK);
    await this.running?.catch(() => undefined);
  }

  /** One pass: every timer due by now, then the outbox. A tick never overlaps another. */
  tick(): Promise<TickReport> {
    this.running ??= this.fireDueAndDispatch().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Test and demo helper: moves a FakeClock forward to `target`, stopping at each timer's due time on the way so
   * that everything fires in order and at the time it was due.
   */
  async advanceTo(target: Date | string): Promise<TickReport> {
    if (!(this.clock instanceof FakeClock)) throw new Error('advanceTo needs the FakeClock');
    const until = new Date(target);
    const total: TickReport = { timersFired: 0, sent: 0, retried: 0, deadLettered: 0 };
    const add = (report: TickReport) => {
      for (const key of Object.keys(total) as (keyof TickReport)[]) total[key] += report[key];
    };
    for (let next = await this.store.nextTimer(until); next; next = await this.store.nextTimer(until)) {
      const dueAt = new Date(next.dueAt);
      if (dueAt > this.clock.now()) this.clock.set(dueAt);
      add(await this.tick());
    }
    this.clock.set(until);
    add(await this.tick());
    return total;
  }

  private async fireDueAndDispatch(): Promise<TickReport> {
    let timersFired = 0;
    for (;;) {
      const due = await this.store.dueTimers(this.clock.now(), BATCH);
      for (const timer of due) {
        await this.engine.fireTimer(timer);
        timersFired++;
      }
      if (due.length < BATCH) break;
    }
    return { timersFired, ...(await this.dispatcher.dispatchReady()) };
  }
}
