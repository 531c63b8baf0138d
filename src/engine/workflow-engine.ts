import { Injectable, Logger } from '@nestjs/common';
import { hash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventObject } from 'xstate';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from './clock.js';
import type { Actor } from '../common/actor.js';
import {
  persistedOf,
  projectedOf,
  StagedCommand,
  summaryOf,
  type Command,
  type InstanceChange,
  type InstanceSummary,
  type ProgrammeWrite,
} from './command.js';
import {
  ConcurrentUpdate,
  EventNotAccepted,
  IDEMPOTENCY_KEY_MAX,
  MalformedIdempotencyKey,
  NotFound,
  OutOfScope,
  RuleViolation,
} from '../common/errors.js';
import {
  acceptedEvents,
  applyCorrection,
  applyEvent,
  migrateSnapshot,
  restore,
  startInstance,
  type Step,
} from './machine-runtime.js';
import { type JournalRow, type TimerRow, WorkflowInstanceRow } from './persistence/entities.js';
import {
  InstanceStore,
  StaleInstance,
  TimerAlreadyHandled,
  type InstanceFilter,
} from './persistence/instance.store.js';
import { WriteSerializer } from './persistence/write-serializer.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import { ProjectionRegistry, type ProjectedInstance } from './projection.js';
import { DefinitionRegistry } from './registry.js';
import type { WorkflowDefinition } from './workflow.js';

export type { Command, CommandScope, InstanceSummary, ProgrammeWrite } from './command.js';

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
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

interface Idempotency {
  key: string;
  requestHash: string;
}

function listed(row: WorkflowInstanceRow): Omit<InstanceSummary, 'acceptedEvents'> {
  const { acceptedEvents: _none, ...rest } = summaryOf(row, []);
  return rest;
}

function assertGenericWrites(definition: WorkflowDefinition): void {
  if (definition.writtenBy === 'programme') {
    throw new OutOfScope(
      `${definition.name} instances change only through the ${definition.name} programme's own endpoints, which check its rules and scope`,
      'programme-service-only',
      { definition: definition.name },
    );
  }
}

function requestHash(request: unknown): string {
  return hash('sha256', JSON.stringify(request) ?? '', 'hex');
}

/** A client's key, checked at the edge: the stored key is `<scope>:<key>` and must fit its column. */
function idempotency(scope: string, key: string | undefined, request: unknown): Idempotency | undefined {
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX || !PRINTABLE_ASCII.test(key))
    throw new MalformedIdempotencyKey(key);
  return { key: `${scope}:${key}`, requestHash: requestHash(request) };
}

/**
 * The generic runtime: runs commands (start instances, apply events, fire timers, migrate), each as one
 * transaction of instances, journal rows, timers, outbox, the programme's rows, the projections and the idempotency
 * record; effects are dispatched after it commits.
 */
@Injectable()
export class WorkflowEngine {
  private readonly logger = new Logger(WorkflowEngine.name);

  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly store: InstanceStore,
    private readonly writes: WriteSerializer,
    private readonly projections: ProjectionRegistry,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  /**
   * Runs a programme's command: `decide` stages instance starts, events and the programme's own writes; they are
   * committed in one transaction together with every touched instance's projections and, under an idempotency key,
   * the answer. Rerun on fresh data when an instance it read changed meanwhile (409 after five attempts).
   */
  async execute<TDecided, TAnswer = TDecided>(command: Command<TDecided, TAnswer>): Promise<TAnswer> {
    const key = command.idempotency && idempotency('command', command.idempotency.key, command.idempotency.request);
    return this.run(command.actor, key, (scope) => command.decide(scope), command.answer);
  }

