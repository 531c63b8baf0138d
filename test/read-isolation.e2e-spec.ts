import { describe, expect, it } from '@jest/globals';
import { RuleViolation } from '../src/common/errors.js';
import { DatabaseConnections } from '../src/database/database.module.js';
import { InstanceStore } from '../src/engine/persistence/instance.store.js';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';

describe('reads on SQLite while a write transaction is open', () => {
  let t: TestApp;

  eachTestOnApp({ workflows: [sampleDeadlineV1] }, (app) => {
    t = app;
  });

  async function createDraft(): Promise<string> {
    const created = await t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: 'Antrag', decideBy: '2026-12-01' } })
      .expect(201);
    return created.body.id;
  }

  it('never return what the open transaction wrote, which is then rolled back', async () => {
    const id = await createDraft();
    // The reader (the ministry) signs in before the transaction opens: a first sign-in records its principal, a
    // write that would queue behind the open transaction the reads below are waiting inside.
    await t.http.get('/auth/me').expect(200);
    const seenDuring: unknown[] = [];
    const failing = t.engine.execute({
      actor: { id: 'officer', role: 'district' },
      decide: async (scope) => {
        await scope.send(id, { type: 'SUBMIT' });
        scope.write(async () => {
          // The step's instance row and journal row are written by now, inside the open transaction.
          seenDuring.push((await t.http.get(`/instances/${id}`).expect(200)).body);
          seenDuring.push((await t.http.get(`/instances/${id}/journal`).expect(200)).body.length);
          seenDuring.push((await t.http.get('/instances?state=submitted').expect(200)).body.total);
          throw new RuleViolation('test-refusal', 'refused after the reads');
        });
      },
    });
    await expect(failing).rejects.toThrow('refused after the reads');
    expect(seenDuring).toEqual([expect.objectContaining({ state: 'draft', revision: 1, pendingTimers: [] }), 1, 0]);
    expect((await t.http.get(`/instances/${id}`).expect(200)).body).toMatchObject({ state: 'draft', revision: 1 });
  });

  it('see a write committed in the same turn of the event loop as an earlier read, and hold no lock past that turn', async () => {
    const id = await createDraft();
    const store = t.app.get(InstanceStore);
    const writer = t.app.get(DatabaseConnections).writer.driver as unknown as {
      databaseConnection: { inTransaction: boolean };
    };
    // The reads and the step below run without leaving the turn: the step commits between two reads of one turn.
    const first = await store.find(id);
    await t.engine.send(id, { type: 'SUBMIT' }, { id: 'officer', role: 'district' });
    const second = await store.find(id);
    expect([first?.state, first?.version]).toEqual(['draft', 1]);
    expect([second?.state, second?.version]).toEqual(['submitted', 2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.databaseConnection.inTransaction).toBe(false);
  });
});
