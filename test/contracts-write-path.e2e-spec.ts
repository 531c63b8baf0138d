import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { WriteSerializer } from '../src/engine/persistence/write-serializer.js';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';
import { KOMMUNE_ADMIN, LAND_ADMIN } from './support/contract-admins.js';

const land = as('contract_admin', LAND_ADMIN.id, { partner: 'land' });
const kommune = as('contract_admin', KOMMUNE_ADMIN.id, { partner: 'kommune' });

const contract = (region: string) => ({
  bildungsregion: `Bildungsregion ${region}`,
  kommune: { name: `Landkreis ${region}`, kind: 'landkreis' },
  steeringCommittee: `Lenkungsgruppe ${region}`,
  regionalOffice: `Bildungsbüro ${region}`,
  startsOn: '2017-08-01',
  signedOn: '2017-07-10',
  reference: `MK 31-81 ${region}`,
  admins: [LAND_ADMIN, KOMMUNE_ADMIN],
});

const CONTRACT_TABLES = [
  'contracts',
  'contract_admins',
  'contract_written_acts',
  'contract_reviews',
  'contract_amendments',
  'contract_secondments',
  'contract_secondment_periods',
  'contract_annual_reports',
  'contract_deadlines',
];

const onDay = (day: string) => DateTime.fromISO(`${day}T10:00`, { zone: 'Europe/Berlin' }).toUTC().toISO()!;

