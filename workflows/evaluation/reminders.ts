/**
 * Whom Lotse reminds of the ministry's yearly meeting on the evaluation findings, and when: the recipients recorded
 * with the meeting, four weeks and one week before it, with the year's report attached. North Rhine-Westphalia's
 * holidays decide the working day (a reminder before the meeting moves to the working day before). Configurable
 * under `reminderOverrides['evaluation-meeting']`.
 */
import type { ReminderPolicy } from '../shared/reminders.js';
import { MINISTRY, PROGRAMME } from './meeting.js';

export const EVALUATION_MEETING_REMINDERS: ReminderPolicy = {
  programme: PROGRAMME,
  region: 'NW',
  rules: [
    {
      key: 'meeting-upcoming',
      deadline: 'meeting',
      offsets: ['-P4W', '-P1W'],
      roles: [MINISTRY],
      template: `${PROGRAMME}/meeting-upcoming`,
    },
  ],
};
