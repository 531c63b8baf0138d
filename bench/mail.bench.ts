/**
 * Mail figures: (a) 10,000 queued mail messages dispatched over SMTP to a local sink (messages per second), (b) one
 * scheduler tick with 100,000 stored instances and 1,000 due reminder timers: fire them and send their mails
 * (target < 1 s). Data is bulk-inserted with better-sqlite3 into a file the app migrated once.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/configuration.js';
import { createApp } from '../src/app.js';
import { FakeClock } from '../src/engine/clock.js';
import { OutboxDispatcher } from '../src/engine/outbox-dispatcher.js';
import { TimerScheduler } from '../src/engine/timer-scheduler.js';
import { WorkflowEngine } from '../src/engine/workflow-engine.js';
import { courseMessages, mailCourse } from '../test/support/mail-course.js';
import { startSmtpSink, type SmtpSink } from '../test/support/smtp-sink.js';

const QUEUED = 10_000;
const STORED_INSTANCES = 100_000;
const DUE_TIMERS = 1_000;
const START = '2026-03-02T09:00:00Z';
/** 08:00 Berlin on 12 March 2026: the 14-day reminders of an event on 26 March. */
const DUE = '2026-03-12T07:00:00.000Z';
const actor = { id: 'bench', role: 'institute' };

