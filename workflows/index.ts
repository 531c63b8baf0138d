import type { WorkflowDefinition } from '../src/engine/workflow.js';
import type { MessageTemplate } from './shared/mail.js';
import { withOverrides } from './shared/reminders.js';
import { contractReviewWorkflow } from './contract-review/machine.js';
import { contractReviewMessages } from './contract-review/messages.js';
import { contractReviewReminders } from './contract-review/reminders.js';
import { evaluationMeetingWorkflow } from './evaluation/machine.js';
import { EVALUATION_MEETING_MESSAGES } from './evaluation/messages.js';
import { EVALUATION_MEETING_REMINDERS } from './evaluation/reminders.js';
import { tandemQualificationWorkflows } from './tandem-qualification/machine.js';
import { TANDEM_QUALIFICATION_MESSAGES } from './tandem-qualification/messages.js';
import { TANDEM_QUALIFICATION_REMINDERS } from './tandem-qualification/reminders.js';

/** Per programme, per reminder rule: changes to the default reminder policy, from configuration. */
export type ReminderOverrides = Record<string, Record<string, unknown>>;

/**
 * The programmes Lotse runs. A new programme is a folder here and one line in each list below. Definitions are
 * built from configuration (reminder overrides), so this is a function rather than a constant.
 */
export function programmeWorkflows(reminderOverrides: ReminderOverrides = {}): WorkflowDefinition[] {
  // A misspelt programme would otherwise silently keep its default reminders.
  const programmes = [
    contractReviewReminders.programme,
    TANDEM_QUALIFICATION_REMINDERS.programme,
    EVALUATION_MEETING_REMINDERS.programme,
  ];
  const unknown = Object.keys(reminderOverrides).filter((programme) => !programmes.includes(programme));
  if (unknown.length)
    throw new Error(
      `reminder overrides name unknown programme(s) ${unknown.join(', ')} (known: ${programmes.join(', ')})`,
    );
  return [
    contractReviewWorkflow(withOverrides(contractReviewReminders, reminderOverrides['contract-review'])),
    ...tandemQualificationWorkflows(
      withOverrides(TANDEM_QUALIFICATION_REMINDERS, reminderOverrides['tandem-qualification']),
    ),
    evaluationMeetingWorkflow(withOverrides(EVALUATION_MEETING_REMINDERS, reminderOverrides['evaluation-meeting'])),
  ];
}

/** Message templates of all programmes, keyed `<programme>/<template>`. */
export const PROGRAMME_MESSAGES: Record<string, MessageTemplate> = {
  ...contractReviewMessages,
  ...Object.fromEntries(
    Object.entries(TANDEM_QUALIFICATION_MESSAGES).map(([name, template]) => [`tandem-qualification/${name}`, template]),
  ),
  ...EVALUATION_MEETING_MESSAGES,
};
