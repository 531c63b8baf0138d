/**
 * Engine figures on file SQLite (WAL, synchronous=NORMAL), each printed beside its target (issue 12):
 * (a) one sender: accepted events/s through the engine ÷ the same SQL without it (target >= 0.5);
 * (b) 32 concurrent senders on different instances (their steps share transactions: group commit) ÷ raw
 *     single-row transactions per second (target >= 0.5);
 * (c) POST /instances/{id}/events p99 at 500 requests/s (target < 20 ms);
 * (d) GET /instances/{id} p99 at 500 requests/s among 100,000 instances (target < 10 ms).
 * (c) and (d) run against the built service in its own process, with requests sent at a fixed rate from a third
 * process (fixed-rate.ts) for 10 s after 2 s of warm-up at that rate, latency counted from when each request was due
 * (a late sender does not hide a slow server).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/configuration.js';
import { createApp } from '../src/app.js';
import { FakeClock } from '../src/engine/clock.js';
import { WorkflowEngine } from '../src/engine/workflow-engine.js';
import { startChildService } from '../test/support/child-service.js';
import { as } from '../test/support/harness.js';
import { sampleDeadlineV1 } from '../test/support/sample-deadline.js';
import { fixedRate, type FixedRateResult } from './fixed-rate.js';

const EVENTS = 20_000;
const INSTANCES_FOR_EVENTS = 200;
const SENDERS = 32;
/** Events each of the 32 senders sends before (b) is measured. */
const WARMUP_ROUNDS = 50;
const STORED_INSTANCES = 100_000;
const RATE = 500;
const WARMUP_SECONDS = 2;
const SECONDS = 10;
const actor = { id: 'bench', role: 'operator' };
const pragmas = (db: Database.Database) => {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
};

async function withEngine<T>(dir: string, work: (engine: WorkflowEngine) => Promise<T>): Promise<T> {
  const config = loadConfig({}, { databasePath: join(dir, 'lotse.sqlite'), outboxDir: join(dir, 'outbox') });
  const app = await createApp({
    config,
    clock: new FakeClock('2026-01-05T09:00:00Z'),
    workflows: [sampleDeadlineV1],
    scheduler: false,
  });
  await app.init();
  try {
    return await work(app.get(WorkflowEngine));
  } finally {
    await app.close();
  }
}

async function submittedInstances(engine: WorkflowEngine, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await engine.create({
      definition: 'sample-deadline',
      input: { title: `B${i}`, decideBy: '2099-12-01' },
      actor,
    });
    await engine.send(created.id, { type: 'NOTE' }, actor);
    await engine.send(created.id, { type: 'SUBMIT' }, actor);
    ids.push(created.id);
  }
  return ids;
}

/**
 * (a) and (b): NOTE events (each also rewrites the text of a pending reminder) by one sender, then by 32 at once.
 * The 32 senders first send a round unmeasured: their first groups run code the one sender never did.
 */
async function engineEventsPerSecond(dir: string): Promise<{ oneSender: number; senders: number }> {
  return withEngine(dir, async (engine) => {
    const ids = await submittedInstances(engine, Math.max(INSTANCES_FOR_EVENTS, SENDERS));
    let start = performance.now();
    for (let i = 0; i < EVENTS; i++) await engine.send(ids[i % INSTANCES_FOR_EVENTS], { type: 'NOTE' }, actor);
    const oneSender = EVENTS / ((performance.now() - start) / 1000);
    const concurrently = (events: number) =>
      Promise.all(
        Array.from({ length: SENDERS }, async (_, sender) => {
          for (let i = 0; i < events / SENDERS; i++) await engine.send(ids[sender], { type: 'NOTE' }, actor);
        }),
      );
    await concurrently(SENDERS * WARMUP_ROUNDS);
    start = performance.now();
    await concurrently(EVENTS);
    return { oneSender, senders: EVENTS / ((performance.now() - start) / 1000) };
  });
}

/**
 * The SQL the engine runs for an accepted NOTE, straight through better-sqlite3, one transaction each: read the
 * instance, append the journal row to its chain, update the instance, read the pending timers, rewrite the reminder
 * whose text counts the notes.
 */
