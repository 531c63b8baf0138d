/**
 * The pure half of the engine: XState's `initialTransition` / `transition` compute the next snapshot and the
 * actions it would run, without running them. Emitted events become effects; state meta becomes timers.
 * No I/O here, so the whole step can be written in one transaction by the caller.
 */
import {
  createActor,
  initialTransition,
  transition,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type EventObject,
} from 'xstate';
import { resolveDueAt } from './due-at.js';
import { EventNotAccepted, RuleViolation } from '../common/errors.js';
import {
  TIMER_EVENT_PREFIX,
  type EffectSpec,
  type StateTimers,
  type TimerSpec,
  type WorkflowDefinition,
} from './workflow.js';

export interface DesiredTimer {
  key: string;
  dueAt: Date;
  event?: EventObject;
  effect?: EffectSpec;
}

export interface Step {
  persisted: Record<string, unknown>;
  /** Leaf state paths joined by `,` (parallel states), each dotted: `review.awaitingEvaluation`. */
  state: string;
  status: string;
  context: Record<string, unknown>;
  acceptedEvents: string[];
  effects: EffectSpec[];
  timers: DesiredTimer[];
}

export function stateValueToString(value: unknown): string {
  if (typeof value === 'string') return value;
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const inner =
      child === undefined || (typeof child === 'object' && child !== null && Object.keys(child).length === 0)
        ? ''
        : stateValueToString(child);
    paths.push(...(inner ? inner.split(',').map((p) => `${key}.${p}`) : [key]));
  }
  return paths.join(',');
}

export function restore(definition: WorkflowDefinition, persisted: Record<string, unknown>): AnyMachineSnapshot {
  const history = persisted.historyValue as Record<string, unknown> | undefined;
  if (!history || Object.keys(history).length === 0) {
    // Much cheaper than an actor, which would first evaluate the machine's initial context.
    return definition.machine.resolveState({
      value: persisted.value as never,
      context: persisted.context as never,
      status: persisted.status as never,
      output: persisted.output as never,
      error: persisted.error,
    }) as AnyMachineSnapshot;
  }
  return createActor(definition.machine, { snapshot: persisted as never }).getSnapshot() as AnyMachineSnapshot;
}

/** Event types the current state handles, without the engine's own timer events. */
export function acceptedEvents(snapshot: AnyMachineSnapshot): string[] {
  if (snapshot.status !== 'active') return [];
  const types = new Set<string>();
  for (const node of snapshot._nodes) {
    for (const type of node.ownEvents) {
      if (!type.startsWith('xstate.') && !type.startsWith(TIMER_EVENT_PREFIX) && type !== '*') types.add(type);
    }
  }
  return [...types].sort();
}

function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): EffectSpec[] {
  return actions
    .filter((action) => action.type === 'xstate.emit')
    .map((action) => {
      const emitted = (action.params as { event: { type: string; key?: string; payload?: Record<string, unknown> } })
        .event;
      if (!emitted.key) throw new Error(`emitted effect ${emitted.type} has no key: every effect needs a stable key`);
      return { kind: emitted.type, key: emitted.key, payload: emitted.payload ?? {} };
    });
}

export function timersOf(
  definition: WorkflowDefinition,
  snapshot: AnyMachineSnapshot,
  timeZone: string,
): DesiredTimer[] {
  if (snapshot.status !== 'active') return [];
  const specs: TimerSpec[] = [];
  for (const meta of Object.values(snapshot.getMeta() as Record<string, StateTimers | undefined>)) {
    if (meta?.timers) specs.push(...meta.timers(snapshot.context));
  }
  if (definition.timers) {
    specs.push(
      ...definition.timers({ context: snapshot.context, matches: (state: string) => snapshot.matches(state as never) }),
    );
  }
  const byKey = new Map<string, DesiredTimer>();
  for (const spec of specs) {
    if (byKey.has(spec.key))
      throw new Error(`${definition.name}@${definition.version}: timer key ${spec.key} declared twice`);
    const dueAt = resolveDueAt(spec.at, timeZone);
    byKey.set(
      spec.key,
      'event' in spec ? { key: spec.key, dueAt, event: spec.event } : { key: spec.key, dueAt, effect: spec.effect },
    );
  }
  return [...byKey.values()];
}

function toStep(
  definition: WorkflowDefinition,
  snapshot: AnyMachineSnapshot,
  actions: ReadonlyArray<{ type: string; params?: unknown }>,
  timeZone: string,
): Step {
  return {
    persisted: definition.machine.getPersistedSnapshot(snapshot as never) as unknown as Record<string, unknown>,
    state: stateValueToString(snapshot.value),
    status: snapshot.status,
    context: snapshot.context,
    acceptedEvents: acceptedEvents(snapshot),
    effects: effectsOf(actions),
    timers: timersOf(definition, snapshot, timeZone),
  };
}

