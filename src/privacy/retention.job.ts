import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SCHEDULER_ENABLED } from '../engine/timer-scheduler.js';
import { PrivacyService, RETENTION_ACTOR } from './privacy.service.js';

const JOB = 'lotse-retention';
/**
 * How often a process looks whether today's pass is still to run. The pass itself is once per calendar day of the
 * engine's clock, claimed in the database, so several processes and restarts run it once.
 */
const CHECK_MS = 60 * 60 * 1000;

/**
 * Pseudonymises the persons whose enrolments ended more than `pseudonymiseAfterYears` years ago (DSGVO Art. 17,
 * storage limitation). "Today" comes from the injected Clock, so a test calls `run()` after moving the FakeClock.
 * The day's pass is claimed by a row keyed by the day: the process whose insert succeeds runs it, any other finds
 * the day taken. Each person's pseudonymisation is its own command, claimed again by the person's key, so a pass
 * that stopped half-way is completed by the next day's.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  /** The pass under way in this process, awaited at shutdown. */
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly privacy: PrivacyService,
    private readonly schedulerRegistry: SchedulerRegistry,
    @Inject(SCHEDULER_ENABLED) private readonly enabled: boolean,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const run = () =>
      this.run().catch((error: Error) => this.logger.error(`retention job failed: ${error.message}`, error.stack));
    this.schedulerRegistry.addInterval(JOB, setInterval(run, CHECK_MS));
    void run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.schedulerRegistry.doesExist('interval', JOB)) this.schedulerRegistry.deleteInterval(JOB);
    await this.running?.catch(() => undefined);
  }

  /** Today's pass, when no process has claimed it yet: every person due, each in a command of its own. Returns the ids pseudonymised. */
  run(): Promise<string[]> {
    const pass = this.pseudonymiseDue();
    this.running = pass.finally(() => undefined);
    return pass;
  }

  private async pseudonymiseDue(): Promise<string[]> {
    if (!(await this.privacy.claimTodaysPass())) return [];
    const done: string[] = [];
    for (const { personId, lastEndedOn } of await this.privacy.due()) {
      if (
        await this.privacy.pseudonymise(RETENTION_ACTOR, personId, {
          rule: 'retention',
          lastEnrolmentEndedOn: lastEndedOn,
        })
      )
        done.push(personId);
    }
    if (done.length) this.logger.log(`pseudonymised ${done.length} person(s) whose enrolments ended long ago`);
    return done;
  }
}
