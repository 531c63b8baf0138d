/**
 * Reads of personal data in answers that are not JSON: web pages, exports and print PDFs record whom they showed in
 * the audit log before they are sent, through the same rows as the JSON routes (plain HTTP, bearer sign-in).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WriteSerializer } from '../src/engine/persistence/write-serializer.js';
import { assertShownRecorded, recordShown, shownReads, type ShownReads } from '../src/audit/handler-reads.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Enrolment, type Tandem } from './qualification-world.js';

interface AuditItem {
  id: number;
  actor: { id: string; role: string };
  action: string;
  personId: string | null;
  details: Record<string, unknown>;
}

const DISTRICT = as('district', 'koeln/m.schmidt');

describe('audit log: pages, exports and print PDFs', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let group: Awaited<ReturnType<QualificationWorld['group']>>;
  let seated: Enrolment;
  let waiting: Enrolment;
  let muenster: Enrolment;
  let formed: Tandem;

  const audit = async (): Promise<AuditItem[]> => (await t.http.get('/audit?pageSize=500').expect(200)).body.items;
  const newest = async (): Promise<number> => Math.max(0, ...(await audit()).map((row) => row.id));
  const since = async (id: number): Promise<AuditItem[]> => (await audit()).filter((row) => row.id > id);
  const persons = (rows: AuditItem[]) => rows.map((row) => row.personId).sort();
  const ids = (...tandems: Tandem[]) => tandems.flatMap((x) => [x.lower.id, x.upper.id]);

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
    world = new QualificationWorld(t);
    // One seat: the first Köln tandem sits, the second waits; a Münster tandem is registered; a Köln tandem is only formed.
    group = await world.group('Gruppe Rheinland', undefined, 1);
    seated = await world.registered('koeln');
    waiting = await world.registered('koeln');
    muenster = await world.registered('muenster');
    await world.place(seated, group.id);
    await world.place(waiting, group.id);
    formed = await world.tandem('koeln');
  }, 120_000);

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  it("logs the institute printing a group's roster: its moderators and its seated tandem", async () => {
    const before = await newest();
    const response = await t.http.get(`/groups/${group.id}/roster.pdf`).set(INSTITUTE).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const rows = await since(before);
    expect(persons(rows)).toEqual([...group.moderators, ...ids(seated)].sort());
    expect(
      rows.every(
        (row) =>
          row.actor.id === 'institut' &&
          row.action === 'personal-data.read' &&
          row.details.route === 'GET /groups/:id/roster.pdf',
      ),
    ).toBe(true);
  });

  it("logs a district exporting its enrolments: the members of its own enrolments, not another district's", async () => {
    const before = await newest();
    const csv = await t.http.get('/exports/enrolments.csv').set(DISTRICT).buffer(true).expect(200);
    expect(csv.text).toContain(seated.lower.name);
    expect(csv.text).not.toContain(muenster.lower.name);
    const rows = await since(before);
    expect(persons(rows)).toEqual(ids(seated, waiting).sort());
    expect(
      rows.every(
        (row) => row.actor.id === 'koeln/m.schmidt' && row.details.route === 'GET /exports/enrolments.:format',
      ),
    ).toBe(true);
  });

  it("logs a district's tandem page: its enrolments' members and those of the tandem it formed but has not registered", async () => {
    const before = await newest();
    const page = await t.http.get('/app/bezirk/tandems').set(DISTRICT).expect(200);
    expect(page.text).toContain(formed.upper.name);
    const rows = await since(before);
    expect(persons(rows)).toEqual(ids(seated, waiting, formed).sort());
    expect(
      rows.every((row) => row.actor.id === 'koeln/m.schmidt' && row.details.route === 'GET /app/bezirk/tandems'),
    ).toBe(true);
  });

  it("logs a moderator's group page without the moderator itself: the other moderator and the group's tandems", async () => {
    const [self, other] = group.moderators;
    const before = await newest();
    await t.http.get(`/app/moderation/gruppen/${group.id}`).set(as('moderator', self)).expect(200);
    expect(persons(await since(before))).toEqual([other, ...ids(seated, waiting)].sort());
  });

  it('logs nothing for a page that shows only the caller, nor for a refused download', async () => {
    const before = await newest();
    const page = await t.http.get('/app/teilnahme').set(as('participant', seated.lower.id)).expect(200);
    expect(page.text).toContain(seated.lower.name);
    await t.http.get(`/groups/${group.id}/roster.pdf`).set(as('participant', seated.lower.id)).expect(403);
    expect(await since(before)).toEqual([]);
  });

  it("logs the ministry reading a group's instance page and its diagram: the moderator its journal names as who acted", async () => {
    const [self] = group.moderators;
    const instanceId = (await t.http.get(`/groups/${group.id}`).set(INSTITUTE).expect(200)).body.instanceId as string;
    let before = await newest();
    await t.http.get(`/app/vorgaenge/${instanceId}`).set(as('ministry', 'msb')).expect(200);
    await t.http.get(`/instances/${instanceId}/diagram.svg`).set(as('ministry', 'msb')).expect(200);
    // So far only the institute and the ministry acted: account ids, no person.
    expect(await since(before)).toEqual([]);

    await t.scheduler.advanceTo('2026-03-02T10:00:00Z');
    await world.attendance(group.events[0].id, self, ids(seated));
    before = await newest();
    const page = await t.http.get(`/app/vorgaenge/${instanceId}`).set(as('ministry', 'msb')).expect(200);
    expect(page.text).toContain(self);
    const svg = await t.http
      .get(`/instances/${instanceId}/diagram.svg`)
      .set(as('ministry', 'msb'))
      .buffer(true)
      .expect(200);
    expect(svg.text ?? svg.body.toString()).toContain(self);
    expect((await since(before)).map((row) => [row.personId, row.details.route])).toEqual([
      [self, 'GET /app/vorgaenge/:id'],
      [self, 'GET /instances/:id/diagram.svg'],
    ]);
  });

  it('sends neither the page nor the file when the read cannot be logged', async () => {
    const write = (sql: string) => t.app.get(WriteSerializer).transaction((em) => em.query(sql));
    await write(
      "CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no space left'); END",
    );
    try {
      const file = await t.http.get(`/groups/${group.id}/roster.pdf`).set(INSTITUTE).expect(500);
      expect(file.headers['content-type']).not.toBe('application/pdf');
      const page = await t.http.get('/app/bezirk/tandems').set(DISTRICT).expect(500);
      expect(page.text).not.toContain(seated.lower.name);
    } finally {
      await write('DROP TRIGGER audit_log_full');
    }
  });

  it('refuses to answer a route listed as recorded by its handler that recorded nothing, and a GET that records unlisted', async () => {
    const reads = (route: string, expected: boolean): ShownReads => ({
      route,
      expected,
      recorded: false,
      record: async () => undefined,
    });
    expect(() => shownReads.run(reads('GET /app/bezirk/tandems', true), () => assertShownRecorded())).toThrow(
      /without recordShown/,
    );
    // An error page may be sent without: it shows no one.
    expect(() => shownReads.run(reads('GET /app/bezirk/tandems', true), () => assertShownRecorded(404))).not.toThrow();
    await expect(shownReads.run(reads('GET /app/start', false), () => recordShown(['someone']))).rejects.toThrow(
      /does not list it/,
    );
  });
});
