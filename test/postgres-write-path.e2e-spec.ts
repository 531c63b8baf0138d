import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';
import { KOMMUNE_ADMIN, LAND_ADMIN } from './support/contract-admins.js';

/** Two Lotse processes (two applications, each with its own pool) on one PostgreSQL database. */
const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
const describeWithPostgres = bin ? describe : describe.skip;

const LAND = as('contract_admin', LAND_ADMIN.id, { partner: 'land' });
const KOMMUNE = as('contract_admin', KOMMUNE_ADMIN.id, { partner: 'kommune' });
const heidekreis = {
  bildungsregion: 'Bildungsregion Heidekreis',
  kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
  steeringCommittee: 'Lenkungsgruppe Heidekreis',
  regionalOffice: 'Bildungsbüro Heidekreis',
  startsOn: '2022-08-01',
  signedOn: '2022-07-10',
  reference: 'MK 31-81 403/2022',
  admins: [LAND_ADMIN, KOMMUNE_ADMIN],
};

describeWithPostgres('the write path on PostgreSQL, two processes', () => {
  let server: TestPostgres;
  let workspace: string;
  let apps: TestApp[] = [];

  beforeAll(async () => {
    server = await startPostgres(bin!);
  }, 120_000);

  afterAll(() => server?.stop());

  afterEach(async () => {
    for (const app of apps) await app.close();
    apps = [];
    removeWorkspace(workspace);
  });

  async function twoProcesses(): Promise<[TestApp, TestApp]> {
    workspace = makeWorkspace();
    const databaseUrl = await server.createDatabase();
    // One after the other: the first applies the migrations.
    apps.push(await startApp({ workspace, now: '2026-01-05T09:00:00Z', config: { databaseUrl } }));
    apps.push(await startApp({ workspace, now: '2026-01-05T09:00:00Z', config: { databaseUrl } }));
    // The Kommune's administrator has signed in once (at one process), so the Land may name them at either.
    await apps[1].http.get('/auth/me').set(KOMMUNE).expect(200);
    return apps as [TestApp, TestApp];
  }

  const count = async (t: TestApp, sql: string) => Number((await t.app.get(DataSource).query(sql))[0].n);

  it('applies a request sent to both processes at once under one Idempotency-Key once, and answers all with it', async () => {
    const [a, b] = await twoProcesses();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).http
          .post('/contracts')
          .set({ ...LAND, 'Idempotency-Key': 'create-heide' })
          .send(heidekreis),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await count(a, 'SELECT COUNT(*) AS n FROM contracts')).toBe(1);
    expect(await count(b, "SELECT COUNT(*) AS n FROM workflow_instances WHERE definition = 'contract-review'")).toBe(1);
  });

  it('fires a due timer once when both processes tick at the same time, and the contract follows in that step', async () => {
    const [a, b] = await twoProcesses();
    const created = await a.http.post('/contracts').set(LAND).send(heidekreis).expect(201);
    const reports = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).http
          .post(`/contracts/${created.body.id}/annual-reports`)
          .set({ ...KOMMUNE, 'Idempotency-Key': `report-${i}` })
          .send({ receivedOn: '2025-09-01', reference: `Bericht ${i}` }),
      ),
    );
    const stored = reports.filter((report) => report.status === 201).length;
    expect(
      reports.every(
        (report) => report.status === 201 || (report.status === 409 && report.body.rule === 'optimistic-lock'),
      ),
    ).toBe(true);

    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const journal = await a.engine.journal(created.body.instanceId);
    expect(journal.filter((entry) => entry.eventType === 'due.review')).toHaveLength(1);
    expect(journal.map((entry) => entry.seq)).toEqual(journal.map((_, i) => i + 1));
    expect(await count(b, "SELECT COUNT(*) AS n FROM contracts WHERE status = 'review-due'")).toBe(1);
    expect(await count(b, 'SELECT COUNT(*) AS n FROM contract_annual_reports')).toBe(stored);

    const replayed = await b.engine.rebuildProjections(created.body.instanceId);
    expect(replayed).toMatchObject({ state: 'active.reviewDue', revision: journal.length });
    expect((await a.http.get(`/contracts/${created.body.id}`).set(LAND).expect(200)).body).toMatchObject({
      status: 'review-due',
      annualReports: Array(stored).fill(expect.objectContaining({ receivedOn: '2025-09-01' })),
    });
  });
});