function rawSameSqlPerSecond(dir: string): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  pragmas(db);
  db.exec(`CREATE TABLE i (id TEXT PRIMARY KEY, definition TEXT, definition_version INTEGER, state TEXT, status TEXT, snapshot TEXT, context TEXT,
             timer_digest TEXT, version INTEGER, created_at TEXT, updated_at TEXT, journal_head INTEGER);
           CREATE INDEX i_state ON i (definition, definition_version, state);
           CREATE TABLE j (id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT, seq INTEGER, at TEXT, actor_id TEXT, actor_role TEXT,
                           event_type TEXT, payload TEXT, state_before TEXT, state_after TEXT, prev_id INTEGER);
           CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT, key TEXT, due_at TEXT, status TEXT, event TEXT, effect TEXT, fired_at TEXT);
           CREATE UNIQUE INDEX t_identity ON t (instance_id, key, due_at);
           CREATE INDEX t_due ON t (status, due_at);
           CREATE INDEX t_instance ON t (instance_id, status, due_at);`);
  const snapshot = JSON.stringify({ status: 'active', value: 'submitted', historyValue: {}, children: {} });
  const insert = db.prepare(
    "INSERT INTO i VALUES (?, 'sample-deadline', 1, 'submitted', 'active', ?, '{}', '', 1, '', '', NULL)",
  );
  const insertTimer = db.prepare(
    "INSERT INTO t (instance_id, key, due_at, status, effect) VALUES (?, ?, '2099-11-30T23:00:00.000Z', 'pending', '{}')",
  );
  for (let n = 0; n < INSTANCES_FOR_EVENTS; n++) {
    insert.run(`id-${n}`, snapshot);
    insertTimer.run(`id-${n}`, 'decision');
    insertTimer.run(`id-${n}`, 'decision-reminder');
  }
  const read = db.prepare('SELECT * FROM i WHERE id = ?');
  const update = db.prepare(
    'UPDATE i SET status = ?, snapshot = ?, context = ?, timer_digest = ?, version = ?, updated_at = ?, journal_head = ? WHERE id = ? AND version = ?',
  );
  const journal = db.prepare(
    'INSERT INTO j (instance_id, seq, at, actor_id, actor_role, event_type, payload, state_before, state_after, prev_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const timers = db.prepare(
    "SELECT id, key, due_at, status, event, effect FROM t WHERE instance_id = ? AND (status = 'pending' OR key IN (?, ?))",
  );
  const rewrite = db.prepare('UPDATE t SET event = ?, effect = ? WHERE id = ?');
  const event = db.transaction((n: number) => {
    const row = read.get(`id-${n}`) as { version: number; journal_head: number | null };
    const v = row.version;
    const entry = journal.run(
      `id-${n}`,
      v + 1,
      '2026-01-05T09:00:00.000Z',
      'bench',
      'operator',
      'NOTE',
      '{}',
      'submitted',
      'submitted',
      row.journal_head,
    ).lastInsertRowid;
    update.run(
      'active',
      snapshot,
      JSON.stringify({ title: 'B', notes: v }),
      `digest-${v}`,
      v + 1,
      '2026-01-05T09:00:00.000Z',
      entry,
      `id-${n}`,
      v,
    );
    for (const timer of timers.all(`id-${n}`, 'decision', 'decision-reminder') as { id: number; key: string }[]) {
      if (timer.key === 'decision-reminder') rewrite.run(null, JSON.stringify({ text: `${v} notes` }), timer.id);
    }
  });
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) event(i % INSTANCES_FOR_EVENTS);
  const rate = EVENTS / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/** Transactions that each update one row, straight through better-sqlite3. */
function rawSingleRowPerSecond(dir: string): number {
  const db = new Database(join(dir, 'single.sqlite'));
  pragmas(db);
  db.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, n INTEGER, note TEXT)');
  const insert = db.prepare('INSERT INTO r VALUES (?, 0, ?)');
  for (let n = 0; n < SENDERS; n++) insert.run(n, 'x'.repeat(200));
  const update = db.prepare('UPDATE r SET n = n + 1 WHERE id = ?');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const start = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    begin.run();
    update.run(i % SENDERS);
    commit.run();
  }
  const rate = EVENTS / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/** (c) and (d) on 100,000 stored instances, against the built service as its own process. */
