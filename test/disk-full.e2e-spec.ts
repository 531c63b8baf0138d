import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { StorageProbe } from '../src/engine/persistence/storage-probe.js';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { mountSmallFilesystem, type SmallFilesystem } from './support/small-filesystem.js';

const filesystem = mountSmallFilesystem(6);
if (typeof filesystem === 'string')
  console.warn(`disk-full test skipped: ${filesystem} (set LOTSE_REQUIRE_MOUNT=1 to make this an error)`);
const mounted = typeof filesystem === 'string' ? null : filesystem;

/** Each request stores its title about three times (input, context, journal): a full disk is reached in a few dozen. */
const title = (n: number) => `Antrag ${n} ${'x'.repeat(8000)}`;

(mounted ? describe : describe.skip)('a database on a disk that fills up', () => {
  const fs = mounted as SmallFilesystem;
  let workspace: string;
  let t: TestApp;
  const start = () =>
    startApp({ workspace, workflows: [sampleDeadlineV1], config: { databasePath: join(fs.dir, 'lotse.sqlite') } });

  beforeEach(async () => {
    workspace = makeWorkspace();
    t = await start();
  });

  afterEach(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  afterAll(() => mounted?.unmount());

  const create = (n: number) =>
    t.http
      .post('/instances')
      .set(as('district'))
      .send({ definition: 'sample-deadline', input: { title: title(n), decideBy: '2026-12-01' } });

  it('answers 503 while the disk is full, commits again once space is freed, and loses no write it acknowledged', async () => {
    const acknowledged: string[] = [];
    const statuses: number[] = [];
    let n = 0;
    const send = async () => {
      const response = await create(++n);
      statuses.push(response.status);
      if (response.status === 201) acknowledged.push(response.body.id);
      return response;
    };
    for (let i = 0; i < 5; i++) await send();
    expect(statuses).toEqual([201, 201, 201, 201, 201]);

    fs.fill();
    // Sequential and concurrent writes into the full disk: each is refused loudly or stored, never a 200 that is lost.
    const refusals = [];
    for (let i = 0; i < 40 && refusals.length < 3; i++) {
      const response = await send();
      if (response.status === 503) refusals.push(response);
    }
    for (const response of await Promise.all(Array.from({ length: 10 }, send)))
      if (response.status === 503) refusals.push(response);
    expect(new Set(statuses)).toEqual(new Set([201, 503]));
    expect(refusals[0].headers['content-type']).toContain('application/problem+json');
    expect(refusals[0].body).toMatchObject({ status: 503, rule: 'storage-unavailable', title: 'Storage unavailable' });
    // Reads go on, and a health check learns the database takes no writes.
    expect((await t.http.get(`/instances/${acknowledged[0]}`).expect(200)).body.context.title).toBe(title(1));
    expect(await t.app.get(StorageProbe).check()).toMatchObject({ writable: false, database: 'sqlite' });

    fs.free();
    const after = [];
    for (let i = 0; i < 5; i++) after.push((await send()).status);
    expect(after).toEqual([201, 201, 201, 201, 201]);
    expect(await t.app.get(StorageProbe).check()).toMatchObject({ writable: true, fault: null });

    await t.close();
    t = await start();
    const listed = await t.http.get('/instances?definition=sample-deadline&pageSize=500').expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id).sort()).toEqual([...acknowledged].sort());
    for (const id of acknowledged)
      expect((await t.http.get(`/instances/${id}/journal`).expect(200)).body).toHaveLength(1);
  });
});
