import type { INestApplication } from '@nestjs/common';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import { loadConfig, type LotseConfig } from '../../config/configuration.js';
import type { PartnerSide } from '../../workflows/contract-review/contract.js';
import { createApp } from '../../src/app.js';
import { signLocalToken } from '../../src/auth/local-tokens.js';
import { FakeClock } from '../../src/engine/clock.js';
import { TimerScheduler } from '../../src/engine/timer-scheduler.js';
import { WorkflowEngine } from '../../src/engine/workflow-engine.js';
import type { WorkflowDefinition } from '../../src/engine/workflow.js';
import type { MessageTemplate } from '../../workflows/shared/mail.js';

process.env.LOTSE_QUIET ??= '1';

export interface TestApp {
  app: INestApplication;
  /**
   * HTTP client signed in as the ministry (which reads everything) unless a request sets its own caller with
   * `.set(as(role, id))`; use `anonymous` for requests without a token.
   */
  http: TestAgent;
  anonymous: TestAgent;
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

export interface StartOptions {
  workspace: string;
  clock?: FakeClock;
  now?: string;
  workflows?: WorkflowDefinition[];
  messages?: Record<string, MessageTemplate>;
  config?: Partial<LotseConfig>;
  /** Run the timer and mail loops on their interval, as in production (default: off; tests tick by hand). */
  scheduler?: boolean;
}

/**
 * Starts the real application on a SQLite file in `workspace` with a FakeClock and no interval tick: tests move
 * time with `scheduler.advanceTo(...)`. Start it again on the same workspace to simulate a restart.
 */
export async function startApp(options: StartOptions): Promise<TestApp> {
  const config = loadConfig(
    {},
    {
      databasePath: join(options.workspace, 'lotse.sqlite'),
      outboxDir: join(options.workspace, 'outbox'),
      authSigningKey: TEST_SIGNING_KEY,
      ...options.config,
    },
  );
  const clock = options.clock ?? new FakeClock(options.now ?? '2026-01-05T09:00:00Z');
  const app = await createApp({
    config,
    clock,
    workflows: options.workflows,
    messages: options.messages,
    scheduler: options.scheduler ?? false,
  });
  await app.init();
  return {
    app,
    http: request.agent(app.getHttpServer()).set(as('ministry', 'msb-test')),
    anonymous: request(app.getHttpServer()),
    clock,
    scheduler: app.get(TimerScheduler),
    engine: app.get(WorkflowEngine),
    config,
    close: () => app.close(),
  };
}

/**
 * The key test apps sign their tokens with (`authSigningKey`), so that `as()` can mint a token without signing in.
 * A test key only: never configure it anywhere else.
 */
export const TEST_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIN0GqNkuoV3HaXyn8+BMXtDSTgb4BkBmZf6WbhVnbNO9
-----END PRIVATE KEY-----
`;
const testKey = createPrivateKey(TEST_SIGNING_KEY);

/**
 * The Authorization header of a caller signed in with `role` as actor `id` (a district's code or `code/clerk`, a
 * person's id, a contract administrator's id): a Lotse token signed with the test key, valid until 2100 so that
 * tests may move the clock across years. `partner` is what a contract administrator's sign-in names.
 */
export function as(role: string, id = `${role}-1`, claims: { partner?: PartnerSide } = {}): Record<string, string> {
  const token = signLocalToken(testKey, { sub: id, role, ...claims, iat: 946_684_800, exp: 4_102_444_800 });
  return { Authorization: `Bearer ${token}` };
}
