import { Inject, Injectable } from '@nestjs/common';
import type { AnyStateNode } from 'xstate';
import { NotFound } from '../common/errors.js';
import type { WorkflowDefinition } from './workflow.js';

export const WORKFLOW_DEFINITIONS = Symbol('WORKFLOW_DEFINITIONS');

/** Journal rows the engine writes itself; replaying the journal tells them from events by these names. */
const JOURNAL_ENTRIES = ['created', 'migrated'];

function assertRunnable(definition: WorkflowDefinition, node: AnyStateNode): void {
  if (node.after.length) {
    throw new Error(
      `${definition.name}@${definition.version}: state ${node.id} uses 'after'; XState does not persist delays — declare the deadline in meta.timers`,
    );
  }
  const reserved = node.ownEvents.filter((type) => JOURNAL_ENTRIES.includes(type));
  if (reserved.length)
    throw new Error(
      `${definition.name}@${definition.version}: state ${node.id} handles ${reserved.join(', ')}, a name the journal reserves`,
    );
  for (const child of Object.values(node.states)) assertRunnable(definition, child);
}

/** The workflow definitions this process runs, by name and version. Several versions run side by side. */
@Injectable()
export class DefinitionRegistry {
  private readonly byName = new Map<string, Map<number, WorkflowDefinition>>();

  constructor(@Inject(WORKFLOW_DEFINITIONS) definitions: WorkflowDefinition[]) {
    for (const definition of definitions) {
      if (!/^[a-z][a-z0-9-]*$/.test(definition.name))
        throw new Error(`workflow name ${definition.name} must be kebab-case`);
      if (!Number.isInteger(definition.version) || definition.version < 1)
        throw new Error(`${definition.name}: version must be a positive integer`);
      assertRunnable(definition, definition.machine.root);
      for (const type of Object.keys(definition.corrections ?? {})) {
        // Replay tells a correction from an event by its type alone.
        if (
          JOURNAL_ENTRIES.includes(type) ||
          type.startsWith('due.') ||
          definition.machine.root.events.includes(type as never)
        ) {
          throw new Error(
            `${definition.name}@${definition.version}: correction ${type} is also an event of the machine or a name the journal reserves`,
          );
        }
      }
      const versions = this.byName.get(definition.name) ?? new Map<number, WorkflowDefinition>();
      if (versions.has(definition.version))
        throw new Error(`${definition.name}@${definition.version} registered twice`);
      versions.set(definition.version, definition);
      this.byName.set(definition.name, versions);
    }
  }

  /** The given version, or the newest when none is given. */
  get(name: string, version?: number): WorkflowDefinition {
    const versions = this.byName.get(name);
    if (!versions)
      throw new NotFound(`no workflow definition named ${name}`, 'definition-exists', { definition: name });
    const chosen = version ?? Math.max(...versions.keys());
    const definition = versions.get(chosen);
    if (!definition)
      throw new NotFound(`workflow ${name} has no version ${chosen}`, 'definition-exists', {
        definition: name,
        version: chosen,
      });
    return definition;
  }

  list(): WorkflowDefinition[] {
    return [...this.byName.values()]
      .flatMap((versions) => [...versions.values()])
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }
}
