/**
 * startApp for mail tests: the same real application on a SQLite file with a FakeClock and no interval tick, plus
 * the mail-course definition and its templates (which the programmes' PROGRAMME_MESSAGES do not contain).
 */
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig, type LotseConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';
import { FakeClock } from '../../src/engine/clock.js';
import { OutboxDispatcher } from '../../src/engine/outbox-dispatcher.js';
import { InstanceStore } from '../../src/engine/persistence/instance.store.js';
import { TimerScheduler } from '../../src/engine/timer-scheduler.js';
import { WorkflowEngine } from '../../src/engine/workflow-engine.js';
import type { TestApp } from './harness.js';
import { courseMessages, mailCourse } from './mail-course.js';

export interface MailTestApp extends TestApp {
  dispatcher: OutboxDispatcher;
  /** scheduler.advanceTo that also waits, at every due time, until each message queued by then is dispatched. */
  advanceTo(target: string): Promise<void>;
  /** scheduler.tick plus waiting for dispatches kicked while it ran. */
  tick(): Promise<void>;
}

/**
 * Waits until the outbox has nothing ready. Needed because a scheduler tick resolves while dispatches kicked by
 * fired timers may still run (OutboxDispatcher.dispatchReady returns the running drain, not the follow-up it
 * asked for), so without it a message would be sent after the fake clock already moved on.
 */
async function settle(dispatcher: OutboxDispatcher): Promise<void> {
  let idle = 0;
  while (idle < 2) {
    const report = await dispatcher.dispatchReady();
    idle = report.sent + report.retried + report.deadLettered === 0 ? idle + 1 : 0;
  }
}

export async function startMailApp(options: { workspace: string; clock: FakeClock; config?: Partial<LotseConfig> }): Promise<MailTestApp> {
  process.env.LOTSE_QUIET ??= '1';
  const config = loadConfig({}, {
    databasePath: join(options.workspace, 'lotse.sqlite'),
    outboxDir: join(options.workspace, 'outbox'),
    ...options.config,
  });
  const app = await createApp({ config, clock: options.clock, workflows: [mailCourse], messages: courseMessages, scheduler: false });
  await app.init();
  const scheduler = app.get(TimerScheduler);
  const dispatcher = app.get(OutboxDispatcher);
  const timers = app.get(InstanceStore);
  const tick = async () => {
    await scheduler.tick();
    await settle(dispatcher);
  };
  return {
    app,
    http: request(app.getHttpServer()),
    clock: options.clock,
    scheduler,
    engine: app.get(WorkflowEngine),
    dispatcher,
    tick,
    advanceTo: async (target) => {
      const until = new Date(target);
      for (let next = await timers.nextTimer(until); next; next = await timers.nextTimer(until)) {
        if (next.dueAt > options.clock.now().toISOString()) options.clock.set(next.dueAt);
        await tick();
      }
      options.clock.set(until);
      await tick();
    },
    config,
    close: () => app.close(),
  };
}
