import type { WorkflowDefinition } from '../src/engine/workflow.js';
import type { MessageTemplate } from './shared/mail.js';

/** Per programme, per reminder rule: changes to the default reminder policy, from configuration. */
export type ReminderOverrides = Record<string, Record<string, unknown>>;

/**
 * The programmes Lotse runs. A new programme is a folder here and one line in each list below. Definitions are
 * built from configuration (reminder overrides), so this is a function rather than a constant.
 */
export function programmeWorkflows(_reminderOverrides: ReminderOverrides = {}): WorkflowDefinition[] {
  return [];
}

/** Message templates of all programmes, keyed `<programme>/<template>`. */
export const PROGRAMME_MESSAGES: Record<string, MessageTemplate> = {};
