/**
 * A command: one user action that may start instances, step several instances (each step a journal row named by
 * its event) and write a programme's own rows, committed as one transaction together with the projections of every
 * instance it touched and, under an `Idempotency-Key`, the answer it gave.
 *
 * `decide` computes the command from the current data without writing anything; the engine then commits what it
 * staged. When an instance it read or stepped changed in between, the engine runs `decide` again on fresh data.
 */
import { hash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventObject } from 'xstate';
import type { Actor } from '../common/actor.js';
import { RuleViolation } from '../common/errors.js';
import {
  acceptedEvents,
  applyCorrection,
  applyEvent,
  migrateSnapshot,
  restore,
  startInstance,
  type DesiredTimer,
  type Step,
} from './machine-runtime.js';
import { WorkflowInstanceRow, type JournalRow } from './persistence/entities.js';
import type { ProjectedInstance } from './projection.js';
import type { DefinitionRegistry } from './registry.js';
import { TIMER_EVENT_PREFIX, type EffectSpec, type WorkflowDefinition } from './workflow.js';

export interface InstanceSummary {
  id: string;
  definition: string;
  version: number;
  state: string;
  status: string;
  context: Record<string, unknown>;
  acceptedEvents: string[];
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** Writes of a programme's own rows that belong to the command; they run inside its transaction. */
export type ProgrammeWrite = (manager: EntityManager) => Promise<void>;

/** What `decide` may do. Nothing it does is stored until the command commits. */
export interface CommandScope {
  readonly actor: Actor;
  /** The instant of this attempt: journal rows and timers are computed from it. */
  readonly now: Date;
  /** An instance as this command sees it (after its own steps so far). A command whose read is stale is rerun. */
  instance(instanceId: string): Promise<InstanceSummary>;
  /** Starts an instance of the newest (or the given) version of a definition. */
  create(definition: string, input: unknown, options?: { version?: number }): InstanceSummary;
  /**
   * Applies a client event with its data (`{ type: 'ATTENDANCE_RECORDED', … }`; the type names the journal row);
   * refused with 409 (EventNotAccepted) when the instance's state does not accept it.
   */
  send<TEvent extends EventObject>(instanceId: string, event: TEvent): Promise<InstanceSummary>;
  /**
   * Applies one of the definition's declared corrections (`corrections` in the definition) in whatever state the
   * instance is, final ones included; journalled under the event's type.
   */
  correct<TEvent extends EventObject>(instanceId: string, event: TEvent): Promise<InstanceSummary>;
  /** A programme's own rows (a new exchange, an attendance list) to write in the command's transaction. */
  write(work: ProgrammeWrite): void;
}

export interface Command<TDecided, TAnswer = TDecided> {
  actor: Actor;
  /**
   * The client's `Idempotency-Key` and what identifies its request (route, parameters, body, caller). A repeat of
   * the same request under the same key returns the first answer and writes nothing; another request under a used
   * key is refused (422 `idempotency-key-reused`).
   */
  idempotency?: { key: string; request: unknown };
  decide(scope: CommandScope): Promise<TDecided> | TDecided;
  /**
   * The answer, computed inside the transaction after every write and projection of the command (its reads through
   * `manager` see them). Without it the answer is what `decide` returned. Stored under the idempotency key.
   */
  answer?(manager: EntityManager, decided: TDecided): Promise<TAnswer>;
}

export type JournalEntry = Omit<JournalRow, 'id' | 'instanceId' | 'prevId'>;

/** One instance as a command leaves it, with the journal rows of its steps. */
export interface InstanceChange {
  definition: WorkflowDefinition;
  /** The instance after the last step. */
  instance: WorkflowInstanceRow;
  /** The instance as the steps were computed from it (its version is checked at commit); null when the command starts it. */
  read: WorkflowInstanceRow | null;
  journal: JournalEntry[];
  /** The timers the instance declares after its last step. */
  timers: DesiredTimer[];
  effects: EffectSpec[];
  acceptedEvents: string[];
  /** The timer whose firing is this step. */
  firedTimerId?: number;
}

interface Runtime {
  registry: DefinitionRegistry;
  timeZone: string;
  load(instanceId: string): Promise<WorkflowInstanceRow>;
}

export function summaryOf(row: WorkflowInstanceRow, accepted: string[]): InstanceSummary {
  return {
    id: row.id,
    definition: row.definition,
    version: row.definitionVersion,
    state: row.state,
    status: row.status,
    context: row.context,
    acceptedEvents: accepted,
    revision: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function projectedOf(row: WorkflowInstanceRow): ProjectedInstance {
  return {
    id: row.id,
    definition: row.definition,
    definitionVersion: row.definitionVersion,
    state: row.state,
    status: row.status,
    context: row.context,
    revision: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function persistedOf(row: WorkflowInstanceRow): Record<string, unknown> {
  return { ...row.snapshot, context: row.context };
}

export function timerDigest(timers: DesiredTimer[]): string {
  const declared = timers
    .map((t) => JSON.stringify([t.key, t.dueAt.toISOString(), t.event ?? null, t.effect ?? null]))
    .sort();
  return hash('sha256', declared.join('\n'), 'hex');
}

/** Collects what `decide` does; the engine commits it. */
export class StagedCommand implements CommandScope {
  private readonly loaded = new Map<string, WorkflowInstanceRow>();
  private readonly changed = new Map<string, InstanceChange>();
  readonly writes: ProgrammeWrite[] = [];

  constructor(
    private readonly runtime: Runtime,
    readonly actor: Actor,
    readonly now: Date,
  ) {}

  async instance(instanceId: string): Promise<InstanceSummary> {
    const change = this.changed.get(instanceId);
    if (change) return summaryOf(change.instance, change.acceptedEvents);
    const row = await this.read(instanceId);
    const definition = this.runtime.registry.get(row.definition, row.definitionVersion);
    return summaryOf(row, acceptedEvents(restore(definition, persistedOf(row))));
  }

  create(definitionName: string, input: unknown, options: { version?: number } = {}): InstanceSummary {
    const definition = this.runtime.registry.get(definitionName, options.version);
    const step = startInstance(definition, input, this.runtime.timeZone);
    const at = this.now.toISOString();
    const row = Object.assign(new WorkflowInstanceRow(), {
      id: randomUUID(),
      definition: definition.name,
      definitionVersion: definition.version,
      createdAt: at,
      version: 0,
      journalHead: null,
    });
    const change: InstanceChange = {
      definition,
      instance: row,
      read: null,
      journal: [],
      timers: [],
      effects: [],
      acceptedEvents: [],
    };
    this.changed.set(row.id, change);
    this.record(change, step, {
      eventType: 'created',
      payload: { input: input as Record<string, unknown> },
      actor: this.actor,
    });
    return summaryOf(change.instance, change.acceptedEvents);
  }

  async send<TEvent extends EventObject>(instanceId: string, event: TEvent): Promise<InstanceSummary> {
    if (event.type.startsWith(TIMER_EVENT_PREFIX)) {
      throw new RuleViolation(
        'timer-events-are-internal',
        `events named ${TIMER_EVENT_PREFIX}* are raised by the engine's timers, not by clients`,
        { event: event.type },
      );
    }
    return this.step(instanceId, event, this.actor);
  }

  async correct<TEvent extends EventObject>(instanceId: string, event: TEvent): Promise<InstanceSummary> {
    const change = await this.open(instanceId);
    const step = applyCorrection(change.definition, persistedOf(change.instance), event, this.runtime.timeZone);
    const { type, ...payload } = event;
    this.record(change, step, { eventType: type, payload, actor: this.actor });
    return summaryOf(change.instance, change.acceptedEvents);
  }

  write(work: ProgrammeWrite): void {
    this.writes.push(work);
  }

  /** Applies an event (also a timer's) to the instance as this command sees it. */
  async step(instanceId: string, event: EventObject, actor: Actor, firedTimerId?: number): Promise<InstanceSummary> {
    const change = await this.open(instanceId);
    const step = applyEvent(change.definition, persistedOf(change.instance), event, this.runtime.timeZone);
    const { type, ...payload } = event;
    this.record(change, step, { eventType: type, payload, actor });
    if (firedTimerId !== undefined) change.firedTimerId = firedTimerId;
    return summaryOf(change.instance, change.acceptedEvents);
  }

  /** Moves the instance to `target` through the migration that version declares from the instance's version. */
  async migrate(instanceId: string, target: WorkflowDefinition): Promise<InstanceSummary> {
    const change = await this.open(instanceId);
    const fromVersion = change.instance.definitionVersion;
    const step = migrateSnapshot(target, fromVersion, persistedOf(change.instance), this.runtime.timeZone);
    change.definition = target;
    change.instance = Object.assign(new WorkflowInstanceRow(), change.instance, { definitionVersion: target.version });
    this.record(change, step, {
      eventType: 'migrated',
      payload: { fromVersion, toVersion: target.version },
      actor: this.actor,
    });
    return summaryOf(change.instance, change.acceptedEvents);
  }

  changes(): InstanceChange[] {
    return [...this.changed.values()];
  }

  /** Instances read but not stepped, with the version read: the commit checks they are still at it. */
  reads(): { id: string; version: number }[] {
    return [...this.loaded.values()]
      .filter((row) => !this.changed.has(row.id))
      .map((row) => ({ id: row.id, version: row.version }));
  }

  hasEffects(): boolean {
    return this.changes().some((change) => change.effects.length > 0);
  }

  private async read(instanceId: string): Promise<WorkflowInstanceRow> {
    let row = this.loaded.get(instanceId);
    if (!row) {
      row = await this.runtime.load(instanceId);
      this.loaded.set(instanceId, row);
    }
    return row;
  }

  private async open(instanceId: string): Promise<InstanceChange> {
    let change = this.changed.get(instanceId);
    if (!change) {
      const row = await this.read(instanceId);
      change = {
        definition: this.runtime.registry.get(row.definition, row.definitionVersion),
        instance: row,
        read: row,
        journal: [],
        timers: [],
        effects: [],
        acceptedEvents: [],
      };
      this.changed.set(instanceId, change);
    }
    return change;
  }

  private record(
    change: InstanceChange,
    step: Step,
    entry: { eventType: string; payload: Record<string, unknown>; actor: Actor },
  ): void {
    const at = this.now.toISOString();
    const { context, ...snapshot } = step.persisted;
    const before = change.instance;
    change.instance = Object.assign(new WorkflowInstanceRow(), before, {
      state: step.state,
      status: step.status,
      snapshot,
      context,
      version: before.version + 1,
      updatedAt: at,
      timerDigest: timerDigest(step.timers),
    });
    change.journal.push({
      seq: change.instance.version,
      at,
      actorId: entry.actor.id,
      actorRole: entry.actor.role,
      eventType: entry.eventType,
      payload: entry.payload,
      stateBefore: before.version === 0 ? null : before.state,
      stateAfter: step.state,
    });
    change.timers = step.timers;
    change.effects.push(...step.effects);
    change.acceptedEvents = step.acceptedEvents;
  }
}
