import { describe, expect, it, jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { RuleViolation } from '../src/common/errors.js';
import { OutboxRow } from '../src/engine/persistence/entities.js';
import { OutboxStore } from '../src/engine/persistence/outbox.store.js';
import { InstanceStore, StaleInstance } from '../src/engine/persistence/instance.store.js';
import { WriteSerializer } from '../src/engine/persistence/write-serializer.js';
import { sampleDeadlineV1, sampleDeadlineV2 } from './support/sample-deadline.js';
import { as, startApp, type TestApp } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';

/** The sample as a programme would register it: written only by its own service. */
const guardedSample = { ...sampleDeadlineV1, name: 'guarded-sample', writtenBy: 'programme' as const };
const workflows = [sampleDeadlineV1, sampleDeadlineV2, guardedSample];

describe('engine over HTTP on a SQLite file', () => {
  let workspace: string;
  let t: TestApp;

  eachTestInWorkspace(
    async (dir) => {
      workspace = dir;
      t = await startApp({ workspace, workflows, now: '2026-03-02T09:00:00Z' });
    },
    () => t.close(),
  );

  async function create(input = { title: 'Antrag', decideBy: '2026-03-20' }, version?: number): Promise<string> {
    const res = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', version, input })
      .expect(201);
    return res.body.id;
  }

  async function createSubmitted(title = 'Antrag', decideBy = '2026-03-20'): Promise<string> {
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', version: 1, input: { title, decideBy } })
      .expect(201);
    await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    return created.body.id as string;
  }

  it('drives an instance through events and a deadline, then finds state, journal and timers after a restart', async () => {
    const id = await createSubmitted();
    const before = await t.http.get(`/instances/${id}`).expect(200);
    expect(before.body).toMatchObject({
      state: 'submitted',
      version: 1,
      acceptedEvents: ['APPROVE', 'NOTE', 'REJECT'],
    });
    expect(before.body.pendingTimers).toEqual([
      { key: 'decision-reminder', dueAt: '2026-03-18T07:00:00.000Z', event: null, effect: 'sample-notice' },
      { key: 'decision', dueAt: '2026-03-19T23:00:00.000Z', event: 'due.decision', effect: null },
    ]);

    await t.close();
    t = await startApp({ workspace, workflows, clock: t.clock });
    const after = await t.http.get(`/instances/${id}`).expect(200);
    expect(after.body.state).toBe('submitted');
    expect(after.body.pendingTimers).toEqual(before.body.pendingTimers);

    const report = await t.scheduler.advanceTo('2026-03-25T00:00:00Z');
    expect(report.timersFired).toBe(2);
    const escalated = await t.http.get(`/instances/${id}`).expect(200);
    expect(escalated.body).toMatchObject({ state: 'escalated', pendingTimers: [] });

    const journal = await t.http.get(`/instances/${id}/journal`).expect(200);
    expect(
      journal.body.map(
        (e: { eventType: string; stateBefore: string | null; stateAfter: string; actorRole: string; at: string }) => [
          e.eventType,
          e.stateBefore,
          e.stateAfter,
          e.actorRole,
          e.at,
        ],
      ),
    ).toEqual([
      ['created', null, 'draft', 'district', '2026-03-02T09:00:00.000Z'],
      ['SUBMIT', 'draft', 'submitted', 'district', '2026-03-02T09:00:00.000Z'],
      ['due.decision', 'submitted', 'escalated', 'system', '2026-03-19T23:00:00.000Z'],
    ]);
  });

  it('refuses an event the state does not accept with 409 naming the state and the allowed events, writing nothing', async () => {
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'A', decideBy: '2026-04-01' } })
      .expect(201);
    const refused = await t.http
      .post(`/instances/${created.body.id}/events`)
      .set(as('district'))
      .send({ type: 'APPROVE' })
      .expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      state: 'draft',
      acceptedEvents: ['NOTE', 'SUBMIT', 'WITHDRAW'],
      rule: 'event-allowed-in-state',
    });
    const journal = await t.http.get(`/instances/${created.body.id}/journal`).expect(200);
    expect(journal.body).toHaveLength(1);
  });

  const journalLength = async (id: string) => (await t.http.get(`/instances/${id}/journal`).expect(200)).body.length;

  it('loses no update when many events for one instance arrive at once', async () => {
    const id = await create();
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    const instance = await t.http.get(`/instances/${id}`).expect(200);
    expect(instance.body.context.notes).toBe(25);
    expect(instance.body.revision).toBe(26);
    const journal = await t.http.get(`/instances/${id}/journal`).expect(200);
    expect(journal.body.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it('retries when another writer changed the instance in between, and refuses a stale commit outright', async () => {
    const id = await create();
    const store = t.app.get(InstanceStore);
    const stale = (await store.find(id))!;
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE' }).expect(200);

    const find = jest.spyOn(store, 'find').mockResolvedValueOnce(stale);
    const answer = await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE' }).expect(200);
    expect(find).toHaveBeenCalledTimes(2);
    find.mockRestore();
    expect(answer.body.context.notes).toBe(2);

    await expect(
      t.app.get(WriteSerializer).transaction((em) =>
        store.write(
          em,
          {
            definition: sampleDeadlineV1,
            instance: { ...stale, version: stale.version + 1 },
            read: stale,
            timers: [],
            effects: [],
            acceptedEvents: [],
            journal: [
              {
                seq: stale.version + 1,
                at: t.clock.now().toISOString(),
                actorId: 'x',
                actorRole: 'x',
                eventType: 'NOTE',
                payload: {},
                stateBefore: 'draft',
                stateAfter: 'draft',
              },
            ],
          },
          t.clock.now(),
        ),
      ),
    ).rejects.toThrow(StaleInstance);
    expect(await journalLength(id)).toBe(3);
  });

  it('answers a repeated request with the same idempotency key with the first answer and writes nothing more', async () => {
    const id = await create();
    const first = await t.http
      .post(`/instances/${id}/events`)
      .set(as('district'))
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'NOTE' })
      .expect(200);
    const again = await t.http
      .post(`/instances/${id}/events`)
      .set(as('district'))
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'NOTE' })
      .expect(200);
    expect(again.body).toEqual(first.body);
    expect(await journalLength(id)).toBe(2);

    const reused = await t.http
      .post(`/instances/${id}/events`)
      .set(as('district'))
      .set('Idempotency-Key', 'k-1')
      .send({ type: 'SUBMIT' })
      .expect(422);
    expect(reused.body.rule).toBe('idempotency-key-reused');
    expect((await t.http.get(`/instances/${id}`)).body.state).toBe('draft');

    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .set('Idempotency-Key', 'c-1')
      .send({ definition: 'sample-deadline', input: { title: 'X', decideBy: '2026-04-01' } })
      .expect(201);
    const createdAgain = await t.http
      .post('/instances')
      .set(as('district'))
      .set('Idempotency-Key', 'c-1')
      .send({ definition: 'sample-deadline', input: { title: 'X', decideBy: '2026-04-01' } })
      .expect(201);
    expect(createdAgain.body.id).toBe(created.body.id);
    expect((await t.http.get('/instances?definition=sample-deadline')).body.total).toBe(2);
  });

  it('refuses malformed requests with 400 problem+json and stores nothing', async () => {
    const id = await create();
    const bad = [
      t.http.post(`/instances/${id}/events`).set(as('district')).send({ payload: {} }),
      t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE', extra: 1 }),
      t.http
        .post(`/instances/${id}/events`)
        .set(as('district'))
        .set('Content-Type', 'application/json')
        .send('{"type":'),
      t.http.post('/instances/not-a-uuid/events').set(as('district')).send({ type: 'NOTE' }),
      t.http.post('/instances').set(as('district')).send({ definition: 'sample-deadline', input: 'text' }),
      t.http.get('/instances?pageSize=100000'),
    ];
    expect((await t.anonymous.post(`/instances/${id}/events`).send({ type: 'NOTE' })).status).toBe(401);
    for (const response of await Promise.all(bad)) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, title: 'Malformed request' });
    }
    expect(await journalLength(id)).toBe(1);
    expect((await t.http.get('/instances')).body.total).toBe(1);
    const unknown = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'no-such-programme' })
      .expect(404);
    expect(unknown.body.rule).toBe('definition-exists');
  });

  it('leaves instances of a programme with its own service to that service: the generic API only reads them', async () => {
    const refusedCreate = await t.http
      .post('/instances')
      .set(as('participant'))
      .send({ definition: 'guarded-sample', input: { title: 'X', decideBy: '2026-04-01' } })
      .expect(403);
    expect(refusedCreate.body.rule).toBe('programme-service-only');
    expect((await t.http.get('/instances?definition=guarded-sample')).body.total).toBe(0);

    const programme = await t.engine.create({
      definition: 'guarded-sample',
      input: { title: 'X', decideBy: '2026-04-01' },
      actor: { id: 'service', role: 'district' },
    });
    const refusedEvent = await t.http
      .post(`/instances/${programme.id}/events`)
      .set(as('participant'))
      .send({ type: 'SUBMIT' })
      .expect(403);
    expect(refusedEvent.body).toMatchObject({ rule: 'programme-service-only', definition: 'guarded-sample' });
    expect((await t.http.get(`/instances/${programme.id}`).expect(200)).body.state).toBe('draft');
    expect(await journalLength(programme.id)).toBe(1);
  });

  it('does not let a client fire a deadline early', async () => {
    const id = await create();
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    const early = await t.http
      .post(`/instances/${id}/events`)
      .set(as('district'))
      .send({ type: 'due.decision' })
      .expect(422);
    expect(early.body.rule).toBe('timer-events-are-internal');
    expect((await t.http.get(`/instances/${id}`)).body.state).toBe('submitted');
  });

  it('cancels the timers of a state that is left, so neither the escalation nor the reminder happens', async () => {
    const id = await create();
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'APPROVE' }).expect(200);
    const report = await t.scheduler.advanceTo('2026-06-01T00:00:00Z');
    expect(report.timersFired).toBe(0);
    const instance = await t.http.get(`/instances/${id}`).expect(200);
    expect(instance.body).toMatchObject({ state: 'decided', status: 'done', pendingTimers: [], acceptedEvents: [] });
    const [outbox] = await t.app.get(OutboxStore).list({ offset: 0, limit: 10 });
    expect(outbox.map((m) => m.key)).toEqual([`${id}:decided:Antrag`]);
  });

  it('fires a timer that came due while the service was down exactly once, on the first tick after start', async () => {
    const id = await create();
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE' }).expect(200);
    await t.close();
    t.clock.set('2026-04-15T12:00:00Z');
    t = await startApp({ workspace, workflows, clock: t.clock });
    expect((await t.scheduler.tick()).timersFired).toBe(2);
    expect((await t.scheduler.tick()).timersFired).toBe(0);
    expect((await t.http.get(`/instances/${id}`)).body.state).toBe('escalated');
    const [outbox] = await t.app.get(OutboxStore).list({ offset: 0, limit: 10 });
    expect(outbox.map((m) => [m.kind, m.key, m.payload.text])).toEqual([
      ['sample-notice', `${id}:reminder:2026-03-20`, 'decide "Antrag" by 2026-03-20 (1 notes)'],
    ]);
  });

  it('does not send a reminder for a date that had already passed when it became known', async () => {
    t.clock.set('2026-03-19T12:00:00Z');
    const id = await create();
    await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    expect((await t.http.get(`/instances/${id}`)).body.pendingTimers.map((p: { key: string }) => p.key)).toEqual([
      'decision',
    ]);
    await t.scheduler.advanceTo('2026-03-21T00:00:00Z');
    const [outbox] = await t.app.get(OutboxStore).list({ offset: 0, limit: 10 });
    expect(outbox).toEqual([]);
  });

  it('lists instances by definition, version and state, in pages', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) {
      t.clock.set(new Date(t.clock.now().getTime() + 60_000));
      ids.push(await create({ title: `A${i}`, decideBy: '2026-05-01' }, 1));
    }
    await create({ title: 'B', decideBy: '2026-05-01' }, 2);
    for (const id of ids.slice(0, 3))
      await t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);

    const submitted = await t.http
      .get('/instances?definition=sample-deadline&state=submitted&pageSize=2&page=2')
      .expect(200);
    expect(submitted.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(submitted.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    const v2 = await t.http.get('/instances?definition=sample-deadline&version=2').expect(200);
    expect(v2.body.items.map((i: { context: { title: string } }) => i.context.title)).toEqual(['B']);
  });

  it('keeps an instance on its version until it is migrated explicitly', async () => {
    const old = await create({ title: 'Alt', decideBy: '2026-05-01' }, 1);
    const fresh = await create({ title: 'Neu', decideBy: '2026-05-01' });
    expect((await t.http.get(`/instances/${fresh}`)).body).toMatchObject({
      version: 2,
      acceptedEvents: ['NOTE', 'SUBMIT', 'WITHDRAW'],
    });
    const refused = await t.http
      .post(`/instances/${old}/events`)
      .set(as('district'))
      .send({ type: 'WITHDRAW' })
      .expect(409);
    expect(refused.body.acceptedEvents).toEqual(['NOTE', 'SUBMIT']);

    const migrated = await t.http
      .post(`/instances/${old}/migrate`)
      .set(as('ministry'))
      .send({ toVersion: 2 })
      .expect(200);
    expect(migrated.body).toMatchObject({ version: 2, state: 'draft' });
    await t.http.post(`/instances/${old}/events`).set(as('district')).send({ type: 'WITHDRAW' }).expect(200);
    const journal = await t.http.get(`/instances/${old}/journal`).expect(200);
    expect(journal.body.map((e: { eventType: string }) => e.eventType)).toEqual(['created', 'migrated', 'WITHDRAW']);
    const noPath = await t.http
      .post(`/instances/${fresh}/migrate`)
      .set(as('ministry'))
      .send({ toVersion: 1 })
      .expect(422);
    expect(noPath.body.rule).toBe('migration-declared');
  });

  it('stores the writes of a programme in the same transaction as the step, or neither', async () => {
    const id = await create();
    const actor = { id: 'officer', role: 'district' };
    const note = (key: string) => async (manager: EntityManager) => {
      await manager.insert(OutboxRow, {
        key,
        instanceId: id,
        kind: 'audit',
        payload: {},
        status: 'sent',
        attempts: 0,
        nextAttemptAt: '',
        lastError: null,
        createdAt: '',
        sentAt: null,
      });
    };
    await t.engine.send(id, { type: 'NOTE' }, actor, undefined, note('audit-1'));
    const failing = async (manager: EntityManager) => {
      await note('audit-2')(manager);
      throw new RuleViolation('test-rule', 'refused after writing');
    };
    await expect(t.engine.send(id, { type: 'SUBMIT' }, actor, undefined, failing)).rejects.toThrow(
      'refused after writing',
    );
    expect((await t.http.get(`/instances/${id}`)).body).toMatchObject({ state: 'draft', context: { notes: 1 } });
    expect(await journalLength(id)).toBe(2);
    const [outbox] = await t.app.get(OutboxStore).list({ kind: 'audit', offset: 0, limit: 10 });
    expect(outbox.map((m) => m.key)).toEqual(['audit-1']);
  });

  it('publishes the OpenAPI document and a health check', async () => {
    const docs = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/instances', '/instances/{id}/events', '/instances/{id}/journal', '/health']),
    );
    await t.http.get('/docs').expect(200);
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({ status: 'ok', database: 'better-sqlite3' });
  });
});