async function withApp<T>(
  dir: string,
  options: { clock: FakeClock; smtpUrl?: string },
  work: (app: INestApplication) => Promise<T>,
): Promise<T> {
  const config = loadConfig(
    {},
    { databasePath: join(dir, 'lotse.sqlite'), outboxDir: join(dir, 'outbox'), smtpUrl: options.smtpUrl ?? '' },
  );
  const app = await createApp({
    config,
    clock: options.clock,
    workflows: [mailCourse],
    messages: courseMessages,
    scheduler: false,
  });
  await app.init();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

function openDatabase(dir: string): Database.Database {
  const db = new Database(join(dir, 'lotse.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

async function queuedMessagesPerSecond(dir: string, sink: SmtpSink): Promise<number> {
  const clock = new FakeClock(START);
  await withApp(dir, { clock }, async () => undefined);
  const db = openDatabase(dir);
  const insert =
    db.prepare(`INSERT INTO outbox (key, instance_id, kind, payload, status, attempts, next_attempt_at, last_error, created_at, sent_at)
       VALUES (?, NULL, 'mail', ?, 'pending', 0, ?, NULL, ?, NULL)`);
  const now = clock.now().toISOString();
  db.transaction(() => {
    for (let n = 0; n < QUEUED; n++) {
      const payload = {
        template: 'mail-course/event-upcoming',
        to: {
          name: `Person ${n}`,
          email: `person-${n}@schule.example`,
          language: n % 2 ? 'en' : 'de',
          role: 'participant',
        },
        data: { course: 'Gruppe 3', title: 'Modul 1', location: 'Soest', deadlineOn: '2026-03-26' },
        calendarEvents: [
          {
            uid: `m1-${n}@lotse.bench`,
            title: 'Modul 1',
            start: '2026-03-26T09:00',
            end: '2026-03-26T16:00',
            location: 'Soest',
          },
        ],
      };
      insert.run(`bench:${n}`, JSON.stringify(payload), now, now);
    }
  })();
  db.close();
  return withApp(dir, { clock, smtpUrl: sink.url }, async (app) => {
    const before = sink.accepted;
    const start = performance.now();
    await app.get(OutboxDispatcher).dispatchReady();
    const seconds = (performance.now() - start) / 1000;
    if (sink.accepted - before !== QUEUED)
      throw new Error(`the sink accepted ${sink.accepted - before} of ${QUEUED} messages`);
    return QUEUED / seconds;
  });
}

/**
 * 100,000 instances of the course, each with its pending reminder timers; 1,000 of them have one due now. With
 * `send: false` the due effects are of a kind no handler claims, which times the firing alone; with `send: true`
 * they are mails and the time includes sending all 1,000 over SMTP.
 */
async function tickMilliseconds(dir: string, sink: SmtpSink, send: boolean): Promise<number> {
  const clock = new FakeClock(START);
  const seeded = await withApp(dir, { clock }, async (app) => {
    const created = await app.get(WorkflowEngine).create({
      definition: 'mail-course',
      actor,
      input: {
        course: 'Gruppe 3',
        members: [{ name: 'Petra Lang', email: 'petra.lang@schule.example', language: 'de', role: 'participant' }],
        events: [{ id: 'm1', title: 'Modul 1', on: '2026-03-26', location: 'Soest' }],
      },
    });
    return created.id;
  });
  const db = openDatabase(dir);
  const template = db.prepare('SELECT * FROM workflow_instances WHERE id = ?').get(seeded) as Record<string, unknown>;
  const timers = db
    .prepare('SELECT key, due_at, status, event, effect FROM timers WHERE instance_id = ? ORDER BY due_at')
    .all(seeded) as Record<string, unknown>[];
  const dueTimer = timers.find((timer) => timer.due_at === DUE);
  if (!dueTimer) throw new Error(`the seeded course has no reminder due at ${DUE}`);
  const dueEffect = send
    ? dueTimer.effect
    : JSON.stringify({ ...JSON.parse(dueTimer.effect as string), kind: 'bench-unclaimed' });
  db.prepare('UPDATE timers SET effect = ? WHERE instance_id = ? AND due_at = ?').run(dueEffect, seeded, DUE);
  const insert =
    db.prepare(`INSERT INTO workflow_instances (id, definition, definition_version, state, status, snapshot, context, timer_digest, version, created_at, updated_at)
       VALUES (@id, @definition, @definition_version, @state, @status, @snapshot, @context, @timer_digest, @version, @created_at, @updated_at)`);
  const insertTimer = db.prepare(
    'INSERT INTO timers (instance_id, key, due_at, status, event, effect, fired_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
  );
  db.transaction(() => {
    for (let n = 1; n < STORED_INSTANCES; n++) {
      const id = `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
      insert.run({ ...template, id });
      // Every instance keeps its later reminders pending; the seeded one and every 100th copy (999) have one due now.
      for (const timer of timers) {
        if (timer === dueTimer && n % (STORED_INSTANCES / DUE_TIMERS) !== 0) continue;
        insertTimer.run(
          id,
          timer.key,
          timer.due_at,
          timer.status,
          timer.event,
          timer === dueTimer ? dueEffect : timer.effect,
        );
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  clock.set(DUE);
  return withApp(dir, { clock, smtpUrl: sink.url }, async (app) => {
    const before = sink.accepted;
    const start = performance.now();
    await app.get(TimerScheduler).tick();
    const ms = performance.now() - start;
    const fired = app.get(DataSource).query('SELECT COUNT(*) AS n FROM outbox') as Promise<{ n: number }[]>;
    if ((await fired)[0].n !== DUE_TIMERS)
      throw new Error(`the tick queued ${(await fired)[0].n} of ${DUE_TIMERS} reminders`);
    if (send && sink.accepted - before !== DUE_TIMERS)
      throw new Error(`the tick sent ${sink.accepted - before} of ${DUE_TIMERS} reminders`);
    return ms;
  });
}

export async function benchMail(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-bench-mail-'));
  const sink = await startSmtpSink({ collect: false });
  try {
    const rate = await queuedMessagesPerSecond(join(dir, 'a'), sink);
    const tick = await tickMilliseconds(join(dir, 'b'), sink, false);
    const tickAndSend = await tickMilliseconds(join(dir, 'c'), sink, true);
    return {
      [`(a) ${QUEUED.toLocaleString('en')} queued mails (HTML + text + .ics) over SMTP to a local sink: messages/s`]:
        rate.toFixed(0),
      [`(b) one tick among ${STORED_INSTANCES.toLocaleString('en')} instances: ${DUE_TIMERS.toLocaleString('en')} due reminders fired into the outbox: ms (target < 1000)`]:
        tick.toFixed(0),
      [`(b) the same tick until those ${DUE_TIMERS.toLocaleString('en')} mails are sent over SMTP: ms`]:
        tickAndSend.toFixed(0),
    };
  } finally {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Standalone: `node dist/bench/mail.bench.js` after `npm run build` prints the mail figures alone. */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.LOTSE_QUIET ??= '1';
  for (const [name, value] of Object.entries(await benchMail())) console.log(`${name.padEnd(110)} ${value}`);
}
