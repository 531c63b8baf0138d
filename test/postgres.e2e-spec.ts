import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';

/**
 * The engine on PostgreSQL, where transactions really run concurrently. The server is started by this test from
 * the installed binaries; .ci/run installs them and sets LOTSE_REQUIRE_POSTGRES=1 so CI cannot skip this file.
 */
const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
if (!bin)
  console.warn(
    'PostgreSQL is not installed here: skipping the PostgreSQL tests (apt-get install postgresql to run them)',
  );
const describeWithPostgres = bin ? describe : describe.skip;

describeWithPostgres('engine on PostgreSQL', () => {
  let server: TestPostgres;
  let workspace: string;
  let t: TestApp | undefined;

  beforeAll(async () => {
    server = await startPostgres(bin!);
  }, 120_000);

  afterAll(() => server?.stop());

  afterEach(async () => {
    await t?.close();
    removeWorkspace(workspace);
  });

  async function start(databaseUrl: string, clock?: TestApp['clock']): Promise<TestApp> {
    return startApp({
      workspace,
      workflows: [sampleDeadlineV1],
      clock,
      now: '2026-03-02T09:00:00Z',
      config: { databaseUrl },
    });
  }

  it('migrates, runs events and timers, and survives a restart', async () => {
    workspace = makeWorkspace();
    const url = await server.createDatabase();
    t = await start(url);
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'PG', decideBy: '2026-03-20' } })
      .expect(201);
    await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    await t.close();
    t = await start(url, t.clock);
    expect(
      (await t.http.get(`/instances/${created.body.id}`)).body.pendingTimers.map((p: { key: string }) => p.key),
    ).toEqual(['decision-reminder', 'decision']);
    await t.scheduler.advanceTo('2026-03-25T00:00:00Z');
    expect((await t.http.get(`/instances/${created.body.id}`)).body.state).toBe('escalated');
    const journal = await t.http.get(`/instances/${created.body.id}/journal`).expect(200);
    expect(journal.body.map((e: { eventType: string }) => e.eventType)).toEqual(['created', 'SUBMIT', 'due.decision']);
    expect((await t.http.get('/health')).body.database).toBe('postgres');
  });

  it('loses no update when concurrent transactions race on one instance', async () => {
    workspace = makeWorkspace();
    t = await start(await server.createDatabase());
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'PG', decideBy: '2026-03-20' } })
      .expect(201);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        t!.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'NOTE' }),
      ),
    );
    const accepted = answers.filter((a) => a.status === 200).length;
    expect(answers.every((a) => a.status === 200 || (a.status === 409 && a.body.rule === 'optimistic-lock'))).toBe(
      true,
    );
    const instance = await t.http.get(`/instances/${created.body.id}`).expect(200);
    expect(instance.body.context.notes).toBe(accepted);
    expect((await t.http.get(`/instances/${created.body.id}/journal`)).body).toHaveLength(accepted + 1);
  });
});