  /** Starts an instance; `alsoWrite` gets the new instance's id. */
  async create(command: {
    definition: string;
    version?: number;
    input: unknown;
    actor: Actor;
    idempotencyKey?: string;
    alsoWrite?: (instanceId: string) => ProgrammeWrite;
  }): Promise<InstanceSummary> {
    const definition = this.registry.get(command.definition, command.version);
    const key = idempotency('create', command.idempotencyKey, [definition.name, definition.version, command.input]);
    return this.run(command.actor, key, (scope) => {
      const created = scope.create(definition.name, command.input, { version: definition.version });
      if (command.alsoWrite) scope.write(command.alsoWrite(created.id));
      return created;
    });
  }

  /** `create` for the generic instances API: refused for definitions that only their programme's service writes. */
  createFromGenericApi(command: {
    definition: string;
    version?: number;
    input: unknown;
    actor: Actor;
    idempotencyKey?: string;
  }): Promise<InstanceSummary> {
    assertGenericWrites(this.registry.get(command.definition, command.version));
    return this.create(command);
  }

  /** `send` for the generic instances API: refused for instances that only their programme's service writes. */
  async sendFromGenericApi(
    instanceId: string,
    event: EventObject,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<InstanceSummary> {
    const row = await this.load(instanceId);
    assertGenericWrites(this.registry.get(row.definition, row.definitionVersion));
    return this.send(instanceId, event, actor, idempotencyKey);
  }

  /** Sends a client event to one instance. Timer events (`due.*`) are the engine's alone. */
  async send(
    instanceId: string,
    event: EventObject,
    actor: Actor,
    idempotencyKey?: string,
    alsoWrite?: ProgrammeWrite,
  ): Promise<InstanceSummary> {
    const key = idempotency(instanceId, idempotencyKey, event);
    return this.run(actor, key, async (scope) => {
      const sent = await scope.send(instanceId, event);
      if (alsoWrite) scope.write(alsoWrite);
      return sent;
    });
  }

  async get(instanceId: string): Promise<InstanceDetails> {
    const row = await this.load(instanceId);
    const definition = this.registry.get(row.definition, row.definitionVersion);
    const timers = await this.store.pendingTimers(instanceId);
    return {
      ...summaryOf(row, acceptedEvents(restore(definition, persistedOf(row)))),
      pendingTimers: timers.map((t) => ({
        key: t.key,
        dueAt: t.dueAt,
        event: t.event && JSON.parse(t.event).type,
        effect: t.effect && JSON.parse(t.effect).kind,
      })),
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
      await this.run({ id: `timer:${timer.key}`, role: 'system' }, undefined, (scope) =>
        scope.step(timer.instanceId, timer.event as unknown as EventObject, scope.actor, timer.id),
      );
    } catch (error) {
      if (error instanceof TimerAlreadyHandled) return;
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
    return this.run(actor, undefined, (scope) => scope.migrate(instanceId, target));
  }

  /**
   * The instance as its journal alone makes it: creation, every event, correction and migration replayed through the
   * machine. Equal to the stored instance unless something wrote around the engine.
   */
  async replay(instanceId: string): Promise<ProjectedInstance> {
    const stored = await this.load(instanceId);
    const journal = await this.store.journal(instanceId);
    const firstMigration = journal.find((entry) => entry.eventType === 'migrated');
    let definition = this.registry.get(
      stored.definition,
      (firstMigration?.payload.fromVersion as number | undefined) ?? stored.definitionVersion,
    );
    let step: Step | null = null;
    for (const entry of journal) {
      if (step === null) {
        step = startInstance(definition, entry.payload.input, this.config.timeZone);
      } else if (entry.eventType === 'migrated') {
        definition = this.registry.get(stored.definition, entry.payload.toVersion as number);
        step = migrateSnapshot(definition, entry.payload.fromVersion as number, step.persisted, this.config.timeZone);
      } else if (definition.corrections?.[entry.eventType]) {
        step = applyCorrection(
          definition,
          step.persisted,
          { ...entry.payload, type: entry.eventType },
          this.config.timeZone,
        );
      } else {
        step = applyEvent(
          definition,
          step.persisted,
          { ...entry.payload, type: entry.eventType },
          this.config.timeZone,
        );
      }
    }
    return {
      id: stored.id,
      definition: definition.name,
      definitionVersion: definition.version,
      state: step!.state,
      status: step!.status,
      context: step!.context,
      revision: journal.length,
      createdAt: journal[0].at,
      updatedAt: journal.at(-1)!.at,
    };
  }

  /** Rewrites the projections of one instance from its replayed journal; returns what the replay gave. */
  async rebuildProjections(instanceId: string): Promise<ProjectedInstance> {
    const replayed = await this.replay(instanceId);
    await this.writes.transaction(async (em) => {
      for (const projection of this.projections.of(replayed.definition)) await projection.project(em, replayed);
    });
    return replayed;
  }

  /**
   * Runs `decide` and commits what it staged; reruns it on fresh data when the commit finds an instance changed.
   * A repeat under a used idempotency key answers from the first commit without running anything.
   */
  private async run<TDecided, TAnswer>(
    actor: Actor,
    key: Idempotency | undefined,
    decide: (scope: StagedCommand) => Promise<TDecided> | TDecided,
    answer?: (em: EntityManager, decided: TDecided) => Promise<TAnswer>,
  ): Promise<TAnswer> {
    for (let attempt = 1; ; attempt++) {
      const repeat = await this.repeatedAnswer(key);
      if (repeat) return repeat.answer as TAnswer;
      const scope = new StagedCommand(
        { registry: this.registry, timeZone: this.config.timeZone, load: (id) => this.load(id) },
        actor,
        this.clock.now(),
      );
      const decided = await decide(scope);
      try {
        const value = await this.commit(scope, decided, answer, key);
        if (scope.hasEffects()) this.dispatcher.kick();
        return value;
      } catch (error) {
        if (error instanceof StaleInstance) {
          if (attempt === MAX_ATTEMPTS)
            throw new ConcurrentUpdate(
              'the instances of this request kept changing; it was not applied, try again',
              'optimistic-lock',
            );
          continue;
        }
        // A concurrent request under the same key committed first: answer as it did.
        const repeat = await this.repeatedAnswer(key);
        if (repeat) return repeat.answer as TAnswer;
        throw error;
      }
    }
  }

  private commit<TDecided, TAnswer>(
    scope: StagedCommand,
    decided: TDecided,
    answer: ((em: EntityManager, decided: TDecided) => Promise<TAnswer>) | undefined,
    key: Idempotency | undefined,
  ): Promise<TAnswer> {
    const changes = scope.changes();
    const now = scope.now;
    return this.writes.transaction(async (em) => {
      for (const read of scope.reads()) await this.store.assertUnchanged(em, read.id, read.version);
      for (const change of changes) await this.store.write(em, change, now);
      for (const write of scope.writes) await write(em);
      await this.project(em, changes);
      const value = answer ? await answer(em, decided) : (decided as unknown as TAnswer);
      if (key) await this.store.insertIdempotency(em, { ...key, response: value, createdAt: now.toISOString() });
      return value;
    });
  }

  private async project(em: EntityManager, changes: InstanceChange[]): Promise<void> {
    for (const change of changes) {
      for (const projection of this.projections.of(change.instance.definition))
        await projection.project(em, projectedOf(change.instance));
    }
  }

  /** The first answer given under this idempotency key, or null when the key is new. */
  private async repeatedAnswer(key?: Idempotency): Promise<{ answer: unknown } | null> {
    if (!key) return null;
    const stored = await this.store.findIdempotency(key.key);
    if (!stored) return null;
    if (stored.requestHash !== key.requestHash) {
      throw new RuleViolation(
        'idempotency-key-reused',
        'this idempotency key was already used for a different request',
        { key: key.key.slice(key.key.indexOf(':') + 1) },
      );
    }
    return { answer: stored.response };
  }

  private async load(instanceId: string): Promise<WorkflowInstanceRow> {
    const row = await this.store.find(instanceId);
    if (!row) throw new NotFound(`no workflow instance ${instanceId}`, 'instance-exists', { instance: instanceId });
    return row;
  }
}
