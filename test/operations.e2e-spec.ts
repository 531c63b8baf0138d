import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAIN = join(process.cwd(), 'dist/src/main.js');

describe('request ids', () => {
  let workspace: string;
  let t: TestApp;

  eachTestInWorkspace(
    async (dir) => {
      workspace = dir;
      t = await startApp({ workspace, workflows: [sampleDeadlineV1] });
    },
    () => t.close(),
  );

  it("gives every response an X-Request-Id: the caller's when it looks like an id, a new one otherwise", async () => {
    const generated = await t.http.get('/definitions').expect(200);
    expect(generated.headers['x-request-id']).toMatch(UUID);
    const other = await t.http.get('/definitions').expect(200);
    expect(other.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);

    expect(
      (await t.http.get('/definitions').set('X-Request-Id', 'edge-7f3a:42').expect(200)).headers['x-request-id'],
    ).toBe('edge-7f3a:42');
    // Spaces, quotes and overlong values could forge or flood log lines: replaced, not echoed.
    for (const insane of ['a b', '"quoted"', 'x'.repeat(129), '<script>']) {
      expect(
        (await t.http.get('/definitions').set('X-Request-Id', insane).expect(200)).headers['x-request-id'],
      ).toMatch(UUID);
    }
  });

  it('uses the same id as correlationId in every problem+json answer', async () => {
    const refused = await t.http
      .post('/instances')
      .set(as('district'))
      .set('X-Request-Id', 'client-42')
      .send({ definition: 'sample-deadline', colour: 'red' })
      .expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['x-request-id']).toBe('client-42');
    expect(refused.body.correlationId).toBe('client-42');

    const unknown = await t.http.get('/instances/00000000-0000-4000-8000-000000000000').expect(404);
    expect(unknown.body.correlationId).toMatch(UUID);
    expect(unknown.body.correlationId).toBe(unknown.headers['x-request-id']);

    const malformed = await t.http
      .post('/instances')
      .set(as('district'))
      .set('Content-Type', 'application/json')
      .send('{"definition": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ rule: 'request-schema', correlationId: malformed.headers['x-request-id'] });
    expect(malformed.body.correlationId).toMatch(UUID);
  });
});

describe('structured logs', () => {
  let workspace: string;
  let service: ChildService | undefined;

  eachTestInWorkspace(
    (dir) => (workspace = dir),
    () => service?.kill(),
  );

  it('writes JSON lines: one access line per request with its id, status and duration, malformed requests included', async () => {
    service = await startChildService({
      LOTSE_QUIET: '',
      LOG_LEVEL: 'info',
      DATABASE_PATH: join(workspace, 'lotse.sqlite'),
      OUTBOX_DIR: join(workspace, 'outbox'),
    });
    const headers = { 'content-type': 'application/json', ...as('district', 'officer-7') };
    await fetch(`${service.url}/definitions`, {
      headers: { 'X-Request-Id': 'trace-1', ...as('district', 'officer-7') },
    });
    const created = await fetch(`${service.url}/instances`, {
      method: 'POST',
      headers: { ...headers, 'X-Request-Id': 'trace-2' },
      body: JSON.stringify({ definition: 'sample-deadline', input: { title: 'Antrag', decideBy: '2099-03-20' } }),
    });
    expect(created.status).toBe(201);
    const malformed = await fetch(`${service.url}/instances`, {
      method: 'POST',
      headers: { ...headers, 'X-Request-Id': 'trace-3' },
      body: '{"definition": ',
    });
    expect(malformed.status).toBe(400);

    const logged = async (id: string) => {
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const line = lines().find((entry) => entry.reqId === id && entry.res);
        if (line) return line;
      }
      throw new Error(`no access log line for ${id} in:\n${service!.stdout()}`);
    };
    const lines = () =>
      service!
        .stdout()
        .split('\n')
        .filter((line) => line && !line.startsWith('READY'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(await logged('trace-1')).toMatchObject({
      level: 'info',
      service: 'lotse',
      req: { id: 'trace-1', method: 'GET', url: '/definitions' },
      res: { statusCode: 200 },
    });
    expect(await logged('trace-2')).toMatchObject({
      actor: 'district:officer-7',
      req: { method: 'POST', url: '/instances' },
      res: { statusCode: 201 },
      msg: expect.stringMatching(/^POST \/instances 201 \d+ ms$/),
    });
    expect(await logged('trace-3')).toMatchObject({ res: { statusCode: 400 } });
    expect(typeof (await logged('trace-2')).responseTime).toBe('number');
    // Nest's own lines are JSON too.
    expect(lines().find((entry) => entry.context === 'NestApplication')).toMatchObject({
      level: 'info',
      msg: 'Nest application successfully started',
    });
  });
});

/** chattr +i (ext4, root): even root cannot write the file, which `chmod` would not stop. */
function canMakeImmutable(dir: string): boolean {
  const probe = join(dir, 'probe');
  writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('/health', () => {
  let workspace: string;
  let t: TestApp;
  let immutable: string[] = [];

  beforeEach(async () => {
    workspace = makeWorkspace();
    t = await startApp({
      workspace,
      workflows: [sampleDeadlineV1],
      now: '2026-03-02T09:00:00Z',
      config: { schedulerIntervalMs: 60_000 },
    });
  });

  afterEach(async () => {
    if (immutable.length) execFileSync('chattr', ['-i', ...immutable]);
    immutable = [];
    await t.close();
    removeWorkspace(workspace);
  });

  it('answers 503 while the database file refuses writes, though reads still work, and 200 again once it takes them', async () => {
    if (!canMakeImmutable(workspace)) {
      // CI runs as root on ext4 (LOTSE_REQUIRE_MOUNT=1): there the check must run, never skip unnoticed.
      if (process.env.LOTSE_REQUIRE_MOUNT === '1')
        throw new Error('LOTSE_REQUIRE_MOUNT=1 but chattr +i is not possible here');
      console.warn('chattr +i is not possible here (needs root on ext4): skipping the read-only database check');
      return;
    }
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'Antrag', decideBy: '2026-03-20' } })
      .expect(201);
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up', writable: true } },
    });

    // The database file and its write-ahead log become unwritable, as on a disk remounted read-only.
    const file = join(workspace, 'lotse.sqlite');
    immutable = [file, `${file}-wal`].filter(existsSync);
    execFileSync('chattr', ['+i', ...immutable]);
    const down = await t.http.get('/health').expect(503);
    expect(down.body).toMatchObject({
      status: 'down',
      checks: {
        database: { status: 'down', writable: false, error: expect.stringMatching(/I\/O|readonly|read-only/i) },
      },
    });
    // Reading still works: only the write probe tells.
    expect((await t.http.get(`/instances/${created.body.id}`).expect(200)).body.state).toBe('draft');
    // A write meets the same fault: 503, retry later, and nothing of it stored.
    const refused = await t.http
      .post(`/instances/${created.body.id}/events`)
      .set(as('district'))
      .send({ type: 'SUBMIT' })
      .expect(503);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 503, rule: 'storage-unavailable' });

    execFileSync('chattr', ['-i', ...immutable]);
    immutable = [];
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
    expect((await t.http.get(`/instances/${created.body.id}`).expect(200)).body).toMatchObject({
      state: 'draft',
      revision: 1,
    });
    // Sent again once the file takes writes, the same request is stored.
    await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
  });

  it('says degraded when a due timer waits longer than three scheduler intervals, ok once it fired', async () => {
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'Antrag', decideBy: '2026-03-20' } })
      .expect(201);
    await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    // The reminder is due on 18 March, 08:00 Berlin (07:00 UTC); no tick runs in this test until we ask.
    t.clock.set('2026-03-18T07:02:00Z');
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({
      status: 'ok',
      checks: { scheduler: { status: 'up', overdueTimers: 1, oldestOverdueSeconds: 120, behindAfterSeconds: 180 } },
    });
    t.clock.set('2026-03-18T07:10:00Z');
    const behind = (await t.http.get('/health').expect(200)).body;
    expect(behind).toMatchObject({
      status: 'degraded',
      checks: {
        database: { status: 'up' },
        scheduler: {
          status: 'behind',
          overdueTimers: 1,
          oldestOverdueSince: '2026-03-18T07:00:00.000Z',
          oldestOverdueSeconds: 600,
        },
      },
    });
    await t.scheduler.tick();
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({
      status: 'ok',
      checks: { scheduler: { status: 'up', overdueTimers: 0, oldestOverdueSeconds: null } },
    });
  });
});

