/**
 * The reminders contract administrators expect (DOMAIN.md, "Reminders people expect"), as a default policy that
 * configuration may change per rule. Lower Saxony's holidays decide the working day a reminder goes out.
 */
import type { ReminderPolicy } from '../shared/reminders.js';
import { CONTRACT_ADMIN } from './contract.js';

export const PROGRAMME = 'contract-review';

export const contractReviewReminders: ReminderPolicy = {
  programme: PROGRAMME,
  region: 'NI',
  rules: [
    {
      key: 'review-due',
      deadline: 'review',
      offsets: ['-P9M', '-P6M', '-P3M'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/review-due`,
    },
    // Declared only while no evaluation is recorded, so it is an escalation, not a routine reminder.
    {
      key: 'evaluation-missing',
      deadline: 'evaluation',
      offsets: ['-P3M'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/evaluation-missing`,
    },
    {
      key: 'notice-window',
      deadline: 'notice-window',
      offsets: ['-P4W', '-P1W'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/notice-window`,
    },
    {
      key: 'secondment-ending',
      deadline: 'secondment-end',
      offsets: ['-P6M', '-P3M'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/secondment-ending`,
    },
    {
      key: 'annual-report-due',
      deadline: 'annual-report',
      offsets: ['-P4W'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/annual-report-due`,
    },
    {
      key: 'annual-report-overdue',
      deadline: 'annual-report',
      offsets: ['P1D'],
      roles: [CONTRACT_ADMIN],
      template: `${PROGRAMME}/annual-report-overdue`,
    },
  ],
};
