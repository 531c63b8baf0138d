import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sampleDeadlineV1, sampleDeadlineV2 } from '../workflows/sample-deadline/machine.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

const workflows = [sampleDeadlineV1, sampleDeadlineV2];

describe('engine over HTTP on a SQLite file', () => {
  let workspace: string;
  let t: TestApp;

  beforeEach(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, workflows, now: '2026-03-02T09:00:00Z' });
  });

  afterEach(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  async function createSubmitted(title = 'Antrag', decideBy = '2026-03-20'): Promise<string> {
    const created = await t.http.post('/instances').set(as('district')).send({ definition: 'sample-deadline', version: 1, input: { title, decideBy } }).expect(201);
    await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200);
    return created.body.id as string;
  }

  it('drives an instance through events and a deadline, then finds state, journal and timers after a restart', async () => {
    const id = await createSubmitted();
    const before = await t.http.get(`/instances/${id}`).expect(200);
    expect(before.body).toMatchObject({ state: 'submitted', version: 1, acceptedEvents: ['APPROVE', 'NOTE', 'REJECT'] });
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
    expect(journal.body.map((e: { eventType: string; stateBefore: string | null; stateAfter: string; actorRole: string; at: string }) =>
      [e.eventType, e.stateBefore, e.stateAfter, e.actorRole, e.at])).toEqual([
      ['created', null, 'draft', 'district', '2026-03-02T09:00:00.000Z'],
      ['SUBMIT', 'draft', 'submitted', 'district', '2026-03-02T09:00:00.000Z'],
      ['due.decision', 'submitted', 'escalated', 'system', '2026-03-19T23:00:00.000Z'],
    ]);
  });

  it('refuses an event the state does not accept with 409 naming the state and the allowed events, writing nothing', async () => {
    const created = await t.http.post('/instances').set(as('district')).send({ definition: 'sample-deadline', input: { title: 'A', decideBy: '2026-04-01' } }).expect(201);
    const refused = await t.http.post(`/instances/${created.body.id}/events`).set(as('district')).send({ type: 'APPROVE' }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ state: 'draft', acceptedEvents: ['NOTE', 'SUBMIT', 'WITHDRAW'], rule: 'event-allowed-in-state' });
    const journal = await t.http.get(`/instances/${created.body.id}/journal`).expect(200);
    expect(journal.body).toHaveLength(1);
  });
});
