import { describe, expect, it } from '@jest/globals';
import { fromPromise, setup, transition } from 'xstate';
import { contractReviewWorkflow } from '../../workflows/contract-review/machine.js';
import { tandemQualificationWorkflows } from '../../workflows/tandem-qualification/machine.js';
import { sampleDeadlineV1 } from '../../test/support/sample-deadline.js';
import { EventNotAccepted } from '../common/errors.js';
import {
  applyCorrection,
  applyEvent,
  restore,
  startInstance,
  startsNoActors,
  stateValueToString,
} from './machine-runtime.js';
import { DefinitionRegistry } from './registry.js';
import { defineWorkflow } from './workflow.js';

const TZ = 'Europe/Berlin';

describe('machine runtime (pure)', () => {
  it('names nested and parallel states as dotted paths', () => {
    expect(stateValueToString('draft')).toBe('draft');
    expect(stateValueToString({ review: 'awaitingEvaluation' })).toBe('review.awaitingEvaluation');
    expect(stateValueToString({ run: { a: 'x', b: { c: 'y' } } })).toBe('run.a.x,run.b.c.y');
  });

  it('declares the deadlines of the state entered, as instants in the configured zone', () => {
    const start = startInstance(sampleDeadlineV1, { title: 'T', decideBy: '2026-07-10' }, TZ);
    expect(start.state).toBe('draft');
    expect(start.timers).toEqual([]);
    const submitted = applyEvent(sampleDeadlineV1, start.persisted, { type: 'SUBMIT' }, TZ);
    expect(submitted.timers.map((t) => [t.key, t.dueAt.toISOString()])).toEqual([
      ['decision', '2026-07-09T22:00:00.000Z'], // midnight in Berlin, summer time
      ['decision-reminder', '2026-07-08T06:00:00.000Z'],
    ]);
    const decided = applyEvent(sampleDeadlineV1, submitted.persisted, { type: 'APPROVE' }, TZ);
    expect(decided.timers).toEqual([]);
    expect(decided.status).toBe('done');
    expect(decided.effects).toEqual([{ kind: 'sample-notice', key: 'decided:T', payload: { text: '"T" decided' } }]);
  });

  it("steps a machine that starts no actors on one shared scope, with the same result as XState's transition()", () => {
    let step = startInstance(sampleDeadlineV1, { title: 'T', decideBy: '2026-07-10' }, TZ);
    for (const type of ['NOTE', 'SUBMIT', 'NOTE', 'APPROVE']) {
      const snapshot = restore(sampleDeadlineV1, step.persisted);
      const [expected, executed] = transition(sampleDeadlineV1.machine, snapshot as never, { type } as never);
      const actions = executed as unknown as { type: string; params?: { event: { key: string } } }[];
      step = applyEvent(sampleDeadlineV1, step.persisted, { type }, TZ);
      expect(step.persisted).toEqual(sampleDeadlineV1.machine.getPersistedSnapshot(expected));
      expect(step.effects.map((effect) => effect.key)).toEqual(
        actions.filter((a) => a.type === 'xstate.emit').map((a) => a.params!.event.key),
      );
    }
    expect(step.effects).toEqual([{ kind: 'sample-notice', key: 'decided:T', payload: { text: '"T" decided' } }]);
  });

  it('shares a scope only with machines that start no actors: every programme does, a machine that invokes does not', () => {
    const programmes = [contractReviewWorkflow(), ...tandemQualificationWorkflows(), sampleDeadlineV1];
    expect(programmes.map((definition) => [definition.name, startsNoActors(definition.machine)])).toEqual(
      programmes.map((definition) => [definition.name, true]),
    );
    const invoking = setup({ actors: { fetch: fromPromise(async () => 1) } }).createMachine({
      initial: 'a',
      states: { a: { invoke: { src: 'fetch' } } },
    });
    expect(startsNoActors(invoking)).toBe(false);
  });

  it('applies a declared correction in any state, a final one too: same state, corrected context, the timers it declares', () => {
    const corrected = defineWorkflow({
      ...sampleDeadlineV1,
      corrections: {
        TITLE_CORRECTED: (context: { title: string }, event: { title: string }) => ({ ...context, title: event.title }),
      },
    });
    const submitted = applyEvent(
      corrected,
      startInstance(corrected, { title: 'Antarg', decideBy: '2026-07-10' }, TZ).persisted,
      { type: 'SUBMIT' },
      TZ,
    );
    const fixed = applyCorrection(corrected, submitted.persisted, { type: 'TITLE_CORRECTED', title: 'Antrag' }, TZ);
    expect([fixed.state, fixed.context.title, fixed.effects]).toEqual(['submitted', 'Antrag', []]);
    // The reminder the state declares now says what the corrected context says.
    expect(fixed.timers.find((t) => t.key === 'decision-reminder')?.effect?.payload.text).toBe(
      'decide "Antrag" by 2026-07-10 (0 notes)',
    );
    const decided = applyEvent(corrected, fixed.persisted, { type: 'APPROVE' }, TZ);
    const afterwards = applyCorrection(
      corrected,
      decided.persisted,
      { type: 'TITLE_CORRECTED', title: 'Antrag 2026' },
      TZ,
    );
    expect([afterwards.status, afterwards.state, afterwards.context.title, afterwards.timers]).toEqual([
      'done',
      decided.state,
      'Antrag 2026',
      [],
    ]);
    expect(() => applyCorrection(sampleDeadlineV1, decided.persisted, { type: 'TITLE_CORRECTED' }, TZ)).toThrow(
      EventNotAccepted,
    );
  });

  it('refuses an event the state does not handle, naming the state and what it accepts', () => {
    const start = startInstance(sampleDeadlineV1, { title: 'T', decideBy: '2026-07-10' }, TZ);
    const attempt = () => applyEvent(sampleDeadlineV1, start.persisted, { type: 'APPROVE' }, TZ);
    expect(attempt).toThrow(EventNotAccepted);
    expect(attempt).toThrow('event APPROVE is not allowed in state draft; allowed now: NOTE, SUBMIT');
  });
});

describe('definition registry', () => {
  it('refuses a machine that relies on XState delays, which would not survive a restart', () => {
    const machine = setup({}).createMachine({ initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } });
    expect(
      () => new DefinitionRegistry([defineWorkflow({ name: 'delayed', version: 1, title: 'x', machine })]),
    ).toThrow(/uses 'after'/);
  });

  it('refuses a correction named like an event of the machine: replay tells them apart by name', () => {
    const clash = defineWorkflow({ ...sampleDeadlineV1, corrections: { NOTE: (context: object) => context } });
    expect(() => new DefinitionRegistry([clash])).toThrow(/correction NOTE is also an event/);
  });

  it('serves the newest version to new instances and keeps older ones addressable', () => {
    const v2 = { ...sampleDeadlineV1, version: 2 };
    const registry = new DefinitionRegistry([sampleDeadlineV1, v2]);
    expect(registry.get('sample-deadline').version).toBe(2);
    expect(registry.get('sample-deadline', 1)).toBe(sampleDeadlineV1);
    expect(() => registry.get('sample-deadline', 3)).toThrow('workflow sample-deadline has no version 3');
    expect(() => new DefinitionRegistry([sampleDeadlineV1, sampleDeadlineV1])).toThrow('registered twice');
  });
});
