import { describe, expect, it } from '@jest/globals';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';
import { CURRICULUM, INSTITUTE, QualificationWorld } from './qualification-world.js';

describe('tandem qualification: rules and refusals', () => {
  let t: TestApp;
  let world: QualificationWorld;

  eachTestOnApp({ now: '2026-01-05T09:00:00Z' }, (app) => {
    t = app;
    world = new QualificationWorld(t);
  });

  async function stored() {
    return {
      tandems: await world.count('qual_tandems'),
      enrolments: await world.count('qual_enrolments'),
      events: await world.count('qual_events'),
      certificates: await world.count('qual_certificates'),
      instances: await world.count('workflow_instances'),
      journal: await world.count('journal'),
    };
  }

  it("refuses (403) Köln acting for a network in Münster's area, storing nothing", async () => {
    const muensterTandem = await world.tandem('muenster');
    const lower = await world.person('koeln', 'lower');
    const upper = await world.person('koeln', 'upper');
    const before = await stored();

    const tandem = await t.http
      .post('/tandems')
      .set(as('district', 'koeln'))
      .send({ networkId: muensterTandem.networkId, lowerMemberId: lower.id, upperMemberId: upper.id })
      .expect(403);
    expect(tandem.headers['content-type']).toContain('application/problem+json');
    expect(tandem.body).toMatchObject({ rule: 'district-own-area', actorDistrict: 'koeln', district: 'muenster' });
    const enrolment = await t.http
      .post('/enrolments')
      .set(as('district', 'koeln/m.schmidt'))
      .send({ tandemId: muensterTandem.id })
      .expect(403);
    expect(enrolment.body.rule).toBe('district-own-area');
    await t.http
      .post('/networks')
      .set(as('district', 'koeln'))
      .send({ name: 'Netzwerk Münsterland', districtId: 'muenster' })
      .expect(403);

    expect(await stored()).toEqual(before);
    expect(await world.ok('get', '/enrolments', as('district', 'koeln'))).toEqual([]);
  });

  it('refuses a tandem that is not one lower and one upper member (422), storing nothing', async () => {
    const networkId = await world.network('arnsberg');
    const a = await world.person('arnsberg', 'lower');
    const b = await world.person('arnsberg', 'lower');
    const before = await stored();
    const refused = await t.http
      .post('/tandems')
      .set(as('district', 'arnsberg'))
      .send({ networkId, lowerMemberId: a.id, upperMemberId: b.id })
      .expect(422);
    expect(refused.body).toMatchObject({ rule: 'tandem-one-lower-one-upper' });
    expect(refused.body.detail).toContain('one of the lower school supervision');
    expect(await stored()).toEqual(before);
  });

  it('refuses submission before both involvements are recorded (422), changing nothing', async () => {
    const enrolment = await world.nominate(await world.tandem('detmold'));
    await world.ok('post', `/enrolments/${enrolment.enrolmentId}/involvements`, as('district', 'detmold'), {
      body: 'staff-council',
      on: '2026-01-05',
      outcome: 'consent',
    });
    const before = await stored();
    const refused = await t.http
      .post(`/enrolments/${enrolment.enrolmentId}/submission`)
      .set(as('district', 'detmold'))
      .expect(422);
    expect(refused.body).toMatchObject({
      rule: 'registration-needs-involvements',
      missing: ['equal-opportunities officer (LGG NRW § 11 Abs. 1)'],
    });
    expect(await stored()).toEqual(before);
    expect(await world.status(enrolment)).toBe('nominated');
  });

  it('refuses a curriculum without the three core modules, over 64 hours or with an untitled further module (422), storing no event', async () => {
    const group = await world.group('Gruppe Rheinland', []);
    const before = await stored();
    const noCore = await t.http
      .post(`/groups/${group.id}/curriculum`)
      .set(INSTITUTE)
      .send({ events: CURRICULUM.slice(1) })
      .expect(422);
    expect(noCore.body).toMatchObject({ rule: 'curriculum-core-modules', missing: ['tandem-team'] });
    expect(noCore.body.detail).toContain('Das Tandem als Team');
    const tooLong = await t.http
      .post(`/groups/${group.id}/curriculum`)
      .set(INSTITUTE)
      .send({ events: [...CURRICULUM.slice(0, 3), { ...CURRICULUM[3], hours: 17 }] })
      .expect(422);
    expect(tooLong.body).toMatchObject({ rule: 'curriculum-max-64-hours', hours: 65 });
    // A module beyond the core three needs the title certificates and calendars show; its key is no title.
    const { title: _title, titleEn: _titleEn, ...untitled } = CURRICULUM[3];
    const noTitle = await t.http
      .post(`/groups/${group.id}/curriculum`)
      .set(INSTITUTE)
      .send({ events: [...CURRICULUM.slice(0, 3), untitled] })
      .expect(422);
    expect(noTitle.body).toMatchObject({ rule: 'curriculum-module-title', modules: ['data-informed-steering'] });
    expect(await stored()).toEqual(before);
    expect((await world.ok('get', `/groups/${group.id}`, INSTITUTE)).events).toEqual([]);
  });

  it('waitlists the 9th tandem of a group of 8 and moves the first waiting one up when a seat frees', async () => {
    const group = await world.group('Gruppe Münsterland');
    const placed = [];
    for (let i = 0; i < 8; i++) {
      const enrolment = await world.registered('muenster');
      expect(await world.place(enrolment, group.id)).toMatchObject({ status: 'placed', waitlistPosition: null });
      placed.push(enrolment);
    }
    const ninth = await world.registered('muenster');
    const tenth = await world.registered('arnsberg');
    expect(await world.place(ninth, group.id)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await world.place(tenth, group.id)).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    const full = await world.ok('get', `/groups/${group.id}`, INSTITUTE);
    expect(full.tandems).toHaveLength(8);
    expect(full.waitingList.map((w: { enrolmentId: string }) => w.enrolmentId)).toEqual([
      ninth.enrolmentId,
      tenth.enrolmentId,
    ]);
    // The district sees its waiting tandem's position.
    const arnsberg = await world.ok('get', '/enrolments', as('district', 'arnsberg'));
    expect(arnsberg.find((e: { id: string }) => e.id === tenth.enrolmentId)).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 2,
    });

    const withdrawn = await world.ok(
      'post',
      `/enrolments/${placed[3].enrolmentId}/withdrawal`,
      as('district', 'muenster'),
      { reason: 'Wechsel in eine andere Funktion' },
    );
    expect(withdrawn.status).toBe('withdrawn');
    expect(await world.status(ninth)).toBe('placed');
    expect(await world.ok('get', `/enrolments/${tenth.enrolmentId}`, INSTITUTE)).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    const after = await world.ok('get', `/groups/${group.id}`, INSTITUTE);
    expect(after.tandems).toHaveLength(8);
  });

  it('counts an event only when both attended, refuses the certificate naming the missing module, and accepts a make-up in another group', async () => {
    const tandem = await world.registered('duesseldorf');
    const ownGroup = await world.group('Gruppe Niederrhein');
    // The other group runs the same modules later in the year.
    const otherGroup = await world.group('Gruppe Bergisches Land', [
      { module: 'tandem-team', days: ['2026-03-09', '2026-03-10'], hours: 16, place: 'Wuppertal' },
      { module: 'regional-education-management', days: ['2026-05-04', '2026-05-05'], hours: 16, place: 'Wuppertal' },
      { module: 'cooperation-interfaces', days: ['2026-10-05', '2026-10-06'], hours: 16, place: 'Wuppertal' },
    ]);
    await world.place(tandem, ownGroup.id);
    const [moderator] = ownGroup.moderators;
    const both = [tandem.lower.id, tandem.upper.id];
    for (const event of ownGroup.events) {
      await t.scheduler.advanceTo(`${event.days[0]}T15:00:00Z`);
      // The upper member misses the cooperation module.
      if (event.module === 'cooperation-interfaces')
        await world.attendance(event.id, moderator, [tandem.lower.id], [tandem.upper.id]);
      else await world.attendance(event.id, moderator, both);
    }
    await t.scheduler.advanceTo('2026-09-21T10:00:00Z');
    const before = await world.count('qual_certificates');
    const refused = await t.http.post(`/enrolments/${tandem.enrolmentId}/certificates`).set(INSTITUTE).expect(422);
    expect(refused.body).toMatchObject({ rule: 'certificate-needs-all-modules', missing: ['cooperation-interfaces'] });
    expect(refused.body.detail).toContain('Kooperations- und Schnittstellenmanagement');
    expect(await world.count('qual_certificates')).toBe(before);
    expect(await world.status(tandem)).toBe('in_qualification');

    // The make-up: only the other group's moderators (or the institute) record its attendance.
    const makeUp = otherGroup.events.find((e) => e.module === 'cooperation-interfaces')!;
    await t.scheduler.advanceTo('2026-10-06T15:00:00Z');
    await t.http
      .post(`/events/${makeUp.id}/attendance`)
      .set(as('moderator', moderator))
      .send({ entries: [{ personId: tandem.upper.id, present: true }] })
      .expect(403);
    // One member alone does not make up the module for the tandem.
    await world.attendance(makeUp.id, otherGroup.moderators[0], [tandem.upper.id]);
    await t.http.post(`/enrolments/${tandem.enrolmentId}/certificates`).set(INSTITUTE).expect(422);
    await world.attendance(makeUp.id, otherGroup.moderators[0], both);
    const certificates = await world.ok('post', `/enrolments/${tandem.enrolmentId}/certificates`, INSTITUTE);
    expect(certificates.map((c: { lastDay: string; hours: number }) => [c.lastDay, c.hours])).toEqual([
      ['2026-10-06', 64],
      ['2026-10-06', 64],
    ]);
    const schedule = await world.ok('get', `/persons/${tandem.upper.id}/schedule`, as('participant', tandem.upper.id));
    expect(
      schedule.events
        .filter((e: { makeUp: boolean }) => e.makeUp)
        .map((e: { place: string; attended: boolean }) => [e.place, e.attended]),
    ).toEqual([['Wuppertal', true]]);
  });

  it('re-forms a tandem whose member changes mid-run, unless the district records an exemption', async () => {
    const group = await world.group('Gruppe Ostwestfalen', CURRICULUM, 2);
    const changing = await world.registered('detmold');
    const exempted = await world.registered('detmold');
    const waiting = await world.registered('detmold');
    for (const enrolment of [changing, exempted, waiting]) await world.place(enrolment, group.id);
    const [moderator] = group.moderators;
    const first = group.events[0];
    await t.scheduler.advanceTo(`${first.days[1]}T15:00:00Z`);
    await world.attendance(first.id, moderator, [
      changing.lower.id,
      changing.upper.id,
      exempted.lower.id,
      exempted.upper.id,
    ]);

    // Re-formation: the old enrolment ends, the new tandem starts over, the waiting tandem takes the seat (in a group
    // whose qualification has begun).
    const newUpper = await world.person('detmold', 'upper');
    const reformed = await world.ok('post', `/tandems/${changing.id}/member-change`, as('district', 'detmold'), {
      leavingPersonId: changing.upper.id,
      joiningPersonId: newUpper.id,
    });
    expect(reformed.reformed).toMatchObject({ id: changing.enrolmentId, status: 'reformed' });
    expect(reformed.enrolment).toMatchObject({
      status: 'nominated',
      predecessorId: changing.enrolmentId,
      tandemId: reformed.tandem.id,
    });
    expect(reformed.enrolment.members.map((m: { id: string }) => m.id).sort()).toEqual(
      [changing.lower.id, newUpper.id].sort(),
    );
    expect(await world.status(waiting)).toBe('in_qualification');

    // Exemption: the enrolment continues with the new member, the first module stays credited.
    const newLower = await world.person('detmold', 'lower');
    const exemption = await world.ok('post', `/tandems/${exempted.id}/member-change`, as('district', 'detmold'), {
      leavingPersonId: exempted.lower.id,
      joiningPersonId: newLower.id,
      exemptionReason: 'Vertretung bis Ende des Durchgangs, Modul 1 bereits gemeinsam besucht',
    });
    expect(exemption.enrolment).toMatchObject({
      id: exempted.enrolmentId,
      status: 'in_qualification',
      creditedModules: ['tandem-team'],
    });
    // The new member now receives the group's reminders; the one who left does not.
    await t.scheduler.advanceTo('2026-04-18T00:00:00Z');
    const instance = await world.ok(
      'get',
      `/instances/${(await world.ok('get', `/groups/${group.id}`, INSTITUTE)).instanceId}`,
      INSTITUTE,
    );
    const recipients = new Set(instance.pendingTimers.map((timer: { key: string }) => timer.key.split(':').pop()));
    expect(recipients.has(newLower.email)).toBe(true);
    expect(recipients.has(exempted.lower.email)).toBe(false);

    // A refused member change stores nothing: two upper members are no tandem.
    const before = await world.count('qual_tandems');
    const anotherUpper = await world.person('detmold', 'upper');
    const refused = await t.http
      .post(`/tandems/${exemption.tandem.id}/member-change`)
      .set(as('district', 'detmold'))
      .send({ leavingPersonId: newLower.id, joiningPersonId: anotherUpper.id })
      .expect(422);
    expect(refused.body.rule).toBe('tandem-one-lower-one-upper');
    expect(await world.count('qual_tandems')).toBe(before);
  });

  it('lets the institute see seats per district in proportion to need, and a moderator only its own groups', async () => {
    for (const [district, need] of [
      ['arnsberg', 5],
      ['detmold', 3],
      ['duesseldorf', 6],
      ['koeln', 5],
      ['muenster', 3],
    ] as const) {
      await world.ok('put', `/districts/${district}/need`, INSTITUTE, { need });
    }
    const a = await world.group('Gruppe A', []);
    await world.group('Gruppe B', []);
    await world.group('Gruppe C', []);
    const overview = await world.ok('get', '/overview', as('ministry', 'msb'));
    expect(overview.totalSeats).toBe(24);
    expect(
      Object.fromEntries(
        overview.districts.map((d: { id: string; allocatedSeats: number }) => [d.id, d.allocatedSeats]),
      ),
    ).toEqual({ arnsberg: 6, detmold: 3, duesseldorf: 7, koeln: 5, muenster: 3 });
    const own = await world.ok('get', '/groups', as('moderator', a.moderators[1]));
    expect(own.map((g: { name: string }) => g.name)).toEqual(['Gruppe A']);
    await t.http.get('/overview').set(as('district', 'koeln')).expect(403);
  });
});
