/**
 * The audit log: every plain-data write names who did it, every read of someone else's personal data is logged,
 * the log is append-only (the database refuses UPDATE and DELETE), and the ministry reads it by person and period.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import { DataSource } from 'typeorm';
import { WriteSerializer } from '../src/engine/persistence/write-serializer.js';
import { PERSONAL_DATA_ROUTES, ROUTES_WITHOUT_PERSONAL_DATA } from '../src/audit/personal-data-routes.js';
import { AccountsService } from '../src/auth/accounts.service.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { snapshot } from './support/tables.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

interface AuditItem {
  id: number;
  at: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string } | null;
  personId: string | null;
  details: Record<string, unknown>;
}

describe('audit log', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let koeln: Enrolment;
  let muenster: Enrolment;
  let group: Awaited<ReturnType<QualificationWorld['group']>>;

  const audit = async (query: string): Promise<AuditItem[]> =>
    (await t.http.get(`/audit?pageSize=500&${query}`).expect(200)).body.items;
  const newest = async (): Promise<number> => Math.max(0, ...(await audit('')).map((row) => row.id));
  const since = async (id: number, query = ''): Promise<AuditItem[]> =>
    (await audit(query)).filter((row) => row.id > id);

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
    world = new QualificationWorld(t);
    group = await world.group('Gruppe Rheinland');
    koeln = await world.registered('koeln');
    muenster = await world.registered('muenster');
    await world.place(koeln, group.id);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  describe("reads of someone else's personal data", () => {
    it('knows of every GET route whether it shows personal data, and whose', () => {
      const router = (t.app.getHttpAdapter().getInstance() as Express).router as unknown as {
        stack: { route?: { path: string; methods: Record<string, boolean> } }[];
      };
      // `{/*splat}` is Nest's mount of middleware for every path (see test/routes.e2e-spec.ts), not a route.
      const routes = router.stack.flatMap(({ route }) =>
        route?.methods.get && !route.path.startsWith('/docs') && route.path !== '{/*splat}'
          ? [`GET ${route.path}`]
          : [],
      );
      expect(routes.length).toBeGreaterThan(40);
      const unclassified = routes.filter(
        (route) => route in PERSONAL_DATA_ROUTES === route in ROUTES_WITHOUT_PERSONAL_DATA,
      );
      expect(unclassified).toEqual([]);
      const stale = [...Object.keys(PERSONAL_DATA_ROUTES), ...Object.keys(ROUTES_WITHOUT_PERSONAL_DATA)].filter(
        (route) => !routes.includes(route),
      );
      expect(stale).toEqual([]);
    });

    it("logs the institute reading a participant's schedule, and not the participant reading its own", async () => {
      const before = await newest();
      await t.http.get(`/persons/${koeln.lower.id}/schedule`).set(INSTITUTE).expect(200);
      await t.http.get(`/persons/${koeln.lower.id}/schedule`).set(as('participant', koeln.lower.id)).expect(200);
      expect(await since(before)).toEqual([
        expect.objectContaining({
          actor: { id: 'institut', role: 'institute' },
          action: 'personal-data.read',
          personId: koeln.lower.id,
          details: { route: 'GET /persons/:id/schedule' },
        }),
      ]);
    });

    it("logs one row per person a list showed: a district's enrolments, the ministry's instance, the institute's mail list", async () => {
      let before = await newest();
      await t.http.get('/enrolments').set(as('district', 'koeln/m.schmidt')).expect(200);
      expect((await since(before)).map((row) => row.personId).sort()).toEqual([koeln.lower.id, koeln.upper.id].sort());

      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE).expect(200)).body;
      before = await newest();
      await t.http.get(`/instances/${enrolment.instanceId}/journal`).set(as('ministry', 'msb')).expect(200);
      const rows = await since(before);
      expect(rows.map((row) => row.personId).sort()).toEqual([koeln.lower.id, koeln.upper.id].sort());
      expect(rows.every((row) => row.actor.id === 'msb' && row.details.route === 'GET /instances/:id/journal')).toBe(
        true,
      );

      await t.scheduler.advanceTo('2026-02-16T12:00:00Z');
      // The group sends the event reminders, to its seated tandems and its moderators.
      const groupInstance = (await t.http.get(`/groups/${group.id}`).set(INSTITUTE).expect(200)).body.instanceId;
      before = await newest();
      await t.http.get(`/notifications?instance=${groupInstance}`).set(INSTITUTE).expect(200);
      expect((await since(before)).map((row) => row.personId).sort()).toEqual(
        [koeln.lower.id, koeln.upper.id, ...group.moderators].sort(),
      );
    });

    it('writes nothing for a refused read', async () => {
      const before = await snapshot(t);
      await t.http.get(`/persons/${koeln.lower.id}/schedule`).set(as('participant', muenster.lower.id)).expect(403);
      await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(as('district', 'muenster')).expect(403);
      expect(await snapshot(t)).toBe(before);
    });
  });

  describe('plain-data writes name who did them', () => {
    it('records API tokens and calendar subscriptions created and revoked, in the same transaction as the write', async () => {
      const before = await newest();
      const participant = as('participant', koeln.lower.id);
      const token = (await t.http.post('/auth/api-tokens').set(participant).send({ name: 'Kalender-Sync' }).expect(201))
        .body;
      await t.http.delete(`/auth/api-tokens/${token.id}`).set(participant).expect(200);
      const feed = (await t.http.post('/calendar-subscriptions').set(participant).send({}).expect(201)).body;
      await t.http.delete(`/calendar-subscriptions/${feed.id}`).set(participant).expect(200);
      expect((await since(before)).map((row) => [row.action, row.actor.id, row.subject?.id])).toEqual([
        ['api-token.created', koeln.lower.id, token.id],
        ['api-token.revoked', koeln.lower.id, token.id],
        ['calendar-subscription.created', koeln.lower.id, feed.id],
        ['calendar-subscription.revoked', koeln.lower.id, feed.id],
      ]);
    });

    it("records the directory's records created: persons, Schulämter, networks, tandems, moderator tandems, a need, an exchange", async () => {
      const about = async (person: string, action: string) =>
        (await audit(`person=${person}&action=${action}`)).map((row) => [row.actor.id, row.subject?.type]);
      expect(await about(koeln.lower.id, 'person.created')).toEqual([['koeln', 'person']]);
      expect(await about(koeln.upper.id, 'tandem.formed')).toEqual([['koeln', 'tandem']]);
      expect(await about(group.moderators[0], 'person.created')).toEqual([['institut', 'person']]);
      expect(await about(group.moderators[1], 'moderator-tandem.appointed')).toEqual([['msb', 'moderator-tandem']]);
      expect((await audit('action=network.created')).map((row) => row.actor.id).sort()).toEqual(['koeln', 'muenster']);
      expect((await audit('action=school-office.created')).map((row) => row.actor.id).sort()).toEqual([
        'koeln',
        'muenster',
      ]);
      const before = await newest();
      await t.http.put('/districts/koeln/need').set(INSTITUTE).send({ need: 12 }).expect(200);
      const exchange = (
        await t.http.post('/exchanges').set(INSTITUTE).send({ on: '2026-06-10', place: 'Düsseldorf' }).expect(201)
      ).body;
      expect((await since(before)).map((row) => [row.action, row.actor.id, row.subject, row.details])).toEqual([
        ['district.need-set', 'institut', { type: 'district', id: 'koeln' }, { need: 12 }],
        ['exchange.scheduled', 'institut', { type: 'exchange', id: exchange.id }, {}],
      ]);
    });

    it('records a local account made from the command line', async () => {
      const before = await newest();
      const account = await t.app.get(AccountsService).create({
        username: 'koeln.schmidt',
        password: 'correct horse battery',
        role: 'district',
        actorId: 'koeln/m.schmidt',
        name: 'M. Schmidt',
      });
      expect(await since(before)).toEqual([
        expect.objectContaining({
          actor: { id: 'command-line', role: 'system' },
          action: 'account.created',
          subject: { type: 'account', id: account.id },
          personId: 'koeln/m.schmidt',
          details: { role: 'district' },
        }),
      ]);
    });
  });

  describe('reading the log', () => {
    it("is the ministry's: every other role is refused", async () => {
      for (const headers of [
        INSTITUTE,
        as('district', 'koeln'),
        as('participant', koeln.lower.id),
        as('moderator', group.moderators[0]),
        as('contract_admin', 'mk-lange', { partner: 'land' }),
      ]) {
        const response = await t.http.get('/audit').set(headers).expect(403);
        expect(response.body.rule).toBe('audit-read-by-ministry');
      }
    });

    it('filters by person and by calendar days in Berlin time, both days included', async () => {
      // 23:30 UTC on 10 March is already 11 March in Berlin.
      t.clock.set('2026-03-10T23:30:00Z');
      await t.http.get(`/persons/${muenster.upper.id}`).set(INSTITUTE).expect(200);
      t.clock.set('2026-03-12T10:00:00Z');
      await t.http.get(`/persons/${muenster.upper.id}/history`).set(INSTITUTE).expect(200);
      const person = `person=${muenster.upper.id}`;
      expect((await audit(`${person}&from=2026-03-11&to=2026-03-11`)).map((row) => row.at)).toEqual([
        '2026-03-10T23:30:00.000Z',
      ]);
      expect(await audit(`${person}&from=2026-03-10&to=2026-03-10`)).toEqual([]);
      expect((await audit(`${person}&from=2026-03-11`)).map((row) => row.details.route)).toEqual([
        'GET /persons/:id',
        'GET /persons/:id/history',
      ]);
      expect((await audit(`${person}&to=2026-03-11`)).every((row) => row.at < '2026-03-11T23:00:00.000Z')).toBe(true);
      // Rows done by a person are found by its id too.
      expect(await audit(`person=${koeln.lower.id}&action=api-token.created`)).toHaveLength(1);
    });

    it('refuses days that do not exist and a period that ends before it starts', async () => {
      for (const query of ['from=2026-02-30', 'to=2026-13-01', 'from=2026-2-3']) {
        const response = await t.http.get(`/audit?${query}`).expect(400);
        expect(response.body.rule).toBe('request-schema');
      }
      expect((await t.http.get('/audit?from=2026-03-12&to=2026-03-11').expect(422)).body.rule).toBe(
        'audit-period-in-order',
      );
    });
  });

  describe('append-only', () => {
    it('has no route that changes or removes a row, and the database refuses UPDATE and DELETE', async () => {
      const dataSource = t.app.get(DataSource);
      // Through the writer (the injected DataSource is the read-only reader), as any code of Lotse would write.
      const write = (sql: string) => t.app.get(WriteSerializer).transaction((em) => em.query(sql));
      const before = await dataSource.query('SELECT * FROM audit_log ORDER BY id');
      expect(before.length).toBeGreaterThan(5);
      for (const method of ['put', 'patch', 'delete'] as const)
        expect((await t.http[method]('/audit').send({})).status).toBe(404);
      await expect(write("UPDATE audit_log SET actor_id = 'niemand' WHERE id = 1")).rejects.toThrow(/append-only/);
      await expect(write('DELETE FROM audit_log WHERE id = 1')).rejects.toThrow(/append-only/);
      await expect(write('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      expect(await dataSource.query('SELECT * FROM audit_log ORDER BY id')).toEqual(before);
    });
  });
});
