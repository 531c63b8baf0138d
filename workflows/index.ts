import type { WorkflowDefinition } from '../src/engine/workflow.js';

/** The programmes Lotse runs. A new programme is a folder here and one line in this list. */
export const PROGRAMME_WORKFLOWS: WorkflowDefinition[] = [];
