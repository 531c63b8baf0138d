import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

describe('calendar subscriptions: secret feed URLs a calendar app reads without signing in', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let member: Enrolment;
  let g1: Awaited<ReturnType<QualificationWorld['group']>>;
  let g2: Awaited<ReturnType<QualificationWorld['group']>>;

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
    world = new QualificationWorld(t);
    g1 = await world.group('Gruppe Rheinland');
    g2 = await world.group('Gruppe Westfalen');
    member = await world.registered('koeln');
    await world.place(member, g1.id);
  });

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  const participant = () => as('participant', member.lower.id);
  const vevents = (ics: string) => ics.split('BEGIN:VEVENT').length - 1;

  it('gives a participant a personal feed of its own events, shown once and stored as a digest', async () => {
    const created = await t.http.post('/calendar-subscriptions').set(participant()).send({}).expect(201);
    expect(created.body).toMatchObject({ kind: 'person', subjectId: member.lower.id, revokedAt: null });
    const path: string = created.body.path;
    expect(path).toMatch(/^\/calendar\/lotse_cal_[A-Za-z0-9_-]{43}\.ics$/);

    const feed = await t.anonymous.get(path).expect(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.headers['cache-control']).toBe('private, no-cache');
    expect(vevents(feed.text)).toBe(8); // four two-day events of the group's curriculum
    expect(feed.text).toContain('Das Tandem als Team');

    const listed = await t.http.get('/calendar-subscriptions').set(participant()).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, kind: 'person' })]);
    expect(JSON.stringify(listed.body)).not.toContain(path.slice(10, -4));
    expect(JSON.stringify(await t.app.get(DataSource).query('SELECT * FROM calendar_subscriptions'))).not.toContain(
      path.slice(10, -4),
    );
  });

  it("gives the institute any group's feed, a moderator only its own groups', and refuses a personal feed to either", async () => {
    const moderator = as('moderator', g1.moderators[0]);
    const own = (await t.http.post('/calendar-subscriptions').set(moderator).send({ groupId: g1.id }).expect(201)).body;
    expect(vevents((await t.anonymous.get(own.path).expect(200)).text)).toBe(8);
    expect(
      (await t.http.post('/calendar-subscriptions').set(moderator).send({ groupId: g2.id }).expect(403)).body.rule,
    ).toBe('own-group');
    expect((await t.http.post('/calendar-subscriptions').set(moderator).send({}).expect(403)).body.rule).toBe(
      'calendar-feed-subject',
    );
    const institute = (await t.http.post('/calendar-subscriptions').set(INSTITUTE).send({ groupId: g2.id }).expect(201))
      .body;
    await t.anonymous.get(institute.path).expect(200);
    expect(
      (await t.http.post('/calendar-subscriptions').set(as('district', 'koeln')).send({ groupId: g1.id }).expect(403))
        .body.rule,
    ).toBe('role-may-act');
    await t.http
      .post('/calendar-subscriptions')
      .set(INSTITUTE)
      .send({ groupId: '7c1f0b0e-0000-4000-8000-000000000000' })
      .expect(404);
  });

  it('stops a feed when its owner revokes it; nobody else can', async () => {
    const created = (await t.http.post('/calendar-subscriptions').set(participant()).send({}).expect(201)).body;
    await t.anonymous.get(created.path).expect(200);
    await t.http.delete(`/calendar-subscriptions/${created.id}`).set(as('participant', member.upper.id)).expect(404);
    await t.http.delete(`/calendar-subscriptions/${created.id}`).set(INSTITUTE).expect(404);
    const revoked = await t.http.delete(`/calendar-subscriptions/${created.id}`).set(participant()).expect(200);
    expect(revoked.body.revokedAt).toBe(t.clock.now().toISOString());
    const gone = await t.anonymous.get(created.path).expect(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    expect(gone.body.rule).toBe('calendar-feed-known');
  });

  it('answers 404 to a feed URL that was never issued', async () => {
    for (const path of [
      '/calendar/lotse_cal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics',
      '/calendar/anything.ics',
      '/calendar/x',
    ]) {
      expect((await t.anonymous.get(path).expect(404)).body.rule).toBe('calendar-feed-known');
    }
  });

  it("ends a participant's personal feed of the group once its tandem is withdrawn from it", async () => {
    const created = (await t.http.post('/calendar-subscriptions').set(participant()).send({}).expect(201)).body;
    expect(vevents((await t.anonymous.get(created.path).expect(200)).text)).toBe(8);
    await t.http
      .post(`/enrolments/${member.enrolmentId}/withdrawal`)
      .set(as('district', 'koeln'))
      .send({ reason: 'Wechsel in eine andere Funktion' })
      .expect(200);
    expect(vevents((await t.anonymous.get(created.path).expect(200)).text)).toBe(0);
  });
});
