import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import pg from 'pg';
import type { Recipient } from '../workflows/shared/mail.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { as, makeWorkspace, removeWorkspace } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

/**
 * Two service processes on one PostgreSQL database, as behind a load balancer: requests go to either, both run the
 * timer and mail loops, and still every timer fires once and every reminder is sent once. The processes are the
 * built service (test/support/cluster-server.ts) with fake clocks the test moves in step.
 */
const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
if (!bin)
  console.warn(
    'PostgreSQL is not installed here: skipping the two-process tests (apt-get install postgresql to run them)',
  );
const describeWithPostgres = bin ? describe : describe.skip;

const SERVER = join(process.cwd(), 'dist/test/support/cluster-server.js');
const COURSES = 60;
const REQUESTS = 20;
const member = (n: number, role: string): Recipient => ({
  name: `Person ${n}`,
  email: `person-${n}@schule.example`,
  language: n % 2 ? 'en' : 'de',
  role,
});

interface TickReport {
  timersFired: number;
  sent: number;
  retried: number;
  deadLettered: number;
  error?: string;
}

/** Sends one command to a cluster server's standard input and waits for its answer. */
let commands = 0;
function command(service: ChildService, body: Record<string, unknown>): Promise<TickReport> {
  const id = ++commands;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const answer = new RegExp(`^DONE ${id} (.*)$`, 'm').exec(service.stdout());
      if (!answer) return;
      clearInterval(timer);
      const report = JSON.parse(answer[1]) as TickReport;
      if (report.error) reject(new Error(report.error));
      else resolve(report);
    }, 10);
    service.process.stdin!.write(`${JSON.stringify({ id, ...body })}\n`);
  });
}

describeWithPostgres('two service processes on one PostgreSQL database', () => {
  let server: TestPostgres;
  let workspace: string;
  let sink: SmtpSink;
  let services: ChildService[] = [];

  beforeAll(async () => {
    server = await startPostgres(bin!);
  }, 120_000);

  afterAll(() => server?.stop());

  afterEach(async () => {
    await Promise.all(services.map((service) => service.kill()));
    services = [];
    await sink?.stop();
    removeWorkspace(workspace);
  });

  it('fires every timer once and sends every reminder once, the work shared between them', async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    const databaseUrl = await server.createDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      SMTP_URL: sink.url,
      LOTSE_NOW: '2026-03-02T09:00:00Z',
      OUTBOX_DIR: join(workspace, 'outbox'),
    };
    // Both start at once on the empty database: one applies the migrations, the other waits for it.
    services = await Promise.all([startChildService(env, SERVER), startChildService(env, SERVER)]);

    const post = async (n: number, path: string, body: unknown) => {
      const response = await fetch(`${services[n % 2].url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...as('institute', 'institute-1') },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    for (let n = 0; n < COURSES; n++) {
      // Reminders 14 and 2 days before 26 March, to both members: 4 mails a course.
      await post(n, '/instances', {
        definition: 'mail-course',
        input: {
          course: `Gruppe ${n}`,
          members: [member(2 * n, 'participant'), member(2 * n + 1, 'moderator')],
          events: [{ id: 'm1', title: 'Modul 1', on: '2026-03-26', location: 'Soest' }],
        },
      });
    }
    const requests: string[] = [];
    for (let n = 0; n < REQUESTS; n++) {
      // A decision deadline on 20 March (00:00 Berlin) and a reminder two days before: 2 timers a request.
      const { id } = await post(n, '/instances', {
        definition: 'sample-deadline',
        input: { title: `Antrag ${n}`, decideBy: '2026-03-20' },
      });
      await post(n + 1, `/instances/${id}/events`, { type: 'SUBMIT' });
      requests.push(id);
    }

    // Both processes tick at the same moments, as their interval loops would.
    const fired = [0, 0];
    for (const at of [
      '2026-03-12T07:00:00Z',
      '2026-03-18T07:00:00Z',
      '2026-03-19T23:00:00Z',
      '2026-03-24T07:00:00Z',
      '2026-03-27T00:00:00Z',
    ]) {
      await Promise.all(services.map((service) => command(service, { clock: at })));
      const reports = await Promise.all(services.map((service) => command(service, { tick: true })));
      reports.forEach((report, n) => {
        fired[n] += report.timersFired;
      });
    }

    const expectedTimers = COURSES * 4 + REQUESTS * 2;
    const expectedMails = COURSES * 4;
    console.log(
      `two processes: ${fired[0]} + ${fired[1]} of ${expectedTimers} timers fired, ${sink.accepted} of ${expectedMails} mails, ${sink.duplicates()} duplicates`,
    );
    expect(fired[0] + fired[1]).toBe(expectedTimers);
    expect(Math.min(...fired)).toBeGreaterThan(0);
    expect(sink.accepted).toBe(expectedMails);
    expect(new Set(sink.messages.map((mail) => mail.messageId)).size).toBe(expectedMails);
    expect(sink.duplicates()).toBe(0);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const timers = await db.query('SELECT status, COUNT(*)::int AS n FROM timers GROUP BY status ORDER BY status');
      expect(timers.rows).toEqual([{ status: 'fired', n: expectedTimers }]);
      // Each deadline raised its event exactly once in its instance.
      const escalations = await db.query(
        "SELECT instance_id, COUNT(*)::int AS n FROM journal WHERE event_type = 'due.decision' GROUP BY instance_id",
      );
      expect(escalations.rows).toHaveLength(REQUESTS);
      expect(escalations.rows.every((row: { n: number }) => row.n === 1)).toBe(true);
      const states = await db.query(
        "SELECT state, COUNT(*)::int AS n FROM workflow_instances WHERE definition = 'sample-deadline' GROUP BY state",
      );
      expect(states.rows).toEqual([{ state: 'escalated', n: REQUESTS }]);
      const mails = await db.query(
        "SELECT status, attempts, COUNT(*)::int AS n FROM outbox WHERE kind = 'mail' GROUP BY status, attempts",
      );
      expect(mails.rows).toEqual([{ status: 'sent', attempts: 0, n: expectedMails }]);
    } finally {
      await db.end();
    }
  });
});
