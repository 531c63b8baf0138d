import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventObject } from 'xstate';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from './clock.js';
import { ConcurrentUpdate, EventNotAccepted, NotFound, OutOfScope, RuleViolation } from './errors.js';
import { acceptedEvents, applyEvent, restore, snapshotStep, startInstance, type Step } from './machine-runtime.js';
import { type JournalRow, type TimerRow, WorkflowInstanceRow } from './persistence/entities.js';
import { InstanceStore, StaleInstance, type Commit, type InstanceFilter } from './persistence/instance.store.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { DefinitionRegistry } from './registry.js';
import { TIMER_EVENT_PREFIX, type WorkflowDefinition } from './workflow.js';

/**
 * Writes of a programme's own tables that belong to the same step: they run inside the engine's transaction, after
 * the instance, journal and timers, so either all of it is stored or none (and it reruns when a step is retried).
 */
export type AlsoWrite = (manager: EntityManager) => Promise<void>;

/** Who caused a change: recorded in the journal. */
export interface Actor {
  id: string;
  role: string;
}

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

export interface PendingTimer {
  key: string;
  dueAt: string;
  event: string | null;
  effect: string | null;
}

export interface InstanceDetails extends InstanceSummary {
  pendingTimers: PendingTimer[];
}

const MAX_ATTEMPTS = 5;

interface StepOptions {
  idempotency?: { key: string; requestHash: string };
  firedTimerId?: number;
  alsoWrite?: AlsoWrite;
}

