import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SCHEDULER_ENABLED } from '../engine/timer-scheduler.js';
import { PrivacyService, RETENTION_ACTOR } from './privacy.service.js';

const JOB = 'lotse-retention';
/** Once a day is enough for a rule counted in years; it also runs once at start-up. */
const DAILY_MS = 24 * 60 * 60 * 1000;

/**
 * Pseudonymises the persons whose enrolments ended more than `pseudonymiseAfterYears` years ago (DSGVO Art. 17,
 * storage limitation). Runs from @nestjs/schedule; "today" comes from the injected Clock, so a test calls `run()`
 * after moving the FakeClock.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly privacy: PrivacyService,
    private readonly schedulerRegistry: SchedulerRegistry,
    @Inject(SCHEDULER_ENABLED) private readonly enabled: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const run = () => this.run().catch((error: Error) => this.logger.error(`retention job failed: ${error.message}`, error.stack));
    this.schedulerRegistry.addInterval(JOB, setInterval(run, DAILY_MS));
    void run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.schedulerRegistry.doesExist('interval', JOB)) this.schedulerRegistry.deleteInterval(JOB);
    await this.running?.catch(() => undefined);
  }

  /** One pass: every person due today, each in a transaction of its own. Returns the ids pseudonymised. Never overlaps. */
  run(): Promise<string[]> {
    this.running ??= this.pseudonymiseDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pseudonymiseDue(): Promise<string[]> {
    const done: string[] = [];
    for (const { personId, lastEndedOn } of await this.privacy.due()) {
      if (await this.privacy.pseudonymise(RETENTION_ACTOR, personId, { rule: 'retention', lastEnrolmentEndedOn: lastEndedOn })) done.push(personId);
    }
    if (done.length) this.logger.log(`pseudonymised ${done.length} person(s) whose enrolments ended long ago`);
    return done;
  }
}
