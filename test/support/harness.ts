import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { loadConfig, type LotseConfig } from '../../config/configuration.js';
import { createApp } from '../../src/app.js';
import { FakeClock } from '../../src/engine/clock.js';
import { TimerScheduler } from '../../src/engine/timer-scheduler.js';
import { WorkflowEngine } from '../../src/engine/workflow-engine.js';
import type { WorkflowDefinition } from '../../src/engine/workflow.js';
import type { MessageTemplate } from '../../workflows/shared/mail.js';

process.env.LOTSE_QUIET ??= '1';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  clock: FakeClock;
  scheduler: TimerScheduler;
  engine: WorkflowEngine;
  config: LotseConfig;
  /** Closes the app; the database file stays for a restart. */
  close(): Promise<void>;
}

/** A fresh folder for one test's SQLite file and outbox; removed by `removeWorkspace`. */
export function makeWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'lotse-test-'));
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the real application on a SQLite file in `workspace` with a FakeClock and no interval tick: tests move
 * time with `scheduler.advanceTo(...)`. Start it again on the same workspace to simulate a restart.
 */
export async function startApp(options: {
  workspace: string;
  clock?: FakeClock;
  now?: string;
  workflows?: WorkflowDefinition[];
  messages?: Record<string, MessageTemplate>;
  config?: Partial<LotseConfig>;
  /** Run the timer and mail loops on their interval, as in production (default: off; tests tick by hand). */
  scheduler?: boolean;
}): Promise<TestApp> {
  const config = loadConfig({}, {
    databasePath: join(options.workspace, 'lotse.sqlite'),
    outboxDir: join(options.workspace, 'outbox'),
    ...options.config,
  });
  const clock = options.clock ?? new FakeClock(options.now ?? '2026-01-05T09:00:00Z');
  const app = await createApp({ config, clock, workflows: options.workflows, messages: options.messages, scheduler: options.scheduler ?? false });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    scheduler: app.get(TimerScheduler),
    engine: app.get(WorkflowEngine),
    config,
    close: () => app.close(),
  };
}

/** Headers naming the caller, as every write endpoint requires until authentication lands. */
export function as(role: string, id = `${role}-1`): Record<string, string> {
  return { 'X-Actor-Id': id, 'X-Actor-Role': role };
}
