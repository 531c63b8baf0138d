import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { NotFound, OutOfScope } from '../common/errors.js';
import { DefinitionRegistry } from '../engine/registry.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { SignedInRequest } from './auth.guard.js';
import { mayReadInstance, programmeDefinitionsListableBy } from './policy.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The generic instance API's policy (after the AuthGuard): an instance, its journal and a list of instances are
 * shown only to whom `mayReadInstance` allows. Writes need no check here: the engine refuses every write to a
 * programme's instances (`programme-service-only`), and the others have no scope of their own.
 */
@Injectable()
export class InstanceAccessGuard implements CanActivate {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly registry: DefinitionRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const actor = request.actor!;
    if (request.method !== 'GET' || actor.role === 'ministry') return true;
    const id = request.params.id;
    if (typeof id === 'string') {
      if (!UUID.test(id)) return true; // the route's pipe answers 400
      const instance = await this.engine.get(id);
      if (!mayReadInstance(actor, instance, this.writtenBy(instance.definition))) {
        throw new OutOfScope(
          `the role ${actor.role} may not read this ${instance.definition} instance`,
          'instance-in-scope',
          { instance: id },
        );
      }
      return true;
    }
    if (request.route?.path !== '/instances') return true;
    const definition = typeof request.query.definition === 'string' ? request.query.definition : undefined;
    const listable = programmeDefinitionsListableBy(actor);
    if (
      !definition ||
      (this.writtenBy(definition) === 'programme' && listable !== 'all' && !listable.includes(definition))
    ) {
      throw new OutOfScope(
        definition
          ? `the role ${actor.role} may not list ${definition} instances`
          : "name the definition to list (only the ministry lists every programme's instances at once)",
        'instances-listed-in-scope',
        { definition: definition ?? null },
      );
    }
    return true;
  }

  /** How a definition is written; one this process does not know counts as a programme's (closed by default). */
  private writtenBy(definition: string): 'api' | 'programme' {
    try {
      return this.registry.get(definition).writtenBy ?? 'api';
    } catch (error) {
      if (error instanceof NotFound) return 'programme';
      throw error;
    }
  }
}
