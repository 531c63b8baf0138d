import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An instance as it stands after a committed step: what a projection derives its rows from. */
export interface ProjectedInstance {
  id: string;
  definition: string;
  definitionVersion: number;
  /** Leaf state paths, dotted; parallel regions joined by `,`. */
  state: string;
  status: string;
  context: Record<string, unknown>;
  /** Number of journal rows so far. */
  revision: number;
  /** When the instance was created and when its last step was journalled (ISO instants). */
  createdAt: string;
  updatedAt: string;
}

/**
 * A programme's read tables as a function of one instance. The engine applies every projection of a definition
 * inside the transaction of each committed step of an instance of it (creation, client event, timer event,
 * migration), so the tables never lag the workflow. `project` must depend on nothing but the instance: the same
 * instance gives the same rows, which is what lets them be rebuilt from the journal.
 */
export interface Projection {
  definition: string;
  project(manager: EntityManager, instance: ProjectedInstance): Promise<void>;
}

/** The projections of this process, by definition name. Programme modules register theirs when they start. */
@Injectable()
export class ProjectionRegistry {
  private readonly byDefinition = new Map<string, Projection[]>();

  register(projection: Projection): void {
    this.byDefinition.set(projection.definition, [...this.of(projection.definition), projection]);
  }

  of(definition: string): readonly Projection[] {
    return this.byDefinition.get(definition) ?? [];
  }
}