async function latencyAtRate(dir: string): Promise<{ post: FixedRateResult; get: FixedRateResult }> {
  const [seeded] = await withEngine(dir, (engine) => submittedInstances(engine, 1));
  const db = new Database(join(dir, 'lotse.sqlite'));
  pragmas(db);
  const template = db.prepare('SELECT * FROM workflow_instances WHERE id = ?').get(seeded) as Record<string, unknown>;
  const timers = db.prepare('SELECT * FROM timers WHERE instance_id = ?').all(seeded) as Record<string, unknown>[];
  const insert =
    db.prepare(`INSERT INTO workflow_instances (id, definition, definition_version, state, status, snapshot, context, timer_digest, version, created_at, updated_at)
       VALUES (@id, @definition, @definition_version, @state, @status, @snapshot, @context, @timer_digest, @version, @created_at, @updated_at)`);
  const insertTimer = db.prepare(
    'INSERT INTO timers (instance_id, key, due_at, status, event, effect, fired_at) VALUES (@instance_id, @key, @due_at, @status, @event, @effect, @fired_at)',
  );
  const ids: string[] = [];
  db.transaction(() => {
    for (let n = 1; n < STORED_INSTANCES; n++) {
      const id = `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
      insert.run({ ...template, id });
      for (const timer of timers) insertTimer.run({ ...timer, instance_id: id });
      ids.push(id);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const service = await startChildService({
    DATABASE_PATH: join(dir, 'lotse.sqlite'),
    OUTBOX_DIR: join(dir, 'outbox'),
  });
  try {
    // Signed in as everywhere in production: the token is checked on every request.
    const headers = { 'content-type': 'application/json', ...as('ministry', 'bench') };
    const note = JSON.stringify({ type: 'NOTE' });
    const requests = Array.from({ length: RATE * (WARMUP_SECONDS + SECONDS) }, (_, n) => n);
    const post = await fixedRate({
      url: service.url,
      method: 'POST',
      headers,
      body: note,
      paths: requests.map((n) => `/instances/${ids[(n * 7919) % ids.length]}/events`),
      rate: RATE,
      warmup: RATE * WARMUP_SECONDS,
    });
    const get = await fixedRate({
      url: service.url,
      method: 'GET',
      headers,
      paths: requests.map((n) => `/instances/${ids[(n * 104729) % ids.length]}`),
      rate: RATE,
      warmup: RATE * WARMUP_SECONDS,
    });
    return { post, get };
  } finally {
    await service.kill();
  }
}

export async function benchEngine(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-bench-'));
  const at = (name: string) => {
    const path = join(dir, name);
    rmSync(path, { recursive: true, force: true });
    return path;
  };
  try {
    const engine = await engineEventsPerSecond(at('a'));
    const sameSql = rawSameSqlPerSecond(dir);
    const singleRow = rawSingleRowPerSecond(dir);
    const { post, get } = await latencyAtRate(at('d'));
    const failures = post.failed + get.failed;
    return {
      '(a) one sender: engine events/s (snapshot, journal, reminder rewrite: 1 tx each)': engine.oneSender.toFixed(0),
      '    the same SQL through better-sqlite3, 1 tx each: /s': sameSql.toFixed(0),
      '    (a) engine ÷ same SQL (target >= 0.5)': (engine.oneSender / sameSql).toFixed(2),
      [`(b) ${SENDERS} concurrent senders, different instances, group commit: events/s`]: engine.senders.toFixed(0),
      '    raw single-row transactions through better-sqlite3: /s': singleRow.toFixed(0),
      '    (b) engine ÷ single-row transactions (target >= 0.5)': (engine.senders / singleRow).toFixed(2),
      [`(c) POST /instances/{id}/events at ${RATE}/s: p50 / p99 ms (target p99 < 20)`]: `${post.p50.toFixed(1)} / ${post.p99.toFixed(1)}`,
      [`(d) GET /instances/{id} at ${RATE}/s among ${STORED_INSTANCES.toLocaleString('en')}: p50 / p99 ms (target p99 < 10)`]: `${get.p50.toFixed(1)} / ${get.p99.toFixed(1)}`,
      ...(failures ? { '    requests not answered 2xx (should be 0)': String(failures) } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