describe('bad settings', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = makeWorkspace();
  });

  afterEach(() => removeWorkspace(workspace));

  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a DATABASE_URL that is no URL, without printing its password',
      { DATABASE_URL: 'postgres://lotse:Geheim-123@db.example:notaport/lotse' },
      /databaseUrl \(env DATABASE_URL\)/,
    ],
    [
      'a DATABASE_URL of another database',
      { DATABASE_URL: 'mysql://lotse:Geheim-123@db.example/lotse' },
      /databaseUrl \(env DATABASE_URL\)/,
    ],
    [
      'an SMTP_URL without a host, without printing its password',
      { SMTP_URL: 'smtp://mailer:Geheim-123@' },
      /smtpUrl \(env SMTP_URL\)/,
    ],
    [
      'REMINDER_OVERRIDES with a bad duration',
      { REMINDER_OVERRIDES: '{"contract-review": {"review-due": {"offsets": ["-P1X"]}}}' },
      /reminderOverrides \(env REMINDER_OVERRIDES\): .*offset "-P1X"/,
    ],
    [
      'REMINDER_OVERRIDES naming an unknown rule',
      { REMINDER_OVERRIDES: '{"tandem-qualification": {"coffee-break": {"enabled": false}}}' },
      /reminderOverrides \(env REMINDER_OVERRIDES\): .*unknown rule coffee-break/,
    ],
    [
      'REMINDER_OVERRIDES that is not JSON',
      { REMINDER_OVERRIDES: '{review: 1}' },
      /reminderOverrides \(env REMINDER_OVERRIDES\) is not valid JSON/,
    ],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, /logLevel \(env LOG_LEVEL\) = "loud"/],
    [
      'OUTBOX_RETRY_FOR_HOURS that is no number',
      { OUTBOX_RETRY_FOR_HOURS: 'a weekend' },
      /outboxRetryForHours \(env OUTBOX_RETRY_FOR_HOURS\)/,
    ],
    [
      'an SMTP timeout too short to be meant',
      { SMTP_SOCKET_TIMEOUT_MS: '5' },
      /smtpSocketTimeoutMs \(env SMTP_SOCKET_TIMEOUT_MS\)/,
    ],
  ];

  it.each(cases)('%s: exits 78 with one line naming the setting', (_name, env, message) => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_PATH: join(workspace, 'lotse.sqlite'),
        OUTBOX_DIR: join(workspace, 'outbox'),
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/^Lotse cannot start: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('Geheim-123');
    expect(run.stdout).not.toContain('Geheim-123');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    // Nothing was started: no database file was created.
    expect(existsSync(join(workspace, 'lotse.sqlite'))).toBe(false);
  });
});
