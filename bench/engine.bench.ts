/**
 * Engine figures on file SQLite: (a) accepted events/s through the engine, (b) the raw rate of equivalent writes
 * with the same driver and pragmas, (c) a/b (target >= 0.5), (d) GET latency among 100,000 stored instances
 * (target p50 < 5 ms).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/configuration.js';
import { createApp } from '../src/app.js';
import { LocalTokens } from '../src/auth/local-tokens.js';
import { FakeClock } from '../src/engine/clock.js';
import { WorkflowEngine } from '../src/engine/workflow-engine.js';
import { sampleDeadlineV1 } from '../workflows/sample-deadline/machine.js';

const EVENTS = 5_000;
const INSTANCES_FOR_EVENTS = 200;
const STORED_INSTANCES = 100_000;
const GET_SAMPLES = 2_000;
const actor = { id: 'bench', role: 'operator' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function withApp<T>(dir: string, work: (engine: WorkflowEngine, url: string, headers: Record<string, string>) => Promise<T>): Promise<T> {
  const config = loadConfig({}, { databasePath: join(dir, 'lotse.sqlite'), outboxDir: join(dir, 'outbox'), port: 0 });
  const app = await createApp({ config, clock: new FakeClock('2026-01-05T09:00:00Z'), workflows: [sampleDeadlineV1], scheduler: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  // The ministry reads every instance; its token is checked on every request, as in production.
  const { token } = await app.get(LocalTokens).issue({ id: 'bench', role: 'ministry' });
  try {
    return await work(app.get(WorkflowEngine), `http://127.0.0.1:${address.port}`, { Authorization: `Bearer ${token}` });
  } finally {
    await app.close();
  }
}

async function engineEventsPerSecond(dir: string): Promise<number> {
  return withApp(dir, async (engine) => {
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES_FOR_EVENTS; i++) {
      const created = await engine.create({ definition: 'sample-deadline', input: { title: `B${i}`, decideBy: '2026-12-01' }, actor });
      await engine.send(created.id, { type: 'SUBMIT' }, actor);
      ids.push(created.id);
    }
    const start = performance.now();
    for (let i = 0; i < EVENTS; i++) await engine.send(ids[i % ids.length], { type: 'NOTE' }, actor);
    return EVENTS / ((performance.now() - start) / 1000);
  });
}

/** The same rows an accepted NOTE writes, straight through better-sqlite3: update the instance, append a journal
 * row, read its pending timers and rewrite the reminder whose text counts the notes; one transaction each. */
function rawWritesPerSecond(dir: string): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE i (id TEXT PRIMARY KEY, state TEXT, snapshot TEXT, context TEXT, version INTEGER, updated_at TEXT);
           CREATE TABLE j (id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT, seq INTEGER, at TEXT, actor_id TEXT, actor_role TEXT,
                           event_type TEXT, payload TEXT, state_before TEXT, state_after TEXT);
           CREATE UNIQUE INDEX j_seq ON j (instance_id, seq);
           CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT, key TEXT, due_at TEXT, status TEXT, effect TEXT);
           CREATE INDEX t_i ON t (instance_id, key, due_at);`);
  const snapshot = JSON.stringify({ status: 'active', value: 'submitted', historyValue: {}, children: {} });
  const insert = db.prepare('INSERT INTO i VALUES (?, ?, ?, ?, ?, ?)');
  const insertTimer = db.prepare("INSERT INTO t (instance_id, key, due_at, status) VALUES (?, 'decision', '2026-11-30T23:00:00.000Z', 'pending')");
  for (let n = 0; n < INSTANCES_FOR_EVENTS; n++) {
    insert.run(`id-${n}`, 'submitted', snapshot, '{}', 1, '2026-01-05T09:00:00.000Z');
    insertTimer.run(`id-${n}`);
  }
  const update = db.prepare('UPDATE i SET state = ?, snapshot = ?, context = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?');
  const journal = db.prepare('INSERT INTO j (instance_id, seq, at, actor_id, actor_role, event_type, payload, state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const timers = db.prepare("SELECT * FROM t WHERE instance_id = ? AND status = 'pending'");
  const rewrite = db.prepare('UPDATE t SET effect = ? WHERE id = ?');
  const versions = new Array(INSTANCES_FOR_EVENTS).fill(1);
  const event = db.transaction((n: number) => {
    const v = versions[n]++;
    update.run('submitted', snapshot, JSON.stringify({ title: 'B', notes: v }), v + 1, '2026-01-05T09:00:00.000Z', `id-${n}`, v);
    journal.run(`id-${n}`, v + 1, '2026-01-05T09:00:00.000Z', 'bench', 'operator', 'NOTE', '{}', 'submitted', 'submitted');
    for (const timer of timers.all(`id-${n}`) as { id: number }[]) rewrite.run(JSON.stringify({ text: `${v} notes` }), timer.id);
  });
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) event(i % INSTANCES_FOR_EVENTS);
  const rate = EVENTS / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/** Fills the engine's own tables with 100,000 instances directly, then measures GET /instances/:id over HTTP. */
async function getLatency(dir: string): Promise<{ p50: number; p99: number }> {
  const seeded = await withApp(dir, async (engine) => {
    const created = await engine.create({ definition: 'sample-deadline', input: { title: 'template', decideBy: '2026-12-01' }, actor });
    await engine.send(created.id, { type: 'SUBMIT' }, actor);
    return created.id;
  });
  const db = new Database(join(dir, 'lotse.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const template = db.prepare('SELECT * FROM workflow_instances WHERE id = ?').get(seeded) as Record<string, unknown>;
  const insert = db.prepare(`INSERT INTO workflow_instances (id, definition, definition_version, state, status, snapshot, context, timer_digest, version, created_at, updated_at)
       VALUES (@id, @definition, @definition_version, @state, @status, @snapshot, @context, @timer_digest, @version, @created_at, @updated_at)`);
  const insertTimer = db.prepare("INSERT INTO timers (instance_id, key, due_at, status) VALUES (?, 'decision', '2026-11-30T23:00:00.000Z', 'pending')");
  const ids: string[] = [];
  db.transaction(() => {
    for (let n = 1; n < STORED_INSTANCES; n++) {
      const id = `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
      insert.run({ ...template, id });
      insertTimer.run(id);
      ids.push(id);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return withApp(dir, async (_engine, url, headers) => {
    const samples: number[] = [];
    for (let i = 0; i < GET_SAMPLES; i++) {
      const id = ids[(i * 7919) % ids.length];
      const start = performance.now();
      const response = await fetch(`${url}/instances/${id}`, { headers });
      await response.json();
      samples.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  });
}

export async function benchEngine(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-bench-'));
  try {
    const engine = await engineEventsPerSecond(join(dir, 'a'));
    const raw = rawWritesPerSecond(dir);
    const latency = await getLatency(join(dir, 'd'));
    return {
      '(a) engine: accepted events/s (snapshot + journal + timers, 1 tx each)': engine.toFixed(0),
      '(b) raw better-sqlite3: equivalent writes/s': raw.toFixed(0),
      '(c) ratio a/b (target >= 0.5)': (engine / raw).toFixed(2),
      [`(d) GET /instances/:id among ${STORED_INSTANCES.toLocaleString('en')} instances: p50 ms (target < 5)`]: latency.p50.toFixed(2),
      '(d) GET /instances/:id: p99 ms': latency.p99.toFixed(2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
