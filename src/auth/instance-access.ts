import { Injectable } from '@nestjs/common';
import { ContractsRepository } from '../contracts/contracts.repository.js';
import { NotFound } from '../common/errors.js';
import type { InstanceVisibility } from '../engine/persistence/outbox.store.js';
import { DefinitionRegistry } from '../engine/registry.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { CONTRACT_DEFINITION, mayReadInstance, programmeDefinitionsListableBy } from './policy.js';

/** Applies the instance policy (policy.ts) to stored instances: one by id, or as a filter for lists such as the outbox. */
@Injectable()
export class InstanceAccess {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly registry: DefinitionRegistry,
    private readonly contracts: ContractsRepository,
  ) {}

  /** Whether the actor may read the instance; an instance-less record is the ministry's only. */
  async mayRead(actor: Actor, instanceId: string | null): Promise<boolean> {
    if (actor.role === 'ministry') return true;
    if (!instanceId) return false;
    try {
      const instance = await this.engine.get(instanceId);
      return mayReadInstance(actor, instance, this.writtenBy(instance.definition));
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  /**
   * The instances whose records (e.g. mail) the actor may list: the ministry all; a contract administrator those of
   * its contracts; anyone else every instance except those of programmes it does not run.
   */
  async visibleTo(actor: Actor): Promise<InstanceVisibility> {
    if (actor.role === 'ministry') return 'all';
    if (actor.role === 'contract_admin') return { ids: await this.contracts.instancesAdministeredBy(actor.id) };
    const listable = programmeDefinitionsListableBy(actor);
    const closed = this.registry
      .list()
      .filter((d) => d.writtenBy === 'programme' && listable !== 'all' && !listable.includes(d.name))
      .map((d) => d.name);
    return { notOfDefinitions: [...new Set([...closed, CONTRACT_DEFINITION])] };
  }

  private writtenBy(definition: string): 'api' | 'programme' {
    try {
      return this.registry.get(definition).writtenBy ?? 'api';
    } catch (error) {
      if (error instanceof NotFound) return 'programme';
      throw error;
    }
  }
}
