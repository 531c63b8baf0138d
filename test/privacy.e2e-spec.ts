/**
 * Data protection (DSGVO): a person's export (Art. 15), erasure and pseudonymisation (Art. 17) across every copy
 * Lotse keeps (workflow contexts, journal, reminders, mail and its .eml files), a certificate that still verifies
 * without contact data, and the retention job on the fake clock.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountsService } from '../src/auth/accounts.service.js';
import { WorkflowEngine } from '../src/engine/workflow-engine.js';
import { RetentionJob } from '../src/privacy/retention.job.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { everything, snapshot } from './support/tables.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const MINISTRY = as('ministry', 'msb-datenschutz');

describe('data protection', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let koeln: Enrolment;
  let muenster: Enrolment;
  let group: Awaited<ReturnType<QualificationWorld['group']>>;
  let certificates: { id: string; personId: string; code: string; name: string }[];

  async function refused(
    method: 'get' | 'post' | 'patch',
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
    expect(await snapshot(t)).toBe(before);
    return response.body;
  }

  const emlFiles = () =>
    readdirSync(join(workspace, 'outbox')).map((file) => readFileSync(join(workspace, 'outbox', file), 'utf8'));

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

  describe('while the qualification runs', () => {
    it('refuses to erase a member of a running enrolment, or a moderator with events ahead, writing nothing', async () => {
      const body = { reference: 'DS-2026-001' };
      const problem = await refused(
        'post',
        `/persons/${muenster.lower.id}/erasure`,
        MINISTRY,
        422,
        'erasure-after-participation',
        body,
      );
      expect(problem.participations).toEqual([{ kind: 'enrolment', id: muenster.enrolmentId, state: 'registered' }]);
      await refused(
        'post',
        `/persons/${group.moderators[0]}/erasure`,
        MINISTRY,
        422,
        'erasure-after-participation',
        body,
      );
      await refused('post', `/persons/${muenster.lower.id}/erasure`, INSTITUTE, 403, 'role-may-act', body);
      await refused(
        'post',
        `/persons/${muenster.lower.id}/erasure`,
        as('participant', muenster.lower.id),
        403,
        'role-may-act',
        body,
      );
      await refused('post', `/persons/${muenster.lower.id}/erasure`, MINISTRY, 400, 'request-schema', {});
      await refused(
        'post',
        '/persons/0b9c1c2e-5a6f-4c43-9d1e-6a1f0f3b7c11/erasure',
        MINISTRY,
        404,
        'person-exists',
        body,
      );
    });

    it('erases a person nothing refers to, and keeps only the audit rows naming its id', async () => {
      const stray = await world.person('koeln', 'upper');
      await t.http.patch(`/persons/${stray.id}`).set(INSTITUTE).send({ name: 'Otto Oberst' }).expect(200);
      const answer = (
        await t.http.post(`/persons/${stray.id}/erasure`).set(MINISTRY).send({ reference: 'DS-2026-002' }).expect(200)
      ).body;
      expect(answer).toMatchObject({ personId: stray.id, outcome: 'erased', kept: [] });
      await t.http.get(`/persons/${stray.id}`).expect(404);
      const stored = await everything(t);
      expect(stored).not.toContain(stray.email);
      expect(stored).not.toContain('Otto Oberst');
      const rows = (await t.http.get(`/audit?person=${stray.id}`).expect(200)).body.items.map(
        (row: { action: string }) => row.action,
      );
      expect(rows).toEqual(['person.created', 'person.corrected', 'person.erased']);
    });
  });

  describe('after the qualification', () => {
    beforeAll(async () => {
      for (const event of group.events) {
        await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T14:00:00Z`);
        await world.attendance(event.id, group.moderators[0], [koeln.lower.id, koeln.upper.id]);
      }
      await t.scheduler.advanceTo('2026-09-21T10:00:00Z');
      certificates = await world.ok('post', `/enrolments/${koeln.enrolmentId}/certificates`, INSTITUTE);
      await t.scheduler.advanceTo('2026-09-21T10:05:00Z');
      await t.app.get(AccountsService).create({
        username: 'lena.unter',
        password: 'ein langes Passwort',
        role: 'participant',
        actorId: koeln.lower.id,
        name: koeln.lower.name,
      });
      await t.http.get(`/persons/${koeln.lower.id}/schedule`).set(INSTITUTE).expect(200);
    }, 120_000);

    it("exports everything about a person as JSON, without the partner's address", async () => {
      const data = (
        await t.http.get(`/persons/${koeln.lower.id}/export`).set(as('participant', koeln.lower.id)).expect(200)
      ).body;
      expect(data.person).toMatchObject({
        id: koeln.lower.id,
        name: koeln.lower.name,
        email: koeln.lower.email,
        pseudonymised: false,
      });
      expect(data.tandems).toEqual([
        expect.objectContaining({
          id: koeln.id,
          role: 'lower',
          partner: { id: koeln.upper.id, name: koeln.upper.name },
        }),
      ]);
      expect(data.enrolments).toEqual([
        expect.objectContaining({ id: koeln.enrolmentId, state: 'completed', staffCouncilOn: '2026-01-05' }),
      ]);
      expect(data.attendance).toHaveLength(4);
      expect(data.attendance.every((a: { present: boolean }) => a.present)).toBe(true);
      expect(data.certificates).toEqual([
        expect.objectContaining({
          code: certificates.find((c) => c.personId === koeln.lower.id)!.code,
          name: koeln.lower.name,
          hours: 64,
        }),
      ]);
      // The enrolment and the group whose roster holds the person.
      expect(data.workflows.map((w: { definition: string }) => w.definition).sort()).toEqual([
        'qualification-group',
        'tandem-qualification',
      ]);
      expect(data.journal.map((j: { event: string }) => j.event)).toEqual(
        expect.arrayContaining([
          'created',
          'REGISTRATION_SUBMITTED',
          'TANDEM_PLACED',
          'ATTENDANCE_RECORDED',
          'CERTIFICATES_ISSUED',
        ]),
      );
      const templates = data.mails.map((m: { template: string }) => m.template);
      expect(templates).toEqual(
        expect.arrayContaining(['tandem-qualification/event-upcoming', 'tandem-qualification/certificate-issued']),
      );
      expect(data.mails.every((m: { to: { email: string } }) => m.to.email === koeln.lower.email)).toBe(true);
      expect(data.audit.map((a: { action: string }) => a.action)).toEqual(
        expect.arrayContaining(['personal-data.read', 'account.created']),
      );
      expect(data.signIn.accounts).toEqual([
        expect.objectContaining({ username: 'lena.unter', role: 'participant', disabledAt: null }),
      ]);
      // The partner's name is part of the person's tandem; the partner's address is not the person's to receive.
      expect(JSON.stringify(data)).toContain(koeln.upper.name);
      expect(JSON.stringify(data)).not.toContain(koeln.upper.email);
    });

    it('logs the ministry exporting someone, and refuses any other exporter', async () => {
      const before = (await t.http.get(`/audit?person=${koeln.upper.id}&action=person-data.exported`)).body.total;
      await t.http.get(`/persons/${koeln.upper.id}/export`).set(MINISTRY).expect(200);
      expect((await t.http.get(`/audit?person=${koeln.upper.id}&action=person-data.exported`)).body.total).toBe(
        before + 1,
      );
      await refused('get', `/persons/${koeln.upper.id}/export`, as('participant', koeln.lower.id), 403, 'own-data');
      await refused('get', `/persons/${koeln.upper.id}/export`, as('moderator', group.moderators[0]), 403, 'own-data');
      await refused('get', `/persons/${koeln.upper.id}/export`, INSTITUTE, 403, 'role-may-act');
      await refused('get', `/persons/${koeln.upper.id}/export`, as('district', 'koeln'), 403, 'role-may-act');
    });

    it('pseudonymises a member with a certificate: no name or address left outside the certificate, which still verifies', async () => {
      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE)).body;
      const code = certificates.find((c) => c.personId === koeln.lower.id)!.code;
      expect(emlFiles().some((mail) => mail.includes(koeln.lower.email))).toBe(true);
      expect(await everything(t)).toContain(koeln.lower.email);

      const answer = (
        await t.http
          .post(`/persons/${koeln.lower.id}/erasure`)
          .set(MINISTRY)
          .send({ reference: 'DS-2026-014' })
          .expect(200)
      ).body;
      expect(answer).toMatchObject({ personId: koeln.lower.id, outcome: 'pseudonymised' });
      expect(answer.kept.join(' ')).toContain('certificate');
      expect(answer.copies.workflows).toBe(2);
      expect(answer.copies.history).toBeGreaterThanOrEqual(1);
      expect(answer.copies.mails).toBeGreaterThan(3);

      // The address is nowhere: not in any table, not in any .eml file; the name only on the certificate.
      const stored = JSON.parse(await everything(t)) as Record<string, unknown[]>;
      expect(JSON.stringify(stored)).not.toContain(koeln.lower.email);
      const { qual_certificates: certificateRows, ...rest } = stored;
      // The certificates the enrolment issued (its context and the journal row that issued them) keep the name, as
      // the certificate rows projected from them do; nowhere else.
      const issuedTo = new RegExp(`personName(\\\\)*":(\\\\)*"${koeln.lower.name}`, 'g');
      expect(JSON.stringify(rest).replace(issuedTo, '')).not.toContain(koeln.lower.name);
      expect(JSON.stringify(certificateRows)).toContain(koeln.lower.name);
      expect(emlFiles().some((mail) => mail.includes(koeln.lower.email))).toBe(false);
      expect(emlFiles().some((mail) => mail.includes(koeln.upper.email))).toBe(true);

      const verified = (await t.anonymous.get(`/certificates/verify/${code}`).expect(200)).body;
      expect(verified).toMatchObject({ valid: true, code, name: koeln.lower.name, hours: 64 });
      expect(JSON.stringify(verified)).not.toMatch(/@|pseudonym/i);

      const person = (await t.http.get(`/persons/${koeln.lower.id}`).expect(200)).body;
      expect(person).toMatchObject({
        name: `Pseudonym ${koeln.lower.id.slice(0, 8)}`,
        email: null,
        pseudonymised: true,
        supervision: 'lower',
        districtId: 'koeln',
      });
      // The partner and the tandem stay as they were; the workflow says who pseudonymised, and when.
      const instance = (await t.http.get(`/instances/${enrolment.instanceId}`).set(INSTITUTE)).body;
      expect(instance.context.members.map((m: { email: string }) => m.email)).toEqual([
        `pseudonymised:${koeln.lower.id}`,
        koeln.upper.email,
      ]);
      expect(instance.state).toBe('completed');
      const journal = (await t.http.get(`/instances/${enrolment.instanceId}/journal`).set(INSTITUTE)).body;
      expect(journal.at(-1)).toMatchObject({
        eventType: 'PERSON_PSEUDONYMISED',
        actorId: 'msb-datenschutz',
        actorRole: 'ministry',
        stateAfter: 'completed',
      });
      // Contexts changed through the engine and journal payloads rewritten alike: the journal still gives each
      // instance as stored, and the projections rebuilt from it (the certificate with its name) are the same.
      const engine = t.app.get(WorkflowEngine);
      const groupInstance = (await t.http.get(`/groups/${group.id}`).set(INSTITUTE)).body.instanceId;
      for (const id of [enrolment.instanceId, groupInstance]) {
        const held = (await t.http.get(`/instances/${id}`).set(INSTITUTE)).body;
        expect(await engine.replay(id)).toMatchObject({
          state: held.state,
          context: held.context,
          revision: held.revision,
        });
      }
      const tables = await everything(t);
      for (const id of [enrolment.instanceId, groupInstance]) await engine.rebuildProjections(id);
      expect(await everything(t)).toBe(tables);
      expect(
        (await t.http.get(`/audit?person=${koeln.lower.id}&action=person.pseudonymised`)).body.items[0],
      ).toMatchObject({
        actor: { id: 'msb-datenschutz', role: 'ministry' },
        details: expect.objectContaining({ reference: 'DS-2026-014' }),
      });
      // The person can no longer sign in, and the record is no longer corrected.
      expect(
        (await t.anonymous.post('/auth/token').send({ username: 'lena.unter', password: 'ein langes Passwort' }))
          .status,
      ).toBe(401);
      await refused('patch', `/persons/${koeln.lower.id}`, INSTITUTE, 422, 'person-pseudonymised', {
        email: 'neu@example.org',
      });
    });

    it('answers a repeated request with the same outcome and writes nothing', async () => {
      const before = await snapshot(t);
      const again = (
        await t.http
          .post(`/persons/${koeln.lower.id}/erasure`)
          .set(MINISTRY)
          .send({ reference: 'DS-2026-014' })
          .expect(200)
      ).body;
      expect(again.outcome).toBe('pseudonymised');
      expect(await snapshot(t)).toBe(before);
    });
  });

  describe('a pseudonymised alumnus', () => {
    it("stays in the tandem's record; the exchange invitation to them reaches no one, their partner's goes out", async () => {
      await t.http.post('/exchanges').set(INSTITUTE).send({ on: '2027-06-10', place: 'Düsseldorf' }).expect(201);
      await t.scheduler.advanceTo('2027-04-16T12:00:00Z');
      const enrolment = (await t.http.get(`/enrolments/${koeln.enrolmentId}`).set(INSTITUTE)).body;
      expect(enrolment.status).toBe('alumni');
      const mails = (
        await t.http.get(`/notifications?instance=${enrolment.instanceId}&pageSize=500`).set(INSTITUTE)
      ).body.items.filter((n: { template: string }) => n.template === 'tandem-qualification/exchange-invitation');
      expect(mails.map((n: { recipient: string; status: string }) => [n.recipient, n.status]).sort()).toEqual(
        [
          [koeln.upper.email, 'sent'],
          [`pseudonymised:${koeln.lower.id}`, 'failed'],
        ].sort(),
      );
      expect(emlFiles().some((mail) => mail.includes(koeln.lower.id))).toBe(false);
    });
  });

  describe('retention', () => {
    it('pseudonymises, once a day on the clock, the members of an enrolment that ended more than five years ago', async () => {
      await t.http
        .post(`/enrolments/${muenster.enrolmentId}/withdrawal`)
        .set(as('district', 'muenster'))
        .send({ reason: 'Stelle nicht besetzt' })
        .expect(200);
      const job = t.app.get(RetentionJob);
      // Withdrawn on 16 April 2027: five years are over on 16 April 2032, so it is due the day after.
      t.clock.set('2032-04-16T20:00:00Z');
      expect(await job.run()).toEqual([]);
      t.clock.set('2032-04-17T06:00:00Z');
      const done = await job.run();
      expect(done.sort()).toEqual([muenster.lower.id, muenster.upper.id].sort());
      for (const member of [muenster.lower, muenster.upper]) {
        expect((await t.http.get(`/persons/${member.id}`)).body).toMatchObject({ pseudonymised: true, email: null });
        expect(await everything(t)).not.toContain(member.email);
      }
      // The completed tandem's remaining member is an alumnus: their enrolment has not ended.
      expect((await t.http.get(`/persons/${koeln.upper.id}`)).body.pseudonymised).toBe(false);
      expect(
        (await t.http.get(`/audit?person=${muenster.lower.id}&action=person.pseudonymised`)).body.items[0],
      ).toMatchObject({
        actor: { id: 'retention-job', role: 'system' },
        details: expect.objectContaining({ rule: 'retention', lastEnrolmentEndedOn: '2027-04-16' }),
      });
      expect(await job.run()).toEqual([]);
    });
  });

  describe('the retention setting', () => {
    it('stops the service at start-up with exit code 78 when PSEUDONYMISE_AFTER_YEARS is not a whole number of years', () => {
      const main = join(process.cwd(), 'dist/src/main.js');
      if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
      // Other bad values (0, 2.5, -1) are refused by the same check: config/configuration.spec.ts.
      for (const value of ['fünf']) {
        const started = spawnSync(process.execPath, [main], {
          env: {
            ...process.env,
            PSEUDONYMISE_AFTER_YEARS: value,
            PORT: '0',
            DATABASE_PATH: join(workspace, 'never.sqlite'),
          },
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(started.status).toBe(78);
        expect(started.stderr).toContain('pseudonymiseAfterYears (env PSEUDONYMISE_AFTER_YEARS)');
        expect(existsSync(join(workspace, 'never.sqlite'))).toBe(false);
      }
    });
  });
});
