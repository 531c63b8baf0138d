import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import pg from 'pg';
import { PROGRAMME_SERVER, startChildService, type ChildService } from './support/child-service.js';
import { as, makeWorkspace, removeWorkspace, TEST_SIGNING_KEY } from './support/harness.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';

/**
 * "Only once" and capacity across processes: two service processes on one PostgreSQL database, 50 requests at once
 * split between them. Exactly one wins; the others are refused by a rule (422) or by the optimistic lock (409),
 * or, for placements into a full group, waitlisted; nothing answers 500 and nothing is stored twice.
 */
const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
if (!bin) console.warn('PostgreSQL is not installed here: skipping the two-process qualification tests');
const describeWithPostgres = bin ? describe : describe.skip;

const CONCURRENT = 50;
const district = as('district', 'koeln');
const institute = as('institute', 'institut');

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describeWithPostgres('tandem qualification: two processes on one PostgreSQL', () => {
  let server: TestPostgres;
  let workspace: string;
  let databaseUrl: string;
  let services: ChildService[] = [];
  let db: pg.Client;
  let n = 0;

  beforeAll(async () => {
    server = await startPostgres(bin!);
    workspace = makeWorkspace();
    databaseUrl = await server.createDatabase();
    // Both processes accept the tests' tokens (as a real installation's processes share one signing key).
    const env = {
      DATABASE_URL: databaseUrl,
      OUTBOX_DIR: join(workspace, 'outbox'),
      SCHEDULER_INTERVAL_MS: '3600000',
      AUTH_SIGNING_KEY: TEST_SIGNING_KEY,
    };
    // One after the other: the first applies the migrations.
    services.push(await startChildService(env, PROGRAMME_SERVER));
    services.push(await startChildService(env, PROGRAMME_SERVER));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    for (const service of services) await service.kill();
    services = [];
    server?.stop();
    removeWorkspace(workspace);
  });

  async function call(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    service = 0,
  ): Promise<Answer> {
    const response = await fetch(`${services[service].url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function ok(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const answer = await call(method, path, headers, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The same request 50 times at once, alternating between the two processes. */
  async function race(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: (i: number) => unknown,
  ): Promise<Answer[]> {
    return Promise.all(Array.from({ length: CONCURRENT }, (_, i) => call(method, path, headers, body(i), i % 2)));
  }

  async function count(sql: string, parameters: unknown[] = []): Promise<number> {
    return Number((await db.query(sql, parameters)).rows[0].n);
  }

  async function tandem(): Promise<string> {
    const i = ++n;
    const office = await ok('POST', '/school-offices', district, { name: `Schulamt ${i}`, districtId: 'koeln' });
    const network = await ok('POST', '/networks', district, { name: `Bildungsnetzwerk ${i}`, districtId: 'koeln' });
    const lower = await ok('POST', '/persons', district, {
      name: `Lena Unter ${i}`,
      email: `lower${i}@koeln.example.org`,
      supervision: 'lower',
      districtId: 'koeln',
      schoolOfficeId: office.id,
    });
    const upper = await ok('POST', '/persons', district, {
      name: `Otto Ober ${i}`,
      email: `upper${i}@koeln.example.org`,
      supervision: 'upper',
      districtId: 'koeln',
    });
    return (
      await ok('POST', '/tandems', district, {
        networkId: network.id,
        lowerMemberId: lower.id,
        upperMemberId: upper.id,
      })
    ).id as string;
  }

  async function registered(): Promise<{ enrolmentId: string; members: string[] }> {
    const enrolment = await ok('POST', '/enrolments', district, { tandemId: await tandem() });
    const id = enrolment.id as string;
    await ok('POST', `/enrolments/${id}/involvements`, district, {
      body: 'staff-council',
      on: '2026-01-05',
      outcome: 'consent',
    });
    await ok('POST', `/enrolments/${id}/involvements`, district, { body: 'equal-opportunities', on: '2026-01-05' });
    await ok('POST', `/enrolments/${id}/submission`, district);
    return { enrolmentId: id, members: (enrolment.members as { id: string }[]).map((m) => m.id) };
  }

  async function group(capacity?: number): Promise<string> {
    const i = ++n;
    const first = await ok('POST', '/persons', institute, {
      name: `Mona Moderation ${i}`,
      email: `mona${i}@institut.example.org`,
    });
    const second = await ok('POST', '/persons', institute, {
      name: `Max Moderation ${i}`,
      email: `max${i}@institut.example.org`,
    });
    const moderators = await ok('POST', '/moderator-tandems', as('ministry', 'msb'), {
      firstMemberId: first.id,
      secondMemberId: second.id,
    });
    return (
      await ok('POST', '/groups', institute, {
        name: `Gruppe ${i}`,
        moderatorTandemId: moderators.id,
        ...(capacity ? { capacity } : {}),
      })
    ).id as string;
  }

  const curriculum = (year: number) => [
    { module: 'tandem-team', days: [`${year}-03-02`, `${year}-03-03`], hours: 16, place: 'Soest' },
    { module: 'regional-education-management', days: [`${year}-04-20`, `${year}-04-21`], hours: 16, place: 'Soest' },
    { module: 'cooperation-interfaces', days: [`${year}-06-08`, `${year}-06-09`], hours: 16, place: 'Dortmund' },
  ];

  function expectOneWinner(answers: Answer[], success: number, refusals: string[]) {
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === success)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== success)) {
      expect([409, 422]).toContain(answer.status);
      expect(answer.status === 409 ? ['optimistic-lock', 'event-allowed-in-state'] : refusals).toContain(
        answer.body.rule,
      );
    }
  }

  it('registers one tandem once', async () => {
    const tandemId = await tandem();
    const answers = await race('POST', '/enrolments', district, () => ({ tandemId }));
    expectOneWinner(answers, 201, ['one-enrolment-per-tandem']);
    expect(await count('SELECT COUNT(*) AS n FROM qual_enrolments WHERE tandem_id = $1', [tandemId])).toBe(1);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM workflow_instances WHERE definition = 'tandem-qualification' AND context::jsonb ->> 'tandemId' = $1",
        [tandemId],
      ),
    ).toBe(1);
  }, 120_000);

  it('sets the curriculum of one group once', async () => {
    const groupId = await group();
    const answers = await race('POST', `/groups/${groupId}/curriculum`, institute, () => ({
      events: curriculum(2030),
    }));
    expectOneWinner(answers, 201, ['curriculum-set-once']);
    expect(await count('SELECT COUNT(*) AS n FROM qual_events WHERE group_id = $1', [groupId])).toBe(3);
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM journal j JOIN qual_groups g ON g.instance_id = j.instance_id WHERE g.id = $1 AND j.event_type = 'CURRICULUM_SET'",
        [groupId],
      ),
    ).toBe(1);
  }, 120_000);

  it('schedules the exchange of one year once, inviting each alumni tandem once', async () => {
    // Two tandems that completed a qualification run in the past: the exchange invites them.
    const groupId = await group();
    const view = await ok('POST', `/groups/${groupId}/curriculum`, institute, { events: curriculum(2024) });
    const alumni = [await registered(), await registered()];
    for (const enrolment of alumni)
      await ok('POST', `/enrolments/${enrolment.enrolmentId}/placement`, institute, { groupId });
    for (const event of view.events as { id: string }[]) {
      await ok('POST', `/events/${event.id}/attendance`, institute, {
        entries: alumni.flatMap((a) => a.members).map((personId) => ({ personId, present: true })),
      });
    }
    for (const enrolment of alumni) await ok('POST', `/enrolments/${enrolment.enrolmentId}/certificates`, institute);

    const answers = await race('POST', '/exchanges', institute, (i) => ({
      on: `2099-06-${String(1 + (i % 28)).padStart(2, '0')}`,
      place: 'Düsseldorf',
    }));
    expectOneWinner(answers, 201, ['exchange-once-a-year']);
    expect(answers.find((a) => a.status === 201)!.body).toMatchObject({ invited: 2, pending: 2 });
    expect(await count("SELECT COUNT(*) AS n FROM qual_exchanges WHERE year = '2099'")).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM qual_exchange_invitations')).toBe(2);
  }, 240_000);

  it('seats exactly one tandem in a group of capacity 1 and waitlists the rest in order, never over capacity', async () => {
    const groupId = await group(1);
    const enrolments: { enrolmentId: string }[] = [];
    // Set up in batches, so that the setup does not take longer than the race.
    for (let batch = 0; batch < CONCURRENT / 10; batch++)
      enrolments.push(...(await Promise.all(Array.from({ length: 10 }, () => registered()))));
    const answers = await Promise.all(
      enrolments.map((e, i) => call('POST', `/enrolments/${e.enrolmentId}/placement`, institute, { groupId }, i % 2)),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    for (const answer of answers.filter((a) => a.status !== 200)) expect([409]).toContain(answer.status);
    const placed = answers.filter((a) => a.status === 200 && a.body.status === 'placed');
    const waitlisted = answers.filter((a) => a.status === 200 && a.body.status === 'waitlisted');
    expect(placed).toHaveLength(1);
    expect(waitlisted.length + placed.length).toBe(answers.filter((a) => a.status === 200).length);
    // The group's places and the enrolments agree, and the waiting list is 1, 2, 3, … without gaps.
    expect(
      await count("SELECT COUNT(*) AS n FROM qual_group_places WHERE group_id = $1 AND status = 'seated'", [groupId]),
    ).toBe(1);
    const positions = (
      await db.query(
        "SELECT position FROM qual_group_places WHERE group_id = $1 AND status = 'waiting' ORDER BY position",
        [groupId],
      )
    ).rows.map((r) => Number(r.position));
    expect(positions).toEqual(Array.from({ length: waitlisted.length }, (_, i) => i + 1));
    expect(
      await count("SELECT COUNT(*) AS n FROM qual_enrolments WHERE group_id = $1 AND state = 'placed'", [groupId]),
    ).toBe(1);
    expect(
      await count("SELECT COUNT(*) AS n FROM qual_enrolments WHERE group_id = $1 AND state = 'waitlisted'", [groupId]),
    ).toBe(waitlisted.length);
    // The one that lost every retry is still registered and can be placed again.
    const refused = answers.findIndex((a) => a.status === 409);
    if (refused >= 0)
      expect(
        (await ok('POST', `/enrolments/${enrolments[refused].enrolmentId}/placement`, institute, { groupId })).status,
      ).toBe('waitlisted');
  }, 240_000);
});
