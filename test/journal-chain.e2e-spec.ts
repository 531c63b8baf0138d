import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { sampleDeadlineV1 } from './support/sample-deadline.js';
import { as, startApp, type TestApp } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';

interface Entry {
  seq: number;
  eventType: string;
  stateAfter: string;
}

describe("an instance's journal as a chain of entries", () => {
  let workspace: string;
  let t: TestApp;

  eachTestInWorkspace(
    async (dir) => {
      workspace = dir;
      t = await startApp({ workspace, workflows: [sampleDeadlineV1], now: '2026-03-02T09:00:00Z' });
    },
    () => t.close(),
  );

  async function create(title: string): Promise<string> {
    const res = await t.http
      .post('/instances')
      .send({ definition: 'sample-deadline', input: { title, decideBy: '2026-03-20' } })
      .expect(201);
    return res.body.id;
  }

  async function journalOf(id: string): Promise<Entry[]> {
    const res = await t.http.get(`/instances/${id}/journal`).expect(200);
    return res.body;
  }

  /** Three instances stepped at once, so that their entries share transactions and interleave in the table. */
  async function interleavedSteps(): Promise<string[]> {
    const ids = [await create('A'), await create('B'), await create('C')];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        ids.map((id) => t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'NOTE' }).expect(200)),
      );
    }
    await Promise.all(
      ids.map((id) => t.http.post(`/instances/${id}/events`).set(as('district')).send({ type: 'SUBMIT' }).expect(200)),
    );
    return ids;
  }

  const steps = (entries: Entry[]) => entries.map((e) => [e.seq, e.eventType, e.stateAfter]);
  const expected = [
    [1, 'created', 'draft'],
    [2, 'NOTE', 'draft'],
    [3, 'NOTE', 'draft'],
    [4, 'NOTE', 'draft'],
    [5, 'SUBMIT', 'submitted'],
  ];

  it('lists exactly its own steps in order while steps on several instances interleave, and shows nothing internal', async () => {
    const ids = await interleavedSteps();
    for (const id of ids) {
      const journal = await journalOf(id);
      expect(steps(journal)).toEqual(expected);
      expect(journal.every((entry) => (entry as unknown as { instanceId: string }).instanceId === id)).toBe(true);
      expect(Object.keys(journal[0]).sort()).toEqual(
        [
          'actorId',
          'actorRole',
          'at',
          'eventType',
          'id',
          'instanceId',
          'payload',
          'seq',
          'stateAfter',
          'stateBefore',
        ].sort(),
      );
      expect((await t.engine.replay(id)).state).toBe('submitted');
    }
  });

  it('gives a database written before the chain its chains: journals unchanged, the index gone, new steps appended', async () => {
    const ids = await interleavedSteps();
    const before = await Promise.all(ids.map(journalOf));
    await t.close();

    // Back to the schema before the chain (the migration's down), as a database from an earlier release has it.
    const source = await new DataSource(dataSourceOptions(t.config)).initialize();
    await source.undoLastMigration();
    await source.destroy();
    const old = new Database(join(workspace, 'lotse.sqlite'));
    const columns = (table: string) => (old.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    expect(columns('journal')).not.toContain('prev_id');
    expect(columns('workflow_instances')).not.toContain('journal_head');
    old.close();

    t = await startApp({ workspace, workflows: [sampleDeadlineV1], clock: t.clock });
    expect(await Promise.all(ids.map(journalOf))).toEqual(before);
    const db = new Database(join(workspace, 'lotse.sqlite'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'idx_journal_instance_seq'").all()).toEqual([]);
    db.close();

    await t.http.post(`/instances/${ids[1]}/events`).set(as('district')).send({ type: 'NOTE' }).expect(200);
    expect(steps(await journalOf(ids[1]))).toEqual([...expected, [6, 'NOTE', 'submitted']]);
    expect(steps(await journalOf(ids[0]))).toEqual(expected);
  });

  it('appends nothing for a step that lost the race: concurrent steps from one version leave one unbroken chain', async () => {
    const [id] = await interleavedSteps();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => t.engine.send(id, { type: 'NOTE' }, { id: 'district-1', role: 'district' })),
    );
    const applied = results.filter((result) => result.status === 'fulfilled').length;
    expect(applied).toBeGreaterThan(0);
    const journal = await journalOf(id);
    expect(journal.map((entry) => entry.seq)).toEqual(Array.from({ length: 5 + applied }, (_, n) => n + 1));
    expect((await t.http.get(`/instances/${id}`).expect(200)).body.revision).toBe(5 + applied);
  });
});