/**
 * Moves a persisted instance of an older version to `target` through the migration `target` declares for that
 * version; the step has no effects.
 */
export function migrateSnapshot(
  target: WorkflowDefinition,
  fromVersion: number,
  persisted: Record<string, unknown>,
  timeZone: string,
): Step {
  const migration = target.migrations?.[fromVersion];
  if (!migration) {
    throw new RuleViolation(
      'migration-declared',
      `${target.name}@${target.version} declares no migration from version ${fromVersion}`,
      { from: fromVersion, to: target.version },
    );
  }
  const migrated = migration({ value: persisted.value, context: persisted.context as Record<string, unknown> });
  const snapshot = target.machine.resolveState({ value: migrated.value as never, context: migrated.context as never });
  return toStep(target, snapshot as AnyMachineSnapshot, [], timeZone);
}

export function startInstance(definition: WorkflowDefinition, input: unknown, timeZone: string): Step {
  const [snapshot, actions] = initialTransition(definition.machine, input as never);
  return toStep(definition, snapshot as AnyMachineSnapshot, actions as never, timeZone);
}

/** Applies one event; refuses it (EventNotAccepted) when the current state has no enabled transition for it. */
export function applyEvent(
  definition: WorkflowDefinition,
  persisted: Record<string, unknown>,
  event: EventObject,
  timeZone: string,
): Step {
  const snapshot = restore(definition, persisted);
  if (snapshot.status !== 'active' || !snapshot.can(event as never)) {
    throw new EventNotAccepted(event.type, stateValueToString(snapshot.value), acceptedEvents(snapshot));
  }
  const [next, actions] = transitionOf(definition.machine, snapshot, event);
  return toStep(definition, next, actions, timeZone);
}

/**
 * Applies one of the definition's declared corrections: the same state with the corrected context, and the timers
 * that context declares. No machine transition runs, so no effect is emitted.
 */
export function applyCorrection(
  definition: WorkflowDefinition,
  persisted: Record<string, unknown>,
  event: EventObject & Record<string, unknown>,
  timeZone: string,
): Step {
  const correct = definition.corrections?.[event.type];
  if (!correct) throw new EventNotAccepted(event.type, stateValueToString(persisted.value), []);
  const before = restore(definition, persisted);
  const context = correct(before.context as never, event as never) as Record<string, unknown>;
  const snapshot = definition.machine.resolveState({
    value: before.value as never,
    context: context as never,
    status: before.status as never,
    output: before.output as never,
    error: before.error,
  }) as AnyMachineSnapshot;
  const step = toStep(definition, snapshot, [], timeZone);
  // resolveState does not carry history; a machine with history states keeps the one it had.
  if (persisted.historyValue) step.persisted = { ...step.persisted, historyValue: persisted.historyValue };
  return step;
}

type Actions = ReadonlyArray<{ type: string; params?: unknown }>;

/**
 * XState's `transition()` builds a throwaway actor for every call, and with it the machine's initial state (most of
 * the cost of a step). A machine that starts no actors can share one inert scope across calls instead: nothing in a
 * transition of such a machine registers in the scope's actor system, so calls cannot see each other. A machine
 * with `invoke` or with actors in its setup (which could spawn children with a system id) keeps the fresh scope.
 */
const sharedScopes = new WeakMap<AnyStateMachine, AnyActorScope | null>();

function transitionOf(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: EventObject,
): [AnyMachineSnapshot, Actions] {
  let scope = sharedScopes.get(machine);
  if (scope === undefined) {
    scope = startsNoActors(machine) ? inertScope(machine) : null;
    sharedScopes.set(machine, scope);
  }
  if (!scope) return transition(machine, snapshot as never, event as never) as unknown as [AnyMachineSnapshot, Actions];
  const actions: { type: string; params?: unknown }[] = [];
  // Collected, not run: the engine turns emitted events into outbox rows.
  scope.actionExecutor = (action) => actions.push(action);
  return [machine.transition(snapshot, event, scope) as AnyMachineSnapshot, actions];
}

/** True when no state invokes an actor and setup() declares none to spawn. */
export function startsNoActors(machine: AnyStateMachine): boolean {
  const declared = Object.keys((machine.implementations as { actors?: object }).actors ?? {}).length;
  const invokes = (node: AnyStateNode): boolean => node.invoke.length > 0 || Object.values(node.states).some(invokes);
  return declared === 0 && !invokes(machine.root);
}

/** What XState's own `transition()` builds for each call, built once. */
function inertScope(machine: AnyStateMachine): AnyActorScope {
  const self = createActor(machine);
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    defer: () => undefined,
    logger: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: () => undefined,
  };
}
