import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PROGRAMME_MESSAGES } from '../workflows/index.js';
import { buildMailMessage } from '../src/notifications/mail-message.js';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';
import { CURRICULUM, INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

/**
 * Issue 13, the tandem qualification read again against the decree (seed 000): modules in several blocks,
 * everyone's own certificate, re-formation after completion, curriculum changes, the staff council's outcome,
 * moderators appointed by the ministry. Each through the HTTP API on the fake clock.
 */
describe('tandem qualification: rules read against the decree', () => {
  let t: TestApp;
  let world: QualificationWorld;

  eachTestOnApp({ now: '2026-01-05T09:00:00Z' }, (app) => {
    t = app;
    world = new QualificationWorld(t);
  });

  const query = (sql: string, parameters: unknown[] = []) => t.app.get(DataSource).query(sql, parameters);
  const both = (tandem: Enrolment) => [tandem.lower.id, tandem.upper.id];

  /** Messages queued for people, rendered as they receive them. */
  async function messages(template: string) {
    const rows: { key: string; payload: string; created_at: string }[] = await query(
      'SELECT key, payload, created_at FROM outbox WHERE kind = ? ORDER BY id',
      ['mail'],
    );
    return rows
      .filter((row) => JSON.parse(row.payload).template === `tandem-qualification/${template}`)
      .map((row) =>
        buildMailMessage({
          outboxKey: row.key,
          payload: JSON.parse(row.payload),
          templates: PROGRAMME_MESSAGES,
          from: 'Lotse <lotse@localhost>',
          publicBaseUrl: 'http://localhost:3000',
          timeZone: 'Europe/Berlin',
          queuedAt: new Date(row.created_at),
          now: new Date(row.created_at),
        }),
      );
  }

  /** Attends every event of `group` with `present`, each on its last day. */
  async function attendAll(
    group: { events: { id: string; days: string[] }[]; moderators: string[] },
    present: string[],
  ) {
    for (const event of group.events) {
      await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T15:00:00Z`);
      await world.attendance(event.id, group.moderators[0], present);
    }
  }

  it('13.3: takes a module in an opening and a closing block; the module counts when both blocks were attended or made up', async () => {
    const blocks = [
      { module: 'tandem-team', days: ['2026-03-02'], hours: 8, place: 'Soest' },
      { module: 'regional-education-management', days: ['2026-04-20', '2026-04-21'], hours: 16, place: 'Soest' },
      { module: 'cooperation-interfaces', days: ['2026-06-08', '2026-06-09'], hours: 16, place: 'Dortmund' },
      { module: 'tandem-team', days: ['2026-09-14'], hours: 8, place: 'Soest' },
    ];
    // Still at most 64 hours and 8 days.
    const refused = await world.group('Gruppe zu lang', []);
    const tooMuch = await t.http
      .post(`/groups/${refused.id}/curriculum`)
      .set(INSTITUTE)
      .send({
        events: [
          ...blocks,
          { module: 'tandem-team', days: ['2026-10-05', '2026-10-06', '2026-10-07'], hours: 24, place: 'Soest' },
        ],
      })
      .expect(422);
    expect(tooMuch.body).toMatchObject({ rule: 'curriculum-max-64-hours', hours: 72, days: 9 });

    const group = await world.group('Gruppe Hellweg', blocks);
    expect(group.events.map((e) => e.module)).toEqual([
      'tandem-team',
      'regional-education-management',
      'cooperation-interfaces',
      'tandem-team',
    ]);
    const tandem = await world.registered('arnsberg');
    await world.place(tandem, group.id);
    await attendAll({ ...group, events: group.events.slice(0, 3) }, both(tandem));
    // The closing block is missed: the module is not attended.
    await t.scheduler.advanceTo('2026-09-14T15:00:00Z');
    await world.attendance(group.events[3].id, group.moderators[0], [], both(tandem));
    const missing = await t.http.post(`/enrolments/${tandem.enrolmentId}/certificates`).set(INSTITUTE).expect(422);
    expect(missing.body).toMatchObject({ rule: 'certificate-needs-all-modules', missing: ['tandem-team'] });

    // Made up in another group's event of the same module.
    const other = await world.group('Gruppe Ruhr', [
      { module: 'tandem-team', days: ['2026-10-05'], hours: 8, place: 'Essen' },
      { module: 'regional-education-management', days: ['2026-11-02', '2026-11-03'], hours: 16, place: 'Essen' },
      { module: 'cooperation-interfaces', days: ['2026-12-07', '2026-12-08'], hours: 16, place: 'Essen' },
    ]);
    await t.scheduler.advanceTo('2026-10-05T15:00:00Z');
    await world.attendance(other.events[0].id, other.moderators[0], both(tandem));
    const certificates = await world.ok('post', `/enrolments/${tandem.enrolmentId}/certificates`, INSTITUTE);
    expect(
      certificates.map((c: { hours: number; firstDay: string; lastDay: string }) => [c.hours, c.firstDay, c.lastDay]),
    ).toEqual([
      [48, '2026-03-02', '2026-10-05'],
      [48, '2026-03-02', '2026-10-05'],
    ]);
  });

  it('13.4: gives each person their own hours, days and modules after a member change with exemption, marking credited modules', async () => {
    // The decree's three core modules, 48 hours.
    const group = await world.group('Gruppe Ostwestfalen', CURRICULUM.slice(0, 3));
    const tandem = await world.registered('detmold');
    await world.place(tandem, group.id);
    await t.scheduler.advanceTo('2026-03-03T15:00:00Z');
    await world.attendance(group.events[0].id, group.moderators[0], both(tandem));
    // Before the second module the upper member changes; the district records an exemption.
    const clara = await world.person('detmold', 'upper', 'en');
    const changed = await world.ok('post', `/tandems/${tandem.id}/member-change`, as('district', 'detmold'), {
      leavingPersonId: tandem.upper.id,
      joiningPersonId: clara.id,
      exemptionReason: 'Nachfolge im Amt; Modul 1 wurde gemeinsam besucht',
    });
    expect(changed.enrolment).toMatchObject({ id: tandem.enrolmentId, creditedModules: ['tandem-team'] });
    await attendAll({ ...group, events: group.events.slice(1) }, [tandem.lower.id, clara.id]);
    const certificates = await world.ok('post', `/enrolments/${tandem.enrolmentId}/certificates`, INSTITUTE);
    const of = (personId: string) => certificates.find((c: { personId: string }) => c.personId === personId);
    expect(of(tandem.lower.id)).toMatchObject({
      hours: 48,
      firstDay: '2026-03-02',
      lastDay: '2026-06-09',
      creditedModules: [],
      modules: [
        'Das Tandem als Team',
        'Grundlagen des regionalen Bildungsmanagements',
        'Kooperations- und Schnittstellenmanagement',
      ],
    });
    expect(of(clara.id)).toMatchObject({
      hours: 32,
      firstDay: '2026-04-20',
      lastDay: '2026-06-09',
      creditedModules: ['The tandem as a team'],
      modules: [
        'The tandem as a team',
        'Foundations of regional education management',
        'Cooperation and interface management',
      ],
    });
    // Nobody else got one: the member who left took part in one module only.
    expect(
      await world.ok('get', `/persons/${tandem.upper.id}/certificates`, as('participant', tandem.upper.id)),
    ).toEqual([]);
    const pdf = await t.http
      .get(`/certificates/${of(clara.id).id}/pdf`)
      .set(as('participant', clara.id))
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('13.5: re-forms a tandem that changes a member after completion, and invites the current members of alumni to the exchange', async () => {
    const group = await world.group('Gruppe Lippe', CURRICULUM.slice(0, 3));
    const [reforming, exempted] = [await world.registered('detmold'), await world.registered('detmold')];
    for (const tandem of [reforming, exempted]) await world.place(tandem, group.id);
    await attendAll(group, [...both(reforming), ...both(exempted)]);
    for (const tandem of [reforming, exempted])
      await world.ok('post', `/enrolments/${tandem.enrolmentId}/certificates`, INSTITUTE);

    // After completion, as a rule: qualified again. The completed enrolment ends; the new tandem is nominated.
    const newLower = await world.person('detmold', 'lower');
    const reformed = await world.ok('post', `/tandems/${reforming.id}/member-change`, as('district', 'detmold'), {
      leavingPersonId: reforming.lower.id,
      joiningPersonId: newLower.id,
    });
    expect(reformed.reformed).toMatchObject({ id: reforming.enrolmentId, status: 'reformed' });
    expect(reformed.enrolment).toMatchObject({
      status: 'nominated',
      predecessorId: reforming.enrolmentId,
      tandemId: reformed.tandem.id,
    });
    // Or with an exemption: the alumni tandem goes on with its new member.
    const newUpper = await world.person('detmold', 'upper');
    const continued = await world.ok('post', `/tandems/${exempted.id}/member-change`, as('district', 'detmold'), {
      leavingPersonId: exempted.upper.id,
      joiningPersonId: newUpper.id,
      exemptionReason: 'Vertretung; das Tandem hat die Qualifizierung abgeschlossen',
    });
    expect(continued.enrolment).toMatchObject({ id: exempted.enrolmentId, status: 'completed' });

    await t.scheduler.advanceTo('2026-11-02T09:00:00Z');
    expect(await world.ok('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' })).toMatchObject({
      invited: 1,
    });
    await t.scheduler.advanceTo('2027-04-16T00:00:00Z');
    const invited = (await messages('exchange-invitation')).map((m) => m.to.address).sort();
    expect(invited).toEqual([exempted.lower.email, newUpper.email].sort());
    // The member who left cannot answer for the tandem; the new one can.
    const [task] = (await world.ok('get', `/persons/${newUpper.id}/tasks`, as('participant', newUpper.id))).filter(
      (x: { kind: string }) => x.kind === 'exchange-answer',
    );
    await t.http
      .post(`/exchange-invitations/${task.id}/answer`)
      .set(as('participant', exempted.upper.id))
      .send({ accept: true })
      .expect(403);
    await world.ok('post', `/exchange-invitations/${task.id}/answer`, as('participant', newUpper.id), { accept: true });
  });

  it('13.6: lets the institute move, add and cancel events with a reason: reminders follow, calendars update, people are told', async () => {
    const group = await world.group('Gruppe Rheinland', CURRICULUM);
    const tandem = await world.registered('koeln', ['de', 'en']);
    await world.place(tandem, group.id);
    const groupInstance = (await world.ok('get', `/groups/${group.id}`, INSTITUTE)).instanceId;
    const pending = async () =>
      (await world.ok('get', `/instances/${groupInstance}`, INSTITUTE)).pendingTimers as {
        key: string;
        dueAt: string;
      }[];
    const second = group.events[1];
    expect(
      (await pending()).find((p) => p.key === `reminder:event-upcoming:${second.id}:-P14D:${tandem.lower.email}`)
        ?.dueAt,
    ).toBe('2026-04-02T06:00:00.000Z');

    await t.scheduler.advanceTo('2026-02-02T09:00:00Z');
    const moved = await world.ok('post', `/events/${second.id}/changes`, INSTITUTE, {
      days: ['2026-05-04', '2026-05-05'],
      reason: 'Tagungshaus belegt',
    });
    expect(moved.events.find((e: { id: string }) => e.id === second.id)).toMatchObject({
      days: ['2026-05-04', '2026-05-05'],
      sequence: 1,
      status: 'scheduled',
      changeReason: 'Tagungshaus belegt',
    });
    // The reminders follow the event; the reflection phase before it is due a week before its new date.
    const timers = await pending();
    expect(
      timers.find((p) => p.key === `reminder:event-upcoming:${second.id}~1:-P14D:${tandem.lower.email}`)?.dueAt,
    ).toBe('2026-04-20T06:00:00.000Z');
    expect(timers.some((p) => p.key === `reminder:event-upcoming:${second.id}:-P14D:${tandem.lower.email}`)).toBe(
      false,
    );
    expect(moved.reflectionPhases[0].dueOn).toBe('2026-04-27');

    // Members and moderators are told, each in their language.
    const notices = await messages('event-changed');
    const told = notices.map((m) => m.to.address);
    expect(told).toHaveLength(4);
    expect(told).toEqual(expect.arrayContaining([tandem.lower.email, tandem.upper.email]));
    expect(told.filter((address) => address.endsWith('@institut.example.org'))).toHaveLength(2);
    const english = notices.find((m) => m.to.address === tandem.upper.email)!;
    expect(english.subject).toBe('Changed: Foundations of regional education management');
    expect(english.text).toContain('Reason: Tagungshaus belegt');
    const german = notices.find((m) => m.to.address === tandem.lower.email)!;
    expect(german.subject).toBe('Geändert: Grundlagen des regionalen Bildungsmanagements');
    expect(german.text).toContain('wurde verlegt');
    // The notice carries the changed entries as the feed has them: the same UIDs, SEQUENCE raised, stamped with the change.
    const attached = german.attachments.find((a) => a.filename.endsWith('.ics'))!.content.toString();
    expect(attached).toContain(`UID:${second.id}-1@lotse`);
    expect(attached).toContain(`UID:${second.id}-2@lotse`);
    expect(attached).toContain('SEQUENCE:1');
    expect(attached).toContain('DTSTAMP:20260202T090000Z');
    expect(attached).toContain('DTSTART;TZID=Europe/Berlin:20260504T090000');

    // A further module is cancelled and a replacement added: the calendar keeps the cancelled entry, marked.
    const fourth = group.events[3];
    await world.ok('post', `/events/${fourth.id}/cancellation`, INSTITUTE, { reason: 'Referentin erkrankt' });
    // A further module is named by a title; a replacement block may leave it to the block it replaces.
    const untitled = await t.http
      .post(`/groups/${group.id}/events`)
      .set(INSTITUTE)
      .send({ module: 'moderation', days: ['2026-10-12'], hours: 8, place: 'Köln', reason: 'Zusatzmodul' })
      .expect(422);
    expect(untitled.body).toMatchObject({ rule: 'curriculum-module-title', modules: ['moderation'] });
    const added = await world.ok('post', `/groups/${group.id}/events`, INSTITUTE, {
      module: 'data-informed-steering',
      days: ['2026-10-12', '2026-10-13'],
      hours: 16,
      place: 'Köln',
      reason: 'Ersatztermin für den abgesagten Block',
    });
    expect(added.events.map((e: { module: string; status: string }) => [e.module, e.status])).toEqual([
      ['tandem-team', 'scheduled'],
      ['regional-education-management', 'scheduled'],
      ['cooperation-interfaces', 'scheduled'],
      ['data-informed-steering', 'cancelled'],
      ['data-informed-steering', 'scheduled'],
    ]);
    const feed = await t.http.get(`/groups/${group.id}/calendar.ics`).set(INSTITUTE).expect(200);
    const entry = (eventId: string) =>
      feed.text.split('BEGIN:VEVENT').find((part) => part.includes(`UID:${eventId}-1@lotse`))!;
    expect(entry(second.id)).toContain('SEQUENCE:1');
    expect(entry(fourth.id)).toContain('STATUS:CANCELLED');
    expect(entry(fourth.id)).toContain('SEQUENCE:1');
    expect(entry(group.events[0].id)).toContain('SEQUENCE:0');
    expect(entry(added.events[4].id)).toContain('SUMMARY:Datengestützte Steuerung (Tag 1/2) – Tandem-Qualifizierung');
    const cancellation = (await messages('event-changed')).find(
      (m) => m.to.address === tandem.lower.email && m.subject.startsWith('Abgesagt'),
    )!;
    expect(cancellation.attachments[0].content.toString()).toMatch(
      new RegExp(`UID:${fourth.id}-1@lotse[\\s\\S]*STATUS:CANCELLED`),
    );
    expect(
      (await messages('event-changed')).filter((m) => m.to.address === tandem.lower.email).map((m) => m.subject),
    ).toEqual([
      'Geändert: Grundlagen des regionalen Bildungsmanagements',
      'Abgesagt: Datengestützte Steuerung',
      'Neu: Datengestützte Steuerung',
    ]);

    // What cannot change: an event that has begun, a date in the past, a core module left without an event.
    await t.scheduler.advanceTo('2026-03-02T10:00:00Z');
    const begun = await t.http
      .post(`/events/${group.events[0].id}/changes`)
      .set(INSTITUTE)
      .send({ place: 'Bonn', reason: 'zu spät' })
      .expect(422);
    expect(begun.body.rule).toBe('event-change-before-it-begins');
    const past = await t.http
      .post(`/events/${group.events[2].id}/changes`)
      .set(INSTITUTE)
      .send({ days: ['2026-03-01'], reason: 'Rückdatiert' })
      .expect(422);
    expect(past.body.rule).toBe('event-change-in-future');
    const beforeLate = (await t.http.get(`/groups/${group.id}`).set(INSTITUTE).expect(200)).body;
    const late = await t.http
      .post(`/events/${group.events[2].id}/changes`)
      .set(INSTITUTE)
      .send({ startTime: '17:00', reason: 'Abendtermin' })
      .expect(422);
    expect(late.headers['content-type']).toContain('application/problem+json');
    expect(late.body).toMatchObject({ rule: 'event-day-ends-before-midnight', startTime: '17:00', hoursPerDay: 8 });
    expect((await t.http.get(`/groups/${group.id}`).set(INSTITUTE).expect(200)).body).toEqual(beforeLate);
    const core = await t.http
      .post(`/events/${group.events[2].id}/cancellation`)
      .set(INSTITUTE)
      .send({ reason: 'entfällt' })
      .expect(422);
    expect(core.body).toMatchObject({ rule: 'curriculum-core-modules', missing: ['cooperation-interfaces'] });
    await t.http
      .post(`/events/${group.events[2].id}/cancellation`)
      .set(as('moderator', group.moderators[0]))
      .send({ reason: 'entfällt' })
      .expect(403);
  });

  it("13.7: records the staff council's outcome; a refusal blocks submission, consent or deemed consent allows it", async () => {
    const enrolment = await world.nominate(await world.tandem('muenster'));
    const district = as('district', 'muenster');
    const involvements = `/enrolments/${enrolment.enrolmentId}/involvements`;
    await world.ok('post', involvements, district, { body: 'equal-opportunities', on: '2026-01-05' });
    const noOutcome = await t.http
      .post(involvements)
      .set(district)
      .send({ body: 'staff-council', on: '2026-01-06' })
      .expect(400);
    expect(noOutcome.body.detail).toContain('outcome');
    const ahead = await t.http
      .post(involvements)
      .set(district)
      .send({ body: 'staff-council', on: '2026-01-06', outcome: 'consent' })
      .expect(422);
    expect(ahead.body).toMatchObject({ rule: 'involvement-not-in-future', on: '2026-01-06', today: '2026-01-05' });
    expect((await world.ok('get', `/enrolments/${enrolment.enrolmentId}`, district)).involvements.staffCouncil).toBe(
      null,
    );
    await t.scheduler.advanceTo('2026-01-06T09:00:00Z');
    const refusal = await world.ok('post', involvements, district, {
      body: 'staff-council',
      on: '2026-01-06',
      outcome: 'refusal',
      note: 'Personalrat verweigert die Zustimmung',
    });
    expect(refusal.involvements.staffCouncil).toEqual({ on: '2026-01-06', outcome: 'refusal' });
    const blocked = await t.http.post(`/enrolments/${enrolment.enrolmentId}/submission`).set(district).expect(422);
    expect(blocked.body).toMatchObject({ rule: 'staff-council-refused', refusedOn: '2026-01-06' });
    expect(await world.status(enrolment)).toBe('nominated');
    // The council's consent is deemed given when it does not answer within the statutory period.
    await t.scheduler.advanceTo('2026-01-20T09:00:00Z');
    await world.ok('post', involvements, district, {
      body: 'staff-council',
      on: '2026-01-20',
      outcome: 'deemed-consent',
    });
    expect((await world.ok('post', `/enrolments/${enrolment.enrolmentId}/submission`, district)).status).toBe(
      'registered',
    );
  });

  it('13.8: the ministry appoints moderator tandems and the institute assigns them to groups', async () => {
    const group = await world.group('Gruppe Münsterland', CURRICULUM);
    const first = await world.ok('post', '/persons', INSTITUTE, {
      name: 'Nele Moderation',
      email: 'nele@institut.example.org',
    });
    const second = await world.ok('post', '/persons', INSTITUTE, {
      name: 'Paul Moderation',
      email: 'paul@institut.example.org',
    });
    const refused = await t.http
      .post('/moderator-tandems')
      .set(INSTITUTE)
      .send({ firstMemberId: first.id, secondMemberId: second.id })
      .expect(403);
    expect(refused.body.rule).toBe('role-may-act');
    const appointed = await world.ok('post', '/moderator-tandems', as('ministry', 'msb'), {
      firstMemberId: first.id,
      secondMemberId: second.id,
    });
    expect(appointed).toMatchObject({ appointedBy: 'msb', appointedOn: '2026-01-05' });
    await t.http
      .put(`/groups/${group.id}/moderator-tandem`)
      .set(as('ministry', 'msb'))
      .send({ moderatorTandemId: appointed.id })
      .expect(403);
    const assigned = await world.ok('put', `/groups/${group.id}/moderator-tandem`, INSTITUTE, {
      moderatorTandemId: appointed.id,
    });
    expect(assigned.moderators.map((m: { name: string }) => m.name).sort()).toEqual([
      'Nele Moderation',
      'Paul Moderation',
    ]);
    // The group's reminders now go to the new moderators; the former ones no longer see the group.
    const timers = (await world.ok('get', `/instances/${assigned.instanceId}`, INSTITUTE)).pendingTimers as {
      key: string;
    }[];
    expect(timers.some((p) => p.key.endsWith(':nele@institut.example.org'))).toBe(true);
    expect(
      timers.filter((p) => p.key.endsWith('@institut.example.org')).every((p) => /:(nele|paul)@/.test(p.key)),
    ).toBe(true);
    await t.http.get(`/groups/${group.id}`).set(as('moderator', group.moderators[0])).expect(403);
    expect((await world.ok('get', `/groups/${group.id}`, as('moderator', first.id))).name).toBe('Gruppe Münsterland');
  });
});
