/**
 * What a contract owes, and by when. One list serves both the reminder policy (which mails go out) and the read
 * side ("what is due next"), so a person is never reminded of a deadline the API does not show, or the reverse.
 */
import type { Deadline } from '../shared/reminders.js';
import { currentPeriod, nextAnnualReportDue, recipientsOf, type ContractContext } from './contract.js';
import { lastDayToGiveNotice, noticeEffectiveDate, noticeWindowsBefore } from './dates.js';

export type DeadlineKind = 'review' | 'evaluation' | 'notice-window' | 'termination' | 'secondment-end' | 'annual-report';
export const DEADLINE_KINDS: DeadlineKind[] = ['review', 'evaluation', 'notice-window', 'termination', 'secondment-end', 'annual-report'];

/**
 * The deadlines of a running contract. After notice, the review and its notice windows are moot; the partners stay
 * bound until the effective date, so secondment and report deadlines up to that day remain. A reminder's data is
 * fixed when it is first declared (the engine keeps a timer whose key and due time are unchanged), so `data` holds
 * only what stays true for the deadline's id.
 */
export function deadlinesOf(context: ContractContext): Deadline[] {
  if (context.termination) return [];
  const recipients = recipientsOf(context);
  const base = { contractId: context.contractId, bildungsregion: context.bildungsregion };
  const deadlines: Deadline[] = [];
  const notice = context.notice;
  if (notice) {
    deadlines.push({ kind: 'termination', id: `termination-${notice.effectiveOn}`, on: notice.effectiveOn, recipients, data: { ...base, noticeBy: notice.by, receivedOn: notice.receivedOn } });
  } else {
    const reviewOn = context.reviewDueOn;
    deadlines.push({ kind: 'review', id: `review-${reviewOn}`, on: reviewOn, recipients, data: { ...base, cycle: context.cycle } });
    if (!context.evaluation) deadlines.push({ kind: 'evaluation', id: `evaluation-${reviewOn}`, on: reviewOn, recipients, data: { ...base, reviewDueOn: reviewOn } });
    for (const window of noticeWindowsBefore(reviewOn)) {
      deadlines.push({ kind: 'notice-window', id: `notice-window-${window.lastDay}`, on: window.lastDay, recipients, data: { ...base, effectiveOn: window.effectiveOn, reviewDueOn: reviewOn } });
    }
  }
  const boundUntil = notice?.effectiveOn ?? '9999-12-31';
  for (const secondment of context.secondments) {
    const until = currentPeriod(secondment).until;
    if (secondment.endedOn || until > boundUntil) continue;
    deadlines.push({ kind: 'secondment-end', id: `secondment-${secondment.id}-${until}`, on: until, recipients, data: { ...base, coordinator: secondment.coordinator, secondmentId: secondment.id } });
  }
  const reportOn = nextAnnualReportDue(context);
  if (reportOn <= boundUntil) {
    deadlines.push({ kind: 'annual-report', id: `annual-report-${context.annualReports.length + 1}`, on: reportOn, recipients, data: { ...base, n: context.annualReports.length + 1 } });
  }
  return deadlines;
}

export interface DueItem {
  kind: DeadlineKind;
  id: string;
  /** The day it is due. */
  on: string;
  /** Past its day and still open. */
  overdue: boolean;
  details: Record<string, unknown>;
}

/**
 * Everything the contract owes, soonest first, as seen on `today`. Besides the reminder deadlines it names the next
 * chance to give notice (the last day a notice must arrive for the next termination date), while no notice is given.
 */
export function dueItems(context: ContractContext, today: string): DueItem[] {
  const items: DueItem[] = deadlinesOf(context)
    .filter((deadline) => deadline.kind !== 'notice-window')
    .map((deadline) => {
      const { contractId: _c, bildungsregion: _b, ...details } = deadline.data;
      return { kind: deadline.kind as DeadlineKind, id: deadline.id, on: deadline.on, overdue: deadline.on < today, details };
    });
  if (!context.termination && !context.notice) {
    const effectiveOn = noticeEffectiveDate(today);
    const lastDay = lastDayToGiveNotice(effectiveOn);
    items.push({ kind: 'notice-window', id: `notice-window-${lastDay}`, on: lastDay, overdue: false, details: { effectiveOn } });
  }
  return items.sort((a, b) => a.on.localeCompare(b.on) || a.kind.localeCompare(b.kind));
}
