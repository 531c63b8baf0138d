/**
 * Audit, master data and data protection on PostgreSQL: the trigger that keeps the audit log append-only, and the
 * SQL that finds and rewrites a person's copies (LIKE with escapes, row locks) on a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RetentionJob } from '../src/privacy/retention.job.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
if (!bin)
  console.warn(
    'PostgreSQL is not installed here: skipping the PostgreSQL tests (apt-get install postgresql to run them)',
  );
const describeWithPostgres = bin ? describe : describe.skip;

describeWithPostgres('audit and data protection on PostgreSQL', () => {
  let server: TestPostgres;
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let koeln: Enrolment;
  let muenster: Enrolment;
  let databaseUrl: string;

  beforeAll(async () => {
    server = await startPostgres(bin!);
    workspace = makeWorkspace();
    databaseUrl = await server.createDatabase();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z', config: { databaseUrl } });
    world = new QualificationWorld(t);
    const group = await world.group('Gruppe Rheinland');
    koeln = await world.registered('koeln');
    muenster = await world.registered('muenster');
    await world.place(koeln, group.id);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    server?.stop();
    removeWorkspace(workspace);
  });

  it("corrects an address that holds LIKE's wildcards, and its copies in the workflow with it", async () => {
    const odd = 'lena_unter%koeln@schulamt.example.org';
    const answer = (
      await t.http.patch(`/persons/${koeln.lower.id}`).set(as('district', 'koeln')).send({ email: odd }).expect(200)
    ).body;
    // The enrolment and the group it is placed in.
    expect(answer.copies.workflows).toBe(2);
    expect(answer.copies.reminders).toBeGreaterThan(0);
    const found = (
      await t.http
        .get(`/persons?search=${encodeURIComponent('_unter%')}`)
        .set(INSTITUTE)
        .expect(200)
    ).body.items;
    expect(found.map((p: { id: string }) => p.id)).toEqual([koeln.lower.id]);
    expect((await t.http.get('/persons?search=unter%25x').set(INSTITUTE).expect(200)).body.total).toBe(0);
    const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE)).body;
    const instance = (await t.http.get(`/instances/${enrolment.instanceId}`).set(INSTITUTE)).body;
    expect(instance.context.members[0].email).toBe(odd);
  });

  it('serialises concurrent corrections of one person: the history is one unbroken chain', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.http
          .patch(`/persons/${koeln.upper.id}`)
          .set(INSTITUTE)
          .send({ name: `Dr. Otto Ober ${i}` }),
      ),
    );
    // Each correction steps the tandem's enrolment and group, so concurrent ones are the engine's optimistic locking:
    // rerun on fresh data, and after five attempts answered 409 with nothing written. None is lost or half-done.
    const applied = answers.filter((a) => a.status === 200);
    expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body.rule])).toEqual(
      answers.filter((a) => a.status !== 200).map(() => [409, 'optimistic-lock']),
    );
    expect(applied.length).toBeGreaterThanOrEqual(4);
    const history = (await t.http.get(`/persons/${koeln.upper.id}/history`).set(INSTITUTE)).body as {
      changes: { name: { from: string; to: string } };
    }[];
    expect(history).toHaveLength(applied.length);
    expect(history[0].changes.name.from).toBe(koeln.upper.name);
    for (let i = 1; i < history.length; i++) expect(history[i].changes.name.from).toBe(history[i - 1].changes.name.to);
    const name = history.at(-1)!.changes.name.to;
    expect((await t.http.get(`/persons/${koeln.upper.id}`).set(INSTITUTE)).body.name).toBe(name);
    // The workflows hold the name of the last correction that committed.
    const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE)).body;
    const instance = (await t.http.get(`/instances/${enrolment.instanceId}`).set(INSTITUTE)).body;
    expect(instance.context.members.find((m: { personId: string }) => m.personId === koeln.upper.id).name).toBe(name);
  });

  it('exports and pseudonymises a person, leaving no address behind', async () => {
    await t.http
      .post(`/enrolments/${muenster.enrolmentId}/withdrawal`)
      .set(as('district', 'muenster'))
      .send({ reason: 'zurückgezogen' })
      .expect(200);
    const exported = (await t.http.get(`/persons/${muenster.lower.id}/export`).expect(200)).body;
    expect(exported.journal.map((j: { event: string }) => j.event)).toEqual(
      expect.arrayContaining(['created', 'REGISTRATION_SUBMITTED', 'TANDEM_WITHDRAWN']),
    );
    const answer = (
      await t.http.post(`/persons/${muenster.lower.id}/erasure`).send({ reference: 'DS-PG-1' }).expect(200)
    ).body;
    expect(answer.outcome).toBe('pseudonymised');
    const dataSource = t.app.get(DataSource);
    for (const table of [
      'qual_persons',
      'workflow_instances',
      'journal',
      'timers',
      'outbox',
      'idempotency_keys',
      'master_data_corrections',
    ]) {
      const rows = await dataSource.query(`SELECT * FROM ${table}`);
      expect({ table, found: JSON.stringify(rows).includes(muenster.lower.email) }).toEqual({ table, found: false });
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit log in the database itself', async () => {
    const dataSource = t.app.get(DataSource);
    const before = await dataSource.query('SELECT * FROM audit_log ORDER BY id');
    expect(before.length).toBeGreaterThan(3);
    await expect(dataSource.query("UPDATE audit_log SET actor_id = 'niemand'")).rejects.toThrow(
      /append-only.*UPDATE refused/,
    );
    await expect(dataSource.query('DELETE FROM audit_log WHERE id = $1', [before[0].id])).rejects.toThrow(
      /append-only.*DELETE refused/,
    );
    await expect(dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/append-only.*TRUNCATE refused/);
    expect(await dataSource.query('SELECT * FROM audit_log ORDER BY id')).toEqual(before);
    const rows = (await t.http.get(`/audit?person=${muenster.lower.id}&from=2026-01-05&to=2026-01-05`).expect(200)).body
      .items;
    expect(rows.map((row: { action: string }) => row.action)).toContain('person.pseudonymised');
  });

  it('pseudonymises a person once, however many processes run the retention job that day', async () => {
    // A second service process on the same database, its clock on the same day as the first's.
    const secondWorkspace = makeWorkspace();
    const second = await startApp({ workspace: secondWorkspace, now: '2031-01-07T06:00:00Z', config: { databaseUrl } });
    try {
      t.clock.set('2031-01-07T06:00:00Z');
      // The Münster tandem was withdrawn on 2026-01-05; its lower member is pseudonymised already.
      const passes = await Promise.all([t.app.get(RetentionJob).run(), second.app.get(RetentionJob).run()]);
      expect(passes.flat()).toEqual([muenster.upper.id]);
      expect(passes.filter((done) => done.length === 0)).toHaveLength(1);
      expect((await t.http.get(`/audit?person=${muenster.upper.id}&action=person.pseudonymised`)).body.total).toBe(1);
      const enrolment = (await t.http.get(`/enrolments/${muenster.enrolmentId}`).set(INSTITUTE)).body;
      const journal = (await t.http.get(`/instances/${enrolment.instanceId}/journal`).set(INSTITUTE)).body as {
        eventType: string;
        payload: { personId?: string };
      }[];
      expect(
        journal.filter((row) => row.eventType === 'PERSON_PSEUDONYMISED' && row.payload.personId === muenster.upper.id),
      ).toHaveLength(1);
      expect(await Promise.all([t.app.get(RetentionJob).run(), second.app.get(RetentionJob).run()])).toEqual([[], []]);
    } finally {
      await second.close();
      removeWorkspace(secondWorkspace);
    }
  });
});
