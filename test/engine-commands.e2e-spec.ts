import { describe, expect, it } from '@jest/globals';
import { DataSource, type EntityManager } from 'typeorm';
import { assign, setup } from 'xstate';
import { RuleViolation } from '../src/common/errors.js';
import { OutboxRow } from '../src/engine/persistence/entities.js';
import { ProjectionRegistry, type ProjectedInstance } from '../src/engine/projection.js';
import { defineWorkflow } from '../src/engine/workflow.js';
import type { CommandScope } from '../src/engine/workflow-engine.js';
import { type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';

/** A tandem's seat in a group, as small as a command test needs: attendance and a closed reflection phase. */
const seat = defineWorkflow({
  name: 'seat',
  version: 1,
  title: 'Test: a seat in a group',
  writtenBy: 'programme',
  machine: setup({
    types: {
      context: {} as { name: string; attended: string[]; reflected: boolean },
      events: {} as { type: 'ATTENDANCE_RECORDED'; event: string } | { type: 'REFLECTION_CLOSED' },
      input: {} as { name: string },
    },
  }).createMachine({
    id: 'seat',
    context: ({ input }) => ({ name: input.name, attended: [], reflected: false }),
    initial: 'seated',
    states: {
      seated: {
        on: {
          ATTENDANCE_RECORDED: {
            actions: assign({ attended: ({ context, event }) => [...context.attended, event.event] }),
          },
          REFLECTION_CLOSED: { target: 'reflected', actions: assign({ reflected: true }) },
        },
      },
      reflected: { type: 'final' },
    },
  }),
});

const moderator = { id: 'moderator-1', role: 'moderator' };

describe('engine commands: several instances, one transaction', () => {
  let t: TestApp;

  eachTestOnApp({ workflows: [seat], now: '2026-03-02T09:00:00Z' }, (app) => {
    t = app;
  });

  const seats = (names: string[]) =>
    t.engine.execute({ actor: moderator, decide: (scope) => names.map((name) => scope.create('seat', { name }).id) });
  const audit = (key: string) => async (manager: EntityManager) => {
    await manager.insert(OutboxRow, {
      key,
      instanceId: null,
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
  const audits = async () =>
    (await t.app.get(DataSource).query("SELECT key FROM outbox WHERE kind = 'audit' ORDER BY key")).map(
      (row: { key: string }) => row.key,
    );
  const journalOf = async (id: string) =>
    (await t.engine.journal(id)).map((entry) => [entry.seq, entry.eventType, entry.actorId]);

  /** Records attendance of `event` for every seat, and the programme's own row, as one command. */
  const recordAttendance = (ids: string[], event: string, key?: string) =>
    t.engine.execute({
      actor: moderator,
      idempotency: key === undefined ? undefined : { key, request: ['attendance', event, ids] },
      decide: async (scope: CommandScope) => {
        for (const id of ids) await scope.send(id, { type: 'ATTENDANCE_RECORDED', event });
        scope.write(audit(`attendance:${event}`));
        return { event, recorded: ids.length };
      },
    });

  it('starts and steps several instances in one command, each journal row naming its event', async () => {
    const ids = await seats(['Tandem A', 'Tandem B', 'Tandem C']);
    expect(await recordAttendance(ids, 'M1')).toEqual({ event: 'M1', recorded: 3 });
    await t.engine.execute({
      actor: moderator,
      decide: async (scope) => {
        for (const id of ids) await scope.send(id, { type: 'REFLECTION_CLOSED' });
      },
    });
    for (const id of ids) {
      expect(await journalOf(id)).toEqual([
        [1, 'created', 'moderator-1'],
        [2, 'ATTENDANCE_RECORDED', 'moderator-1'],
        [3, 'REFLECTION_CLOSED', 'moderator-1'],
      ]);
      expect(await t.engine.get(id)).toMatchObject({
        state: 'reflected',
        revision: 3,
        context: { attended: ['M1'], reflected: true },
      });
    }
    expect(await audits()).toEqual(['attendance:M1']);
  });

  it('journals each of several events to one instance in one command, and the steps of an instance it starts', async () => {
    const [existing] = await seats(['Tandem A']);
    const started = await t.engine.execute({
      actor: moderator,
      decide: async (scope) => {
        await scope.send(existing, { type: 'ATTENDANCE_RECORDED', event: 'M1' });
        await scope.send(existing, { type: 'ATTENDANCE_RECORDED', event: 'M2' });
        const fresh = scope.create('seat', { name: 'Tandem B' });
        await scope.send(fresh.id, { type: 'ATTENDANCE_RECORDED', event: 'M2' });
        return (await scope.instance(fresh.id)).id;
      },
    });
    expect(await journalOf(existing)).toEqual([
      [1, 'created', 'moderator-1'],
      [2, 'ATTENDANCE_RECORDED', 'moderator-1'],
      [3, 'ATTENDANCE_RECORDED', 'moderator-1'],
    ]);
    expect((await t.engine.journal(existing)).map((entry) => entry.payload)).toEqual([
      { input: { name: 'Tandem A' } },
      { event: 'M1' },
      { event: 'M2' },
    ]);
    expect(await journalOf(started)).toEqual([
      [1, 'created', 'moderator-1'],
      [2, 'ATTENDANCE_RECORDED', 'moderator-1'],
    ]);
    expect(await t.engine.get(started)).toMatchObject({ revision: 2, context: { name: 'Tandem B', attended: ['M2'] } });
  });

  it('stores nothing of a command when one of its instances refuses its event, or one of its writes fails', async () => {
    const ids = await seats(['Tandem A', 'Tandem B']);
    await t.engine.execute({ actor: moderator, decide: (scope) => scope.send(ids[1], { type: 'REFLECTION_CLOSED' }) });
    await expect(recordAttendance(ids, 'M1')).rejects.toMatchObject({ status: 409, rule: 'event-allowed-in-state' });
    await expect(
      t.engine.execute({
        actor: moderator,
        decide: async (scope) => {
          await scope.send(ids[0], { type: 'ATTENDANCE_RECORDED', event: 'M2' });
          scope.write(audit('attendance:M2'));
          scope.write(async () => {
            throw new RuleViolation('group-capacity', 'refused after writing');
          });
        },
      }),
    ).rejects.toThrow('refused after writing');
    expect(await journalOf(ids[0])).toEqual([[1, 'created', 'moderator-1']]);
    expect((await t.engine.get(ids[0])).context.attended).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('answers a repeated command under the same Idempotency-Key with the first answer and writes nothing; another request under it is 422', async () => {
    const ids = await seats(['Tandem A', 'Tandem B']);
    const first = await recordAttendance(ids, 'M1', 'att-1');
    expect(await recordAttendance(ids, 'M1', 'att-1')).toEqual(first);
    expect((await t.engine.get(ids[0])).context.attended).toEqual(['M1']);
    expect(await journalOf(ids[1])).toHaveLength(2);
    await expect(recordAttendance(ids, 'M2', 'att-1')).rejects.toMatchObject({
      status: 422,
      rule: 'idempotency-key-reused',
    });
    await expect(recordAttendance(ids, 'M2', 'x'.repeat(129))).rejects.toMatchObject({
      status: 400,
      rule: 'idempotency-key-format',
    });
    expect((await t.engine.get(ids[0])).context.attended).toEqual(['M1']);

    // Sent at once, the same request under one key is applied once, and both callers get its answer.
    const answers = await Promise.all([recordAttendance(ids, 'M3', 'att-3'), recordAttendance(ids, 'M3', 'att-3')]);
    expect(answers[0]).toEqual(answers[1]);
    expect((await t.engine.get(ids[0])).context.attended).toEqual(['M1', 'M3']);
    expect(await audits()).toEqual(['attendance:M1', 'attendance:M3']);
  });

  it('stores an answer computed inside the transaction, after the command wrote', async () => {
    const ids = await seats(['Tandem A']);
    const request = () =>
      t.engine.execute({
        actor: moderator,
        idempotency: { key: 'count-1', request: 'count' },
        decide: (scope) => {
          scope.write(audit('counted'));
          return 'decided';
        },
        answer: async (em, decided) => ({
          decided,
          audits: Number((await em.query("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'audit'"))[0].n),
        }),
      });
    expect(await request()).toEqual({ decided: 'decided', audits: 1 });
    expect(await request()).toEqual({ decided: 'decided', audits: 1 });
    expect(await audits()).toEqual(['counted']);
    expect(ids).toHaveLength(1);
  });

  it('reruns a command whose instances changed before it committed, and applies projections inside each step', async () => {
    const [id] = await seats(['Tandem A']);
    const seen: { instance: ProjectedInstance; stored: number; visibleOutside: number }[] = [];
    t.app.get(ProjectionRegistry).register({
      definition: 'seat',
      project: async (em, instance) => {
        const read = async (source: DataSource | EntityManager) =>
          Number((await source.query('SELECT version FROM workflow_instances WHERE id = ?', [instance.id]))[0].version);
        seen.push({ instance, stored: await read(em), visibleOutside: await read(t.app.get(DataSource)) });
      },
    });
    let runs = 0;
    await t.engine.execute({
      actor: moderator,
      decide: async (scope) => {
        runs++;
        await scope.instance(id);
        // Another request steps the instance after this command read it: the command must not commit on stale data.
        if (runs === 1)
          await t.engine.execute({
            actor: moderator,
            decide: (other) => other.send(id, { type: 'ATTENDANCE_RECORDED', event: 'M0' }),
          });
        await scope.send(id, { type: 'ATTENDANCE_RECORDED', event: 'M1' });
      },
    });
    expect(runs).toBe(2);
    expect((await t.engine.get(id)).context.attended).toEqual(['M0', 'M1']);
    // The projection saw each step's instance inside its transaction: written there, not yet visible to readers.
    expect(seen.map((s) => [s.instance.revision, s.stored, s.visibleOutside, s.instance.context.attended])).toEqual([
      [2, 2, 1, ['M0']],
      [3, 3, 2, ['M0', 'M1']],
    ]);
  });
});
