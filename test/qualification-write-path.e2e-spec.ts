import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WriteSerializer } from '../src/engine/persistence/write-serializer.js';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';
import { CURRICULUM, INSTITUTE, QualificationWorld } from './qualification-world.js';

/** The tables the qualification's workflows project. */
const PROJECTED = [
  'qual_groups',
  'qual_events',
  'qual_reflection_phases',
  'qual_attendance',
  'qual_group_places',
  'qual_enrolments',
  'qual_certificates',
  'qual_exchange_invitations',
];
const ALL_TABLES = [
  ...PROJECTED,
  'qual_districts',
  'qual_school_offices',
  'qual_networks',
  'qual_persons',
  'qual_tandems',
  'qual_moderator_tandems',
  'qual_evaluations',
  'qual_exchanges',
  'workflow_instances',
  'journal',
  'timers',
  'outbox',
];

describe('tandem qualification on the engine write path', () => {
  let t: TestApp;
  let world: QualificationWorld;

  eachTestOnApp({ now: '2026-01-05T09:00:00Z' }, (app) => {
    t = app;
    world = new QualificationWorld(t);
  });

  const db = () => t.app.get(DataSource);
  const query = (sql: string, parameters: unknown[] = []) => db().query(sql, parameters);

  /** Journal rows of one instance as [event type, at]. */
  async function journal(instanceId: string): Promise<string[]> {
    return (await t.engine.journal(instanceId)).map((entry) => entry.eventType);
  }

  async function groupInstance(groupId: string): Promise<string> {
    return (await world.ok('get', `/groups/${groupId}`, INSTITUTE)).instanceId;
  }

  async function enrolmentInstance(enrolmentId: string): Promise<string> {
    return (await world.ok('get', `/enrolments/${enrolmentId}`, INSTITUTE)).instanceId;
  }

  it('makes each user action one command: one journal row per instance it touched, named by what happened', async () => {
    const group = await world.group('Gruppe Sauerland', CURRICULUM, 4);
    const tandems = [];
    for (let i = 0; i < 5; i++) tandems.push(await world.registered('arnsberg'));
    for (const tandem of tandems) await world.place(tandem, group.id);
    const groupId = await groupInstance(group.id);
    expect(await journal(groupId)).toEqual([
      'created',
      'CURRICULUM_SET',
      'TANDEM_PLACED',
      'TANDEM_PLACED',
      'TANDEM_PLACED',
      'TANDEM_PLACED',
      'TANDEM_WAITLISTED',
    ]);
    expect(await journal(await enrolmentInstance(tandems[0].enrolmentId))).toEqual([
      'created',
      'INVOLVEMENT_RECORDED',
      'INVOLVEMENT_RECORDED',
      'REGISTRATION_SUBMITTED',
      'TANDEM_PLACED',
    ]);
    const rows = async () => Number((await query('SELECT COUNT(*) AS n FROM journal'))[0].n);

    // Attendance and a reflection phase concern the group alone: one row each, however many tandems it seats.
    await t.scheduler.advanceTo('2026-03-03T15:00:00Z');
    let before = await rows();
    await world.attendance(
      group.events[0].id,
      group.moderators[0],
      tandems.slice(0, 4).flatMap((x) => [x.lower.id, x.upper.id]),
    );
    await t.scheduler.advanceTo('2026-04-13T12:00:00Z');
    await world.ok(
      'post',
      `/reflection-phases/${group.reflectionPhases[0].id}/closure`,
      as('moderator', group.moderators[0]),
    );
    expect(await rows()).toBe(before + 2);
    expect((await journal(groupId)).slice(-3)).toEqual([
      'due.qualificationStarts',
      'ATTENDANCE_RECORDED',
      'REFLECTION_CLOSED',
    ]);

    // A withdrawal with move-up: the group, the withdrawn and the moved-up enrolment, in one transaction.
    before = await rows();
    await world.ok('post', `/enrolments/${tandems[1].enrolmentId}/withdrawal`, as('district', 'arnsberg'), {
      reason: 'Wechsel in eine andere Funktion',
    });
    expect(await rows()).toBe(before + 4);
    expect((await journal(groupId)).slice(-2)).toEqual(['TANDEM_LEFT', 'TANDEM_MOVED_UP']);
    expect((await journal(await enrolmentInstance(tandems[1].enrolmentId))).at(-1)).toBe('TANDEM_WITHDRAWN');
    expect((await journal(await enrolmentInstance(tandems[4].enrolmentId))).at(-1)).toBe('TANDEM_MOVED_UP');
    const committed: { at: string }[] = await query(
      'SELECT DISTINCT at FROM journal WHERE id > (SELECT MAX(id) - 4 FROM journal)',
    );
    expect(committed).toHaveLength(1);
    expect(Number((await query("SELECT COUNT(*) AS n FROM journal WHERE event_type = 'SCHEDULE_UPDATED'"))[0].n)).toBe(
      0,
    );
  });

  /** Every row of the projected tables, as sorted JSON. */
  async function projected(): Promise<Record<string, string[]>> {
    const dump: Record<string, string[]> = {};
    for (const table of PROJECTED)
      dump[table] = (await query(`SELECT * FROM ${table}`)).map((row: object) => JSON.stringify(row)).sort();
    return dump;
  }

  it('keeps the qualification tables equal to what the journals replay, through requests and timers', async () => {
    const group = await world.group('Gruppe Niederrhein', CURRICULUM, 2);
    const other = await world.group('Gruppe Bergisches Land', [
      { module: 'tandem-team', days: ['2026-03-09', '2026-03-10'], hours: 16, place: 'Wuppertal' },
      { module: 'regional-education-management', days: ['2026-05-04', '2026-05-05'], hours: 16, place: 'Wuppertal' },
      { module: 'cooperation-interfaces', days: ['2026-10-05', '2026-10-06'], hours: 16, place: 'Wuppertal' },
    ]);
    const [a, b, c] = [
      await world.registered('duesseldorf'),
      await world.registered('duesseldorf'),
      await world.registered('koeln'),
    ];
    for (const tandem of [a, b, c]) await world.place(tandem, group.id);
    const moderator = group.moderators[0];
    // The institute moves the last event before anything happens.
    await world.ok('post', `/events/${group.events[3].id}/changes`, INSTITUTE, {
      days: ['2026-09-21', '2026-09-22'],
      reason: 'Tagungshaus belegt',
    });
    for (const event of group.events.slice(0, 3)) {
      await t.scheduler.advanceTo(`${event.days[1]}T15:00:00Z`);
      await world.attendance(event.id, moderator, [a.lower.id, a.upper.id, b.lower.id, b.upper.id]);
    }
    await t.scheduler.advanceTo('2026-09-22T15:00:00Z');
    // b misses the last event, then withdraws; c moves up.
    await world.attendance(group.events[3].id, moderator, [a.lower.id, a.upper.id], [b.lower.id, b.upper.id]);
    await world.ok('post', `/enrolments/${b.enrolmentId}/withdrawal`, INSTITUTE, { reason: 'Stellenwechsel' });
    await world.ok('post', `/reflection-phases/${group.reflectionPhases[0].id}/closure`, INSTITUTE);
    await world.ok('post', `/enrolments/${a.enrolmentId}/certificates`, INSTITUTE);
    await t.scheduler.advanceTo('2026-10-06T15:00:00Z');
    await world.attendance(other.events[2].id, other.moderators[0], [c.lower.id, c.upper.id]);
    await world.ok('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' });
    const newUpper = await world.person('duesseldorf', 'upper');
    await world.ok('post', `/tandems/${a.id}/member-change`, as('district', 'duesseldorf'), {
      leavingPersonId: a.upper.id,
      joiningPersonId: newUpper.id,
      exemptionReason: 'Nachfolge im Amt, Qualifizierung bereits abgeschlossen',
    });

    const stored = await projected();
    expect(stored.qual_certificates).toHaveLength(2);
    expect(stored.qual_exchange_invitations).toHaveLength(1);
    const instances: { id: string }[] = await query(
      "SELECT id FROM workflow_instances WHERE definition IN ('tandem-qualification', 'qualification-group')",
    );
    expect(instances).toHaveLength(5);
    for (const { id } of instances) {
      const replayed = await t.engine.rebuildProjections(id);
      const instance = await t.engine.get(id);
      expect(replayed).toEqual({
        id,
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
    expect(await projected()).toEqual(stored);

    // The rebuild writes from the journal, not from the tables: rows changed behind the engine's back are restored.
    await t.app.get(WriteSerializer).transaction(async (em) => {
      await em.query("UPDATE qual_group_places SET status = 'seated'");
      await em.query('DELETE FROM qual_attendance');
      await em.query("UPDATE qual_enrolments SET state = 'nominated', open_tandem_id = NULL");
    });
    expect(await projected()).not.toEqual(stored);
    for (const { id } of instances) await t.engine.rebuildProjections(id);
    expect(await projected()).toEqual(stored);
  });

  /** A fingerprint of everything stored: rows per table. */
  async function fingerprint(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ALL_TABLES) counts[table] = Number((await query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return counts;
  }

  it('answers a repeat of every qualification write under the same Idempotency-Key with the first answer, writing nothing', async () => {
    let n = 0;
    /** Sends a request twice under one key: the same answer both times, nothing stored by the second. */
    async function twice(method: 'post' | 'put', path: string, headers: Record<string, string>, body: object = {}) {
      const key = `key-${++n}`;
      const first = await t.http[method](path)
        .set({ ...headers, 'Idempotency-Key': key })
        .send(body);
      if (first.status >= 300)
        throw new Error(`${method} ${path} answered ${first.status}: ${JSON.stringify(first.body)}`);
      const stored = await fingerprint();
      const again = await t.http[method](path)
        .set({ ...headers, 'Idempotency-Key': key })
        .send(body);
      expect({ path, status: again.status, body: again.body }).toEqual({
        path,
        status: first.status,
        body: first.body,
      });
      expect(await fingerprint()).toEqual(stored);
      return first.body;
    }
    const koeln = as('district', 'koeln');
    await twice('put', '/districts/koeln/need', INSTITUTE, { need: 4 });
    const office = await twice('post', '/school-offices', koeln, {
      name: 'Schulamt für die Stadt Köln',
      districtId: 'koeln',
    });
    const network = await twice('post', '/networks', koeln, { name: 'Bildungsnetzwerk Köln', districtId: 'koeln' });
    const person = (name: string, supervision: 'lower' | 'upper', extra = {}) =>
      twice('post', '/persons', koeln, {
        name,
        email: `${name.split(' ')[0].toLowerCase()}@koeln.example.org`,
        supervision,
        districtId: 'koeln',
        ...extra,
      });
    const lower = await person('Lena Unter', 'lower', { schoolOfficeId: office.id });
    const upper = await person('Otto Ober', 'upper');
    const tandem = await twice('post', '/tandems', koeln, {
      networkId: network.id,
      lowerMemberId: lower.id,
      upperMemberId: upper.id,
    });
    const enrolment = await twice('post', '/enrolments', koeln, { tandemId: tandem.id });
    await twice('post', `/enrolments/${enrolment.id}/involvements`, koeln, {
      body: 'staff-council',
      on: '2026-01-05',
      outcome: 'consent',
    });
    await twice('post', `/enrolments/${enrolment.id}/involvements`, koeln, {
      body: 'equal-opportunities',
      on: '2026-01-05',
    });
    await twice('post', `/enrolments/${enrolment.id}/submission`, koeln);
    const mona = await twice('post', '/persons', INSTITUTE, {
      name: 'Mona Moderation',
      email: 'mona@institut.example.org',
    });
    const max = await twice('post', '/persons', INSTITUTE, {
      name: 'Max Moderation',
      email: 'max@institut.example.org',
    });
    const moderators = await twice('post', '/moderator-tandems', as('ministry', 'msb'), {
      firstMemberId: mona.id,
      secondMemberId: max.id,
    });
    const group = await twice('post', '/groups', INSTITUTE, { name: 'Gruppe Köln', moderatorTandemId: moderators.id });
    await twice('put', `/groups/${group.id}/moderator-tandem`, INSTITUTE, { moderatorTandemId: moderators.id });
    const planned = await twice('post', `/groups/${group.id}/curriculum`, INSTITUTE, {
      events: CURRICULUM.slice(0, 3),
    });
    const extended = await twice('post', `/groups/${group.id}/events`, INSTITUTE, {
      ...CURRICULUM[3],
      reason: 'Vertiefung auf Wunsch der Tandems',
    });
    const extra = extended.events.find((e: { module: string }) => e.module === CURRICULUM[3].module);
    await twice('post', `/events/${extra.id}/changes`, INSTITUTE, { place: 'Köln', reason: 'Raumwechsel' });
    await twice('post', `/events/${extra.id}/cancellation`, INSTITUTE, { reason: 'Referentin erkrankt' });
    const placed = await twice('post', `/enrolments/${enrolment.id}/placement`, INSTITUTE, { groupId: group.id });
    expect(placed.status).toBe('placed');
    const both = {
      entries: [
        { personId: lower.id, present: true },
        { personId: upper.id, present: true },
      ],
    };
    await t.scheduler.advanceTo('2026-03-03T15:00:00Z');
    await twice('post', `/events/${planned.events[0].id}/attendance`, as('moderator', mona.id), both);
    await twice('post', `/events/${planned.events[0].id}/evaluations`, as('participant', lower.id), { rating: 5 });
    await twice('post', `/reflection-phases/${planned.reflectionPhases[0].id}/closure`, as('moderator', mona.id));
    for (const event of planned.events.slice(1)) {
      await t.scheduler.advanceTo(`${event.days[1]}T15:00:00Z`);
      await twice('post', `/events/${event.id}/attendance`, INSTITUTE, both);
    }
    await twice('post', `/enrolments/${enrolment.id}/certificates`, INSTITUTE);
    await twice('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' });
    const [invitation] = (await world.ok('get', `/persons/${lower.id}/tasks`, as('participant', lower.id))).filter(
      (task: { kind: string }) => task.kind === 'exchange-answer',
    );
    await twice('post', `/exchange-invitations/${invitation.id}/answer`, as('participant', lower.id), { accept: true });
    const joining = await person('Nora Neu', 'upper');
    await twice('post', `/tandems/${tandem.id}/member-change`, koeln, {
      leavingPersonId: upper.id,
      joiningPersonId: joining.id,
    });

    // A second tandem withdraws: the same again.
    const second = await world.registered('koeln');
    await twice('post', `/enrolments/${second.enrolmentId}/withdrawal`, koeln, {
      reason: 'Wechsel in eine andere Funktion',
    });

    // The same key for another request is refused and changes nothing.
    const stored = await fingerprint();
    const reused = await t.http
      .post(`/enrolments/${second.enrolmentId}/withdrawal`)
      .set({ ...koeln, 'Idempotency-Key': `key-${n}` })
      .send({ reason: 'ein anderer Grund' })
      .expect(422);
    expect(reused.body.rule).toBe('idempotency-key-reused');
    expect(await fingerprint()).toEqual(stored);
  });

  it('registers a tandem once and seats one tandem in a full group, when requests arrive at once', async () => {
    const tandem = await world.tandem('muenster');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http.post('/enrolments').set(as('district', 'muenster')).send({ tandemId: tandem.id }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(422)]);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.rule === 'one-enrolment-per-tandem')).toBe(true);
    expect(await world.count('qual_enrolments')).toBe(1);

    const group = await world.group('Gruppe Münsterland', CURRICULUM, 1);
    const enrolments = [];
    for (let i = 0; i < 6; i++) enrolments.push(await world.registered('muenster'));
    const placements = await Promise.all(
      enrolments.map((e) =>
        t.http.post(`/enrolments/${e.enrolmentId}/placement`).set(INSTITUTE).send({ groupId: group.id }),
      ),
    );
    expect(placements.map((p) => p.status)).toEqual(Array(6).fill(200));
    expect(placements.map((p) => p.body.status).sort()).toEqual(['placed', ...Array(5).fill('waitlisted')]);
    expect(placements.map((p) => p.body.waitlistPosition).sort()).toEqual([1, 2, 3, 4, 5, null]);
  });
});