function listed(row: WorkflowInstanceRow): Omit<InstanceSummary, 'acceptedEvents'> {
  return {
    id: row.id, definition: row.definition, version: row.definitionVersion, state: row.state, status: row.status,
    context: row.context, revision: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

function summary(row: WorkflowInstanceRow, acceptedEvents: string[]): InstanceSummary {
  return { ...listed(row), acceptedEvents };
}

function persistedOf(row: WorkflowInstanceRow): Record<string, unknown> {
  return { ...row.snapshot, context: row.context };
}

function timerDigest(timers: Step['timers']): string {
  const declared = timers.map((t) => JSON.stringify([t.key, t.dueAt.toISOString(), t.event ?? null, t.effect ?? null])).sort();
  return createHash('sha256').update(declared.join('\n')).digest('hex');
}

function assertGenericWrites(definition: WorkflowDefinition): void {
  if (definition.writtenBy === 'programme') {
    throw new OutOfScope(
      `${definition.name} instances change only through the ${definition.name} programme's own endpoints, which check its rules and scope`,
      'programme-service-only', { definition: definition.name },
    );
  }
}

function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * The generic runtime: starts instances, applies events, fires timers. Each accepted event is one transaction
 * (instance, journal row, timers, outbox, idempotency key); effects are dispatched after it commits.
 */
@Injectable()
export class WorkflowEngine {
  private readonly logger = new Logger(WorkflowEngine.name);

  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly store: InstanceStore,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async create(command: { definition: string; version?: number; input: unknown; actor: Actor; idempotencyKey?: string; alsoWrite?: (instanceId: string) => AlsoWrite }): Promise<InstanceSummary> {
    const definition = this.registry.get(command.definition, command.version);
    const idempotency = command.idempotencyKey
      ? { key: `create:${command.idempotencyKey}`, requestHash: requestHash([definition.name, definition.version, command.input]) }
      : undefined;
    const repeat = await this.repeatedAnswer(idempotency);
    if (repeat) return repeat;
    const step = startInstance(definition, command.input, this.config.timeZone);
    const now = this.clock.now().toISOString();
    const row = Object.assign(new WorkflowInstanceRow(), {
      id: randomUUID(), definition: definition.name, definitionVersion: definition.version, createdAt: now, version: 0,
    });
    return this.commitStep(row, null, step, { eventType: 'created', payload: { input: command.input }, actor: command.actor }, {
      idempotency, alsoWrite: command.alsoWrite?.(row.id),
    });
  }

  /** `create` for the generic instances API: refused for definitions that only their programme's service writes. */
  createFromGenericApi(command: { definition: string; version?: number; input: unknown; actor: Actor; idempotencyKey?: string }): Promise<InstanceSummary> {
    assertGenericWrites(this.registry.get(command.definition, command.version));
    return this.create(command);
  }

  /** `send` for the generic instances API: refused for instances that only their programme's service writes. */
  async sendFromGenericApi(instanceId: string, event: EventObject, actor: Actor, idempotencyKey?: string): Promise<InstanceSummary> {
    const row = await this.load(instanceId);
    assertGenericWrites(this.registry.get(row.definition, row.definitionVersion));
    return this.send(instanceId, event, actor, idempotencyKey);
  }

  /** Sends a client event. Timer events (`due.*`) are the engine's alone. */
  async send(instanceId: string, event: EventObject, actor: Actor, idempotencyKey?: string, alsoWrite?: AlsoWrite): Promise<InstanceSummary> {
    if (event.type.startsWith(TIMER_EVENT_PREFIX)) {
      throw new RuleViolation('timer-events-are-internal', `events named ${TIMER_EVENT_PREFIX}* are raised by the engine's timers, not by clients`, { event: event.type });
    }
    const idempotency = idempotencyKey ? { key: `${instanceId}:${idempotencyKey}`, requestHash: requestHash(event) } : undefined;
    const repeat = await this.repeatedAnswer(idempotency);
    if (repeat) return repeat;
    return this.apply(instanceId, event, actor, { idempotency, alsoWrite });
  }

  async get(instanceId: string): Promise<InstanceDetails> {
    const row = await this.load(instanceId);
    const definition = this.registry.get(row.definition, row.definitionVersion);
    const timers = await this.store.pendingTimers(instanceId);
    return {
      ...summary(row, acceptedEvents(restore(definition, persistedOf(row)))),
      pendingTimers: timers.map((t) => ({ key: t.key, dueAt: t.dueAt, event: (t.event?.type as string) ?? null, effect: (t.effect?.kind as string) ?? null })),
    };
  }

  async list(filter: InstanceFilter): Promise<{ total: number; items: Omit<InstanceSummary, 'acceptedEvents'>[] }> {
    const { total, items } = await this.store.list(filter);
    return { total, items: items.map(listed) };
  }

  /** Current states of many instances at once, for programme views that list their cases. */
  statesOf(instanceIds: string[]): Promise<Map<string, string>> {
    return this.store.statesOf(instanceIds);
  }

  async journal(instanceId: string): Promise<JournalRow[]> {
    await this.load(instanceId);
    return this.store.journal(instanceId);
  }

  /** Fires one due timer: raises its event in the instance, or queues its effect. */
  async fireTimer(timer: TimerRow): Promise<void> {
    if (timer.effect) {
      await this.store.fireEffectTimer(timer, this.clock.now());
      this.dispatcher.kick();
      return;
    }
    try {
      await this.apply(timer.instanceId, timer.event as unknown as EventObject, { id: `timer:${timer.key}`, role: 'system' }, { firedTimerId: timer.id });
    } catch (error) {
      if (!(error instanceof EventNotAccepted || error instanceof NotFound)) throw error;
      this.logger.warn(`timer ${timer.key} of ${timer.instanceId} discarded: ${error.message}`);
      await this.store.discardTimer(timer.id, this.clock.now());
    }
  }

  /**
   * Moves an instance to a newer version of its definition through that version's explicit migration. The
   * migration is journalled like an event.
   */
  async migrate(instanceId: string, toVersion: number, actor: Actor): Promise<InstanceSummary> {
    const row = await this.load(instanceId);
    const target = this.registry.get(row.definition, toVersion);
    const migration = target.migrations?.[row.definitionVersion];
    if (!migration) {
      throw new RuleViolation('migration-declared', `${row.definition}@${toVersion} declares no migration from version ${row.definitionVersion}`, { from: row.definitionVersion, to: toVersion });
    }
    const migrated = migration({ value: row.snapshot.value, context: row.context });
    const snapshot = target.machine.resolveState({ value: migrated.value as never, context: migrated.context as never });
    const step = snapshotStep(target, snapshot, this.config.timeZone);
    const fromVersion = row.definitionVersion;
    return this.commitStep(
      Object.assign(new WorkflowInstanceRow(), row, { definitionVersion: target.version }),
      row.version,
      step,
      { eventType: 'migrated', payload: { fromVersion, toVersion }, actor, stateBefore: row.state },
    );
  }

  private async apply(instanceId: string, event: EventObject, actor: Actor, options: StepOptions): Promise<InstanceSummary> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.load(instanceId);
      const definition = this.registry.get(row.definition, row.definitionVersion);
      const step = applyEvent(definition, persistedOf(row), event, this.config.timeZone);
      const { type, ...payload } = event;
      try {
        return await this.commitStep(row, row.version, step, { eventType: type, payload, actor, stateBefore: row.state }, options);
      } catch (error) {
        if (!(error instanceof StaleInstance)) throw error;
        if (attempt === MAX_ATTEMPTS) throw new ConcurrentUpdate(`instance ${instanceId} kept changing; ${type} was not applied, try again`, 'optimistic-lock');
      }
    }
  }

  private async commitStep(
    row: WorkflowInstanceRow,
    readVersion: number | null,
    step: Step,
    entry: { eventType: string; payload: Record<string, unknown>; actor: Actor; stateBefore?: string },
    { idempotency, firedTimerId, alsoWrite }: StepOptions = {},
  ): Promise<InstanceSummary> {
    const now = this.clock.now();
    const { context, ...snapshot } = step.persisted;
    const next = Object.assign(new WorkflowInstanceRow(), row, {
      state: step.state, status: step.status, snapshot, context, version: (readVersion ?? 0) + 1, updatedAt: now.toISOString(),
      timerDigest: timerDigest(step.timers),
    });
    const commit: Commit = {
      instance: next,
      readVersion,
      previousTimerDigest: readVersion === null ? null : row.timerDigest,
      journal: {
        at: now.toISOString(), actorId: entry.actor.id, actorRole: entry.actor.role, eventType: entry.eventType,
        payload: entry.payload, stateBefore: entry.stateBefore ?? null, stateAfter: step.state,
      },
      timers: step.timers,
      effects: step.effects,
      firedTimerId,
      alsoWrite,
      idempotency: idempotency && { ...idempotency, createdAt: now.toISOString(), response: (saved) => ({ ...summary(saved, step.acceptedEvents) }) },
    };
    try {
      const saved = await this.store.commit(commit, now);
      if (step.effects.length) this.dispatcher.kick();
      return summary(saved, step.acceptedEvents);
    } catch (error) {
      const repeat = !(error instanceof StaleInstance) && (await this.repeatedAnswer(idempotency));
      if (repeat) return repeat;
      throw error;
    }
  }

  /** The first answer given under this idempotency key, or null when the key is new. */
  private async repeatedAnswer(idempotency?: { key: string; requestHash: string }): Promise<InstanceSummary | null> {
    if (!idempotency) return null;
    const stored = await this.store.findIdempotency(idempotency.key);
    if (!stored) return null;
    if (stored.requestHash !== idempotency.requestHash) {
      throw new RuleViolation('idempotency-key-reused', 'this idempotency key was already used for a different request', { key: idempotency.key });
    }
    return stored.response as unknown as InstanceSummary;
  }

  private async load(instanceId: string): Promise<WorkflowInstanceRow> {
    const row = await this.store.find(instanceId);
    if (!row) throw new NotFound(`no workflow instance ${instanceId}`, 'instance-exists', { instance: instanceId });
    return row;
  }
}