describe('contracts on the engine write path', () => {
  let t: TestApp;

  eachTestOnApp({ now: onDay('2017-07-10') }, async (app) => {
    t = app;
    // The Kommune's administrator has signed in once, so the Land may name them in a contract.
    await t.http.get('/auth/me').set(kommune).expect(200);
  });

  function post(path: string, headers: Record<string, string>, body: object, key?: string) {
    return t.http
      .post(path)
      .set(key ? { ...headers, 'Idempotency-Key': key } : headers)
      .send(body);
  }

  /** Every row of the contract tables, without the surrogate ids a rewrite renews. */
  async function tables(): Promise<Record<string, unknown[]>> {
    const db = t.app.get(DataSource);
    const dump: Record<string, unknown[]> = {};
    for (const table of CONTRACT_TABLES) {
      const rows: Record<string, unknown>[] = await db.query(`SELECT * FROM ${table}`);
      dump[table] = rows
        .map(({ id, ...row }) => (table === 'contracts' ? { id, ...row } : row))
        .map((row) => JSON.stringify(row))
        .sort();
    }
    return dump;
  }

  const count = async (sql: string) => Number((await t.app.get(DataSource).query(sql))[0].n);

  it('keeps the contract tables equal to what the journal replays, through requests and timers', async () => {
    const heide = (await post('/contracts', land, contract('Heidekreis')).expect(201)).body;
    const celle = (await post('/contracts', land, contract('Celle')).expect(201)).body;
    await t.scheduler.advanceTo(onDay('2018-09-01'));
    await post(`/contracts/${heide.id}/amendments`, land, {
      title: 'Zweite Koordination',
      receivedOn: '2018-02-01',
      reference: 'MK-A1',
    }).expect(201);
    await post(`/contracts/${heide.id}/amendments/A1/confirmations`, kommune, {
      receivedOn: '2018-03-01',
      reference: 'LK-A1',
    }).expect(201);
    await post(`/contracts/${heide.id}/secondments`, land, {
      coordinator: 'Jana Voss',
      from: '2018-08-01',
      weeklyHours: 12,
      regularWeeklyHours: 25,
      receivedOn: '2018-06-01',
      reference: 'MK-S1',
    }).expect(201);
    await post(`/contracts/${celle.id}/annual-reports`, kommune, {
      receivedOn: '2018-09-01',
      reference: 'Bericht 2018',
    }).expect(201);
    // The review of Celle comes due undecided (a timer step); Heidekreis gives notice and ends (another timer step).
    await t.scheduler.advanceTo(onDay('2020-08-10'));
    await post(`/contracts/${heide.id}/notices`, kommune, { receivedOn: '2020-08-10', reference: 'LK-K1' }).expect(201);
    await t.scheduler.advanceTo(onDay('2021-07-02'));

    expect((await t.http.get(`/contracts/${celle.id}`).set(land).expect(200)).body).toMatchObject({
      status: 'review-due',
    });
    expect((await t.http.get(`/contracts/${heide.id}`).set(land).expect(200)).body).toMatchObject({
      status: 'terminated',
    });
    // The tables followed the timers inside their steps: nothing is left for a dispatcher to catch up.
    expect(await count("SELECT COUNT(*) AS n FROM outbox WHERE kind <> 'mail'")).toBe(0);

    const stored = await tables();
    expect(stored.contracts).toHaveLength(2);
    expect(stored.contract_amendments).toHaveLength(1);
    for (const view of [heide, celle]) {
      const replayed = await t.engine.rebuildProjections(view.instanceId);
      const instance = await t.engine.get(view.instanceId);
      expect(replayed).toEqual({
        id: instance.id,
        definition: instance.definition,
        definitionVersion: instance.version,
        state: instance.state,
        status: instance.status,
        context: instance.context,
        revision: instance.revision,
        createdAt: instance.createdAt,
        updatedAt: instance.updatedAt,
      });
    }
    expect(await tables()).toEqual(stored);

    // The rebuild writes from the journal, not from the tables: a row changed behind the engine's back is restored.
    await t.app
      .get(WriteSerializer)
      .transaction((em) =>
        em.query("UPDATE contracts SET status = 'active', review_cycle = 9 WHERE id = ?", [celle.id]),
      );
    expect(await tables()).not.toEqual(stored);
    await t.engine.rebuildProjections(celle.instanceId);
    expect(await tables()).toEqual(stored);
  });

  it('answers a repeated contract request under the same Idempotency-Key with the first answer and stores it once', async () => {
    const first = await post('/contracts', land, contract('Heidekreis'), 'create-heide').expect(201);
    const again = await post('/contracts', land, contract('Heidekreis'), 'create-heide').expect(201);
    expect(again.body).toEqual(first.body);
    expect(await count('SELECT COUNT(*) AS n FROM contracts')).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM workflow_instances WHERE definition = 'contract-review'")).toBe(1);

    const reused = await post('/contracts', land, contract('Celle'), 'create-heide').expect(422);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    expect(reused.body.rule).toBe('idempotency-key-reused');
    const tooLong = await post('/contracts', land, contract('Celle'), 'k'.repeat(129)).expect(400);
    expect(tooLong.body.rule).toBe('header-length-limit');
    const unprintable = await post('/contracts', land, contract('Celle'), 'key with spaces').expect(400);
    expect(unprintable.body.rule).toBe('idempotency-key-format');
    expect(await count('SELECT COUNT(*) AS n FROM contracts')).toBe(1);

    const id = first.body.id;
    await t.scheduler.advanceTo(onDay('2018-09-01'));
    const report = { receivedOn: '2018-09-01', reference: 'Bericht 2018' };
    const reported = await post(`/contracts/${id}/annual-reports`, kommune, report, 'report-2018').expect(201);
    const repeated = await post(`/contracts/${id}/annual-reports`, kommune, report, 'report-2018').expect(201);
    expect(repeated.body).toEqual(reported.body);
    expect(repeated.body.annualReports).toHaveLength(1);
    expect(await count('SELECT COUNT(*) AS n FROM contract_annual_reports')).toBe(1);
    expect(await t.engine.journal(first.body.instanceId)).toHaveLength(2);
    // The same key on another endpoint is another request.
    const elsewhere = await post(`/contracts/${id}/notices`, kommune, report, 'report-2018').expect(422);
    expect(elsewhere.body.rule).toBe('idempotency-key-reused');
    expect(await t.engine.journal(first.body.instanceId)).toHaveLength(2);
  });

  it('stores nothing of a refused contract: no instance, no journal, no timers', async () => {
    const { kommune: _missing, ...withoutKommune } = contract('Heidekreis');
    // Without a Kommune the contract row cannot be written; its step fails as a whole, whichever status it answers.
    expect((await post('/contracts', land, withoutKommune)).status).toBeGreaterThanOrEqual(400);
    // A contract needs an administrator of each partner (the schema asks for both).
    const oneSided = await post('/contracts', land, { ...contract('Heidekreis'), admins: [LAND_ADMIN] }).expect(400);
    expect(oneSided.body.rule).toBe('request-schema');
    for (const table of ['contracts', 'workflow_instances', 'journal', 'timers'])
      expect(await count(`SELECT COUNT(*) AS n FROM ${table}`)).toBe(0);
  });
});
