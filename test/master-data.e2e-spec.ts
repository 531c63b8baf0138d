/**
 * Master data: persons, tandems, Schulämter and networks listed, read and corrected in scope, every correction kept
 * (who, when, before and after), and a corrected address is where the next reminder goes: the pending reminder and
 * a dead-lettered message alike, delivered to a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { WorkflowEngine } from '../src/engine/workflow-engine.js';
import { everything, snapshot } from './support/tables.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const KOELN = as('district', 'koeln/m.schmidt');
const MUENSTER = as('district', 'muenster');

describe('master data', () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;
  let world: QualificationWorld;
  let koeln: Enrolment;
  let muenster: Enrolment;
  let group: Awaited<ReturnType<QualificationWorld['group']>>;

  /** Expects a refusal with this status and rule that wrote nothing. */
  async function refused(
    method: 'get' | 'patch',
    path: string,
    headers: Record<string, string>,
    status: number,
    rule: string,
    body?: object,
  ) {
    const before = await snapshot(t);
    const request = t.anonymous[method](path).set(headers);
    const response = await (body ? request.send(body) : request);
    expect({ path, status: response.status, rule: response.body.rule }).toEqual({ path, status, rule });
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await snapshot(t)).toBe(before);
  }

  const received = (email: string, template: string) =>
    sink.messages.filter(
      (m) => m.recipients.includes(email) && m.headers['x-lotse-template'] === `tandem-qualification/${template}`,
    );

  beforeAll(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z', config: { smtpUrl: sink.url } });
    world = new QualificationWorld(t);
    group = await world.group('Gruppe Rheinland');
    koeln = await world.registered('koeln');
    muenster = await world.registered('muenster');
    await world.place(koeln, group.id);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  describe('reading in scope', () => {
    it('lists persons by area: a district its own, the institute and the ministry everyone, with search', async () => {
      const own = (await t.http.get('/persons?pageSize=500').set(KOELN).expect(200)).body;
      expect(own.items.map((p: { districtId: string }) => p.districtId)).toEqual(own.items.map(() => 'koeln'));
      expect(own.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([koeln.lower.id, koeln.upper.id]),
      );
      expect(own.items.map((p: { id: string }) => p.id)).not.toContain(muenster.lower.id);
      const all = (await t.http.get('/persons?pageSize=500').set(INSTITUTE).expect(200)).body;
      expect(all.total).toBe(6);
      const found = (
        await t.http.get(`/persons?search=${encodeURIComponent(muenster.upper.email.toUpperCase())}`).expect(200)
      ).body;
      expect(found.items).toEqual([
        expect.objectContaining({
          id: muenster.upper.id,
          name: muenster.upper.name,
          email: muenster.upper.email,
          pseudonymised: false,
        }),
      ]);
      await refused('get', '/persons?district=muenster', KOELN, 403, 'district-own-area');
      await refused('get', '/persons', as('participant', koeln.lower.id), 403, 'role-may-act');
    });

    it('shows a person to its district, the institute, the ministry and the person itself, nobody else', async () => {
      for (const headers of [KOELN, INSTITUTE, as('ministry', 'msb'), as('participant', koeln.lower.id)]) {
        expect((await t.http.get(`/persons/${koeln.lower.id}`).set(headers).expect(200)).body).toMatchObject({
          id: koeln.lower.id,
          email: koeln.lower.email,
          districtId: 'koeln',
          supervision: 'lower',
        });
      }
      expect(
        (await t.http.get(`/persons/${group.moderators[0]}`).set(as('moderator', group.moderators[0])).expect(200)).body
          .supervision,
      ).toBeNull();
      await refused('get', `/persons/${koeln.lower.id}`, MUENSTER, 403, 'district-own-area');
      await refused('get', `/persons/${koeln.upper.id}`, as('participant', koeln.lower.id), 403, 'own-data');
      await refused('get', `/persons/${koeln.lower.id}`, as('moderator', group.moderators[0]), 403, 'own-data');
      await refused('get', `/persons/${group.moderators[0]}`, KOELN, 403, 'district-own-area');
      await refused('get', '/persons/0b9c1c2e-5a6f-4c43-9d1e-6a1f0f3b7c11', INSTITUTE, 404, 'person-exists');
    });

    it("lists tandems, Schulämter and networks of the own area, and refuses another district's", async () => {
      const tandems = (await t.http.get('/tandems').set(KOELN).expect(200)).body;
      expect(tandems.items).toEqual([
        expect.objectContaining({
          id: koeln.id,
          districtId: 'koeln',
          network: expect.objectContaining({ id: koeln.networkId }),
          members: [
            { id: koeln.lower.id, name: koeln.lower.name, supervision: 'lower' },
            { id: koeln.upper.id, name: koeln.upper.name, supervision: 'upper' },
          ],
        }),
      ]);
      expect((await t.http.get('/tandems').set(as('ministry', 'msb')).expect(200)).body.total).toBe(2);
      const offices = (await t.http.get('/school-offices').set(KOELN).expect(200)).body;
      expect(offices.items.map((o: { districtId: string }) => o.districtId)).toEqual(['koeln']);
      expect((await t.http.get(`/networks/${koeln.networkId}`).set(KOELN).expect(200)).body.districtId).toBe('koeln');
      await refused('get', `/tandems/${muenster.id}`, KOELN, 403, 'district-own-area');
      await refused('get', `/networks/${muenster.networkId}`, KOELN, 403, 'district-own-area');
      await refused('get', `/tandems/${koeln.id}`, as('participant', koeln.lower.id), 403, 'role-may-act');
    });
  });

  describe('correcting a person', () => {
    const corrected = 'lena.unter@schulamt-koeln.example.org';

    it('keeps who corrected what, when, from what to what, and writes an audit row', async () => {
      t.clock.set('2026-01-10T10:00:00Z');
      const answer = (
        await t.http
          .patch(`/persons/${koeln.lower.id}`)
          .set(KOELN)
          .send({ email: corrected.toUpperCase(), note: 'Tippfehler in der Adresse' })
          .expect(200)
      ).body;
      expect(answer).toMatchObject({ id: koeln.lower.id, email: corrected, corrected: ['email'] });
      // The enrolment's workflow copied the address at registration, the group's when the tandem took its seat;
      // the group's pending reminders carry it.
      expect(answer.copies.workflows).toBe(2);
      expect(answer.copies.reminders).toBeGreaterThan(0);
      const history = (
        await t.http.get(`/persons/${koeln.lower.id}/history`).set(as('participant', koeln.lower.id)).expect(200)
      ).body;
      expect(history).toEqual([
        {
          id: expect.any(Number),
          at: '2026-01-10T10:00:00.000Z',
          actor: { id: 'koeln/m.schmidt', role: 'district' },
          changes: { email: { from: koeln.lower.email, to: corrected } },
          note: 'Tippfehler in der Adresse',
        },
      ]);
      const audit = (await t.http.get(`/audit?person=${koeln.lower.id}&action=person.corrected`).expect(200)).body;
      expect(audit.items).toEqual([
        expect.objectContaining({
          at: '2026-01-10T10:00:00.000Z',
          actor: { id: 'koeln/m.schmidt', role: 'district' },
          action: 'person.corrected',
          subject: { type: 'person', id: koeln.lower.id },
          personId: koeln.lower.id,
          details: { fields: ['email'] },
        }),
      ]);
      // The workflow says so in its journal, and its context holds the corrected address.
      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE).expect(200)).body;
      const instance = (await t.http.get(`/instances/${enrolment.instanceId}`).set(INSTITUTE).expect(200)).body;
      expect(instance.context.members.find((m: { personId: string }) => m.personId === koeln.lower.id).email).toBe(
        corrected,
      );
      expect(JSON.stringify(instance)).not.toContain(koeln.lower.email);
      const journal = (await t.http.get(`/instances/${enrolment.instanceId}/journal`).set(INSTITUTE).expect(200)).body;
      expect(journal.at(-1)).toMatchObject({
        eventType: 'PERSON_CORRECTED',
        actorId: 'koeln/m.schmidt',
        actorRole: 'district',
        stateBefore: instance.state,
        stateAfter: instance.state,
        payload: { personId: koeln.lower.id, email: corrected },
      });
      expect(
        journal[0].payload.input.members.find((m: { personId: string }) => m.personId === koeln.lower.id).email,
      ).toBe(koeln.lower.email);
      // The group's roster holds the corrected address too, and its pending reminders go there.
      const groupInstance = (await t.http.get(`/groups/${group.id}`).set(INSTITUTE).expect(200)).body.instanceId;
      const held = (await t.http.get(`/instances/${groupInstance}`).set(INSTITUTE).expect(200)).body;
      expect(JSON.stringify(held.context)).not.toContain(koeln.lower.email);
      expect(held.pendingTimers.some((timer: { key: string }) => timer.key.endsWith(`:${corrected}`))).toBe(true);
      expect(held.pendingTimers.some((timer: { key: string }) => timer.key.endsWith(`:${koeln.lower.email}`))).toBe(
        false,
      );
      // The journal alone still gives each instance as stored, and the projections rebuilt from it are the same.
      const engine = t.app.get(WorkflowEngine);
      for (const id of [enrolment.instanceId, groupInstance]) {
        const stored = (await t.http.get(`/instances/${id}`).set(INSTITUTE)).body;
        expect(await engine.replay(id)).toMatchObject({
          state: stored.state,
          context: stored.context,
          revision: stored.revision,
        });
      }
      const tables = await everything(t);
      for (const id of [enrolment.instanceId, groupInstance]) await engine.rebuildProjections(id);
      expect(await everything(t)).toBe(tables);
    });

    it('sends the next reminder to the corrected address, and none to the old one', async () => {
      await t.scheduler.advanceTo('2026-02-16T12:00:00Z');
      expect(received(corrected, 'event-upcoming')).toHaveLength(1);
      expect(received(koeln.lower.email, 'event-upcoming')).toHaveLength(0);
      expect(received(koeln.upper.email, 'event-upcoming')).toHaveLength(1);
    });

    it('re-sends a message that bounced from a mistyped address to the corrected one', async () => {
      // Every message of the next reminder bounces, as if each address were mistyped.
      sink.refuseNext(100, 550);
      await t.scheduler.advanceTo('2026-02-27T12:00:00Z');
      sink.refuseNext(0);
      const failed = (
        await t.http
          .get(
            `/notifications?status=failed&instance=${(await t.http.get(`/groups/${group.id}`).set(INSTITUTE)).body.instanceId}`,
          )
          .set(INSTITUTE)
          .expect(200)
      ).body.items;
      const bounced = failed.find((n: { recipient: string }) => n.recipient === koeln.upper.email);
      expect(bounced).toBeDefined();
      const fixed = 'otto.ober@bezreg-koeln.example.org';
      const answer = (
        await t.http
          .patch(`/persons/${koeln.upper.id}`)
          .set(INSTITUTE)
          .send({ email: fixed, name: 'Dr. Otto Ober' })
          .expect(200)
      ).body;
      expect(answer.corrected.sort()).toEqual(['email', 'name']);
      expect(answer.copies.mails).toBeGreaterThanOrEqual(1);
      const again = (await t.http.get(`/notifications/${bounced.id}`).set(INSTITUTE).expect(200)).body;
      expect(again).toMatchObject({ status: 'failed', recipient: fixed });
      await t.http.post(`/notifications/${bounced.id}/resend`).set(INSTITUTE).expect(200);
      await t.scheduler.tick();
      const delivered = received(fixed, 'event-upcoming');
      expect(delivered).toHaveLength(1);
      expect(delivered[0].headers.to).toContain('Dr. Otto Ober');
      expect((await t.http.get(`/notifications/${bounced.id}`).set(INSTITUTE).expect(200)).body.status).toBe('sent');
    });

    it("corrects a moderator's address in the group's workflow too", async () => {
      const moderator = group.moderators[0];
      const fixed = 'mona.moderation@institut.example.org';
      const answer = (await t.http.patch(`/persons/${moderator}`).set(INSTITUTE).send({ email: fixed }).expect(200))
        .body;
      expect(answer.copies.workflows).toBe(1);
      await t.scheduler.advanceTo('2026-04-06T12:00:00Z');
      expect(received(fixed, 'event-upcoming')).toHaveLength(1);
    });

    it("follows the person's Schulamt: another one of the district, and the office printed on certificates with it", async () => {
      const other = (
        await t.http
          .post('/school-offices')
          .set(KOELN)
          .send({ name: 'Schulamt für den Rhein-Erft-Kreis', districtId: 'koeln' })
          .expect(201)
      ).body;
      const answer = (
        await t.http.patch(`/persons/${koeln.lower.id}`).set(KOELN).send({ schoolOfficeId: other.id }).expect(200)
      ).body;
      expect(answer).toMatchObject({ schoolOfficeId: other.id, office: 'Schulamt für den Rhein-Erft-Kreis' });
      expect(answer.corrected.sort()).toEqual(['office', 'schoolOfficeId']);
      // A correction that changes nothing writes nothing.
      const before = await snapshot(t);
      expect(
        (await t.http.patch(`/persons/${koeln.lower.id}`).set(KOELN).send({ schoolOfficeId: other.id }).expect(200))
          .body.corrected,
      ).toEqual([]);
      expect(await snapshot(t)).toBe(before);
    });

    it("refuses what is not a correction in the caller's scope, and writes nothing", async () => {
      const path = `/persons/${koeln.lower.id}`;
      await refused('patch', path, MUENSTER, 403, 'district-own-area', { email: 'x@example.org' });
      await refused('patch', path, as('participant', koeln.lower.id), 403, 'role-may-act', { email: 'x@example.org' });
      await refused('patch', path, as('moderator', group.moderators[0]), 403, 'role-may-act', {
        email: 'x@example.org',
      });
      await refused('patch', '/persons/0b9c1c2e-5a6f-4c43-9d1e-6a1f0f3b7c11', INSTITUTE, 404, 'person-exists', {
        email: 'x@example.org',
      });
      await refused('patch', path, KOELN, 400, 'request-schema', { email: 'keine-adresse' });
      await refused('patch', path, KOELN, 400, 'request-schema', { email: null });
      await refused('patch', path, KOELN, 400, 'request-schema', { name: null, language: 'de' });
      await refused('patch', path, KOELN, 400, 'request-schema', { districtId: 'muenster' });
      await refused('patch', path, KOELN, 400, 'request-schema', { supervision: 'upper' });
      await refused('patch', path, KOELN, 422, 'correction-names-a-field', {});
      await refused('patch', `/persons/${koeln.upper.id}`, KOELN, 422, 'lower-supervision-at-schulamt', {
        schoolOfficeId: (await t.http.get('/school-offices').set(KOELN)).body.items[0].id,
      });
      const muensterOffice = (await t.http.get('/school-offices').set(MUENSTER)).body.items[0].id;
      await refused('patch', path, INSTITUTE, 422, 'lower-supervision-at-schulamt', { schoolOfficeId: muensterOffice });
    });
  });

  describe('correcting tandems, Schulämter and networks', () => {
    it('moves a tandem not yet nominated to another network of its district, and refuses it once nominated', async () => {
      const tandem = await world.tandem('koeln');
      const network = await world.network('koeln');
      const moved = (
        await t.http
          .patch(`/tandems/${tandem.id}`)
          .set(KOELN)
          .send({ networkId: network, note: 'falsches Netzwerk gewählt' })
          .expect(200)
      ).body;
      expect(moved.network.id).toBe(network);
      expect((await t.http.get(`/tandems/${tandem.id}/history`).set(INSTITUTE).expect(200)).body).toEqual([
        expect.objectContaining({
          actor: { id: 'koeln/m.schmidt', role: 'district' },
          changes: { networkId: { from: tandem.networkId, to: network } },
          note: 'falsches Netzwerk gewählt',
        }),
      ]);
      await refused('patch', `/tandems/${koeln.id}`, KOELN, 422, 'tandem-network-before-nomination', {
        networkId: network,
      });
      await refused('patch', `/tandems/${tandem.id}`, KOELN, 403, 'district-own-area', {
        networkId: muenster.networkId,
      });
      await refused('patch', `/tandems/${tandem.id}`, MUENSTER, 403, 'district-own-area', {
        networkId: muenster.networkId,
      });
      await refused('patch', `/tandems/${tandem.id}`, INSTITUTE, 403, 'role-may-act', { networkId: network });
      await refused('patch', `/tandems/${tandem.id}`, KOELN, 400, 'request-schema', {
        lowerMemberId: koeln.lower.id,
        networkId: network,
      });
    });

    it("renames a Schulamt, and its officials' office follows as a correction of theirs", async () => {
      const official = await world.person('koeln', 'lower');
      const office = (await t.http.get(`/persons/${official.id}`).set(KOELN)).body;
      const renamed = (
        await t.http
          .patch(`/school-offices/${office.schoolOfficeId}`)
          .set(KOELN)
          .send({ name: 'Schulamt für die Stadt Leverkusen' })
          .expect(200)
      ).body;
      expect(renamed.name).toBe('Schulamt für die Stadt Leverkusen');
      expect((await t.http.get(`/persons/${official.id}`).set(KOELN)).body.office).toBe(
        'Schulamt für die Stadt Leverkusen',
      );
      expect(
        (await t.http.get(`/persons/${official.id}/history`).set(KOELN)).body.map(
          (c: { changes: object }) => c.changes,
        ),
      ).toEqual([{ office: { from: office.office, to: 'Schulamt für die Stadt Leverkusen' } }]);
      expect((await t.http.get(`/school-offices/${office.schoolOfficeId}/history`).set(INSTITUTE)).body).toHaveLength(
        1,
      );
      await refused('patch', `/school-offices/${office.schoolOfficeId}`, MUENSTER, 403, 'district-own-area', {
        name: 'Schulamt Irgendwo',
      });
      await refused('patch', `/school-offices/${office.schoolOfficeId}`, as('ministry', 'msb'), 403, 'role-may-act', {
        name: 'Schulamt Irgendwo',
      });
    });

    it('renames a network, and the enrolment that copied its name carries the new one', async () => {
      const answer = (
        await t.http
          .patch(`/networks/${koeln.networkId}`)
          .set(KOELN)
          .send({ name: 'Regionales Bildungsnetzwerk Köln' })
          .expect(200)
      ).body;
      expect(answer).toMatchObject({ name: 'Regionales Bildungsnetzwerk Köln', copies: { workflows: 1 } });
      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE).expect(200)).body;
      expect(enrolment.network.name).toBe('Regionales Bildungsnetzwerk Köln');
      expect((await t.http.get(`/instances/${enrolment.instanceId}`).set(INSTITUTE)).body.context.networkName).toBe(
        'Regionales Bildungsnetzwerk Köln',
      );
      expect((await t.http.get(`/networks/${koeln.networkId}/history`).set(KOELN)).body).toHaveLength(1);
      await refused('patch', `/networks/${koeln.networkId}`, MUENSTER, 403, 'district-own-area', {
        name: 'Netzwerk Irgendwo',
      });
      await refused('patch', `/networks/${koeln.networkId}`, KOELN, 400, 'request-schema', { name: 'x' });
    });
  });
});
