/**
 * What a workflow definition gives the engine. Plain TypeScript: workflows/ imports this file and nothing else
 * from the engine, so a programme never depends on Nest or TypeORM.
 *
 * Time is declared, not scheduled: a machine never uses XState's `after` (XState does not restore pending delays
 * from a snapshot). Instead each state lists its deadlines in `meta.timers`, computed from context; the engine
 * stores them as rows, cancels them when the state is left and fires each (key, due time) at most once.
 */
import type { AnyStateMachine, EventObject } from 'xstate';

/** `YYYY-MM-DD` (a calendar day, starts at 00:00 in the configured time zone), `YYYY-MM-DDTHH:mm` (local wall
 * time in that zone) or a full ISO instant with offset. */
export type DueAt = string;

/** Something to carry out after commit, such as an email. `key` makes it idempotent per instance. */
export interface EffectSpec {
  kind: string;
  key: string;
  payload: Record<string, unknown>;
}

/** A timer either raises an event in its instance (its type must start with `due.`) or writes an effect. */
export type TimerSpec =
  | { key: string; at: DueAt; event: EventObject & { type: `due.${string}` } }
  | { key: string; at: DueAt; effect: EffectSpec };

/** What timer functions may read of an instance. */
export interface InstanceView<TContext> {
  context: TContext;
  /** True when the instance is in this state, e.g. `matches('review.awaitingEvaluation')`. */
  matches(state: string): boolean;
}

/** The shape of `meta` on a state node that owns deadlines. */
export interface StateTimers<TContext = unknown> {
  timers?: (context: TContext) => TimerSpec[];
}

export interface WorkflowDefinition<TMachine extends AnyStateMachine = AnyStateMachine> {
  /** Stable name, e.g. `contract-review`. */
  name: string;
  /** Whole number; instances stay on the version they started with. */
  version: number;
  title: string;
  machine: TMachine;
  /**
   * Who may start instances and send events. `api` (the default): the generic instances API. `programme`: only the
   * programme's own service, which holds the rules, the scope checks and the domain tables that go with each
   * step; the generic API then only reads these instances.
   */
  writtenBy?: 'api' | 'programme';
  /** Timers that follow from the whole instance rather than one state (reminder policies use this). */
  // Each definition reads its own context type; the engine hands every one the same untyped view, so this is `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  timers?: (view: InstanceView<any>) => TimerSpec[];
  /**
   * Explicit migrations of persisted snapshots from an older version of this definition, keyed by that version.
   * An instance only moves to this version through `migrate`, never implicitly.
   */
  migrations?: Record<number, (persisted: PersistedInstance) => PersistedInstance>;
  /**
   * Corrections of data the instance copied from elsewhere (a person's corrected address, a renamed network), by
   * event type: a pure function of the context and the event. A correction keeps the state, is accepted in every
   * state (a final one too: a record that is history still holds the copy), is journalled under its event type like
   * any event and replayed by the same function, and the instance's timers follow the corrected context.
   */
  // Each definition types its own context and events; `never` parameters accept any such function.
  corrections?: Record<string, (context: never, event: never) => object>;
}

/** The persisted shape of an instance that a migration receives and returns. */
export interface PersistedInstance {
  value: unknown;
  context: Record<string, unknown>;
}

/** Event types the engine alone may send: a client cannot fire a deadline early. */
export const TIMER_EVENT_PREFIX = 'due.';

export function defineWorkflow<TMachine extends AnyStateMachine>(
  definition: WorkflowDefinition<TMachine>,
): WorkflowDefinition<TMachine> {
  return definition;
}
