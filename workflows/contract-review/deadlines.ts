/**
 * What a contract owes, and by when. One list serves both the reminder policy (which mails go out) and the read
 * side ("what is due next"), so a person is never reminded of a deadline the API does not show, or the reverse.
 * Each deadline carries its basis: the rule, its inputs and the arithmetic, so a clerk can check the day.
 */
import {
  explainReminder,
  reminderSchedule,
  SEND_TIME,
  type Bilingual,
  type Deadline,
  type DeadlineBasis,
  type ReminderPolicy,
  type ReminderSide,
  type WorkingDayShift,
} from '../shared/reminders.js';
import {
  currentPeriod,
  nextAnnualReportDue,
  recipientsOf,
  type ContractContext,
  type Notice,
  type Secondment,
} from './contract.js';
import {
  earliestNoticeEffectiveDate,
  lastDayToGiveNotice,
  noticeWindowsBefore,
  REVIEW_CYCLE_YEARS,
  secondmentEnd,
  SECONDMENT_YEARS,
} from './dates.js';

export type DeadlineKind =
  'review' | 'evaluation' | 'notice-window' | 'termination' | 'secondment-end' | 'annual-report';
export const DEADLINE_KINDS: DeadlineKind[] = [
  'review',
  'evaluation',
  'notice-window',
  'termination',
  'secondment-end',
  'annual-report',
];

/** Where each rule comes from, in our words: the contract clause, the framework, or a policy of Lotse's own. */
const SOURCES = {
  review: {
    de: 'Mustervertrag § 4: Überprüfung drei Jahre nach Beginn; Lotse wiederholt sie alle drei Jahre nach einer Fortführung',
    en: 'Model contract § 4: review three years after the start; Lotse repeats it every three years after a decision to continue',
  },
  evaluation: {
    de: 'Mustervertrag § 4: die Überprüfung stützt sich auf eine Evaluation und Wirkungsüberprüfung',
    en: 'Model contract § 4: the review rests on an evaluation and impact review',
  },
  notice: {
    de: 'Mustervertrag § 4: Kündigung zum 30. Juni oder 31. Dezember mit sechs Monaten Frist, schriftlich',
    en: 'Model contract § 4: notice to 30 June or 31 December, six months ahead, in writing',
  },
  secondment: {
    de: 'Mustervertrag § 3 und Rahmenkonzept 4.1.2: Abordnung der Bildungskoordination in der Regel zunächst für drei Jahre',
    en: 'Model contract § 3 and framework 4.1.2: the education coordinator is seconded for three years at first, as a rule',
  },
  annualReport: {
    de: 'Lotse-Richtlinie, einstellbar: das Rahmenkonzept nennt den jährlichen Bericht der Geschäftsstelle als Beispiel, nicht als Vertragspflicht',
    en: "Lotse policy, configurable: the framework names the regional office's yearly report as an example, not as a contract duty",
  },
} satisfies Record<string, Bilingual>;

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;

function terminationBasis(notice: Notice): DeadlineBasis {
  const earliest = earliestNoticeEffectiveDate(notice.receivedOn);
  const firstHalf = notice.receivedOn.slice(5) <= '06-30';
  return {
    rule: 'notice-effective-date',
    source: SOURCES.notice,
    inputs: { receivedOn: notice.receivedOn, by: notice.by, earliestEffectiveOn: earliest },
    computation:
      notice.effectiveOn === earliest
        ? `received ${notice.receivedOn}, ${firstHalf ? 'on or before 30 June: 31 December of the same year' : 'from 1 July: 30 June of the next year'}`
        : `the later date named in the notice; the earliest would have been ${earliest}`,
  };
}

function noticeWindowBasis(lastDay: string, effectiveOn: string, inputs: Record<string, unknown>): DeadlineBasis {
  return {
    rule: 'last-day-to-give-notice',
    source: SOURCES.notice,
    inputs: { effectiveOn, ...inputs },
    computation: effectiveOn.endsWith('-12-31')
      ? `30 June for 31 December of the same year: ${lastDay}`
      : `31 December of the year before for 30 June: ${lastDay}`,
  };
}

function secondmentBasis(secondment: Secondment): DeadlineBasis {
  const period = currentPeriod(secondment);
  const usual = period.until === secondmentEnd(period.from);
  return {
    rule: 'secondment-period-end',
    source: SOURCES.secondment,
    inputs: {
      from: period.from,
      until: period.until,
      period: secondment.periods.length,
      form: secondment.form ?? 'abordnung',
    },
    computation: usual
      ? `${period.from} + ${years(SECONDMENT_YEARS)} - 1 day`
      : `the last day recorded for the ${secondment.periods.length === 1 ? 'secondment' : 'extension'} from ${period.from}`,
  };
}

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
    deadlines.push({
      kind: 'termination',
      id: `termination-${notice.effectiveOn}`,
      on: notice.effectiveOn,
      recipients,
      data: { ...base, noticeBy: notice.by, receivedOn: notice.receivedOn },
      basis: terminationBasis(notice),
    });
  } else {
    const reviewOn = context.reviewDueOn;
    const reviewBasis: DeadlineBasis = {
      rule: 'review-every-three-years',
      source: SOURCES.review,
      inputs: { startsOn: context.startsOn, cycle: context.cycle },
      computation: `${context.startsOn} + ${years(REVIEW_CYCLE_YEARS * context.cycle)} (review ${context.cycle} = start + ${REVIEW_CYCLE_YEARS} × ${context.cycle} years)`,
    };
    deadlines.push({
      kind: 'review',
      id: `review-${reviewOn}`,
      on: reviewOn,
      recipients,
      data: { ...base, cycle: context.cycle },
      basis: reviewBasis,
    });
    if (!context.evaluation) {
      deadlines.push({
        kind: 'evaluation',
        id: `evaluation-${reviewOn}`,
        on: reviewOn,
        recipients,
        data: { ...base, reviewDueOn: reviewOn },
        basis: {
          rule: 'evaluation-before-review',
          source: SOURCES.evaluation,
          inputs: { reviewDueOn: reviewOn, cycle: context.cycle },
          computation: `due with review ${context.cycle} on ${reviewOn}`,
        },
      });
    }
    for (const window of noticeWindowsBefore(reviewOn)) {
      deadlines.push({
        kind: 'notice-window',
        id: `notice-window-${window.lastDay}`,
        on: window.lastDay,
        recipients,
        data: { ...base, effectiveOn: window.effectiveOn, reviewDueOn: reviewOn },
        basis: noticeWindowBasis(window.lastDay, window.effectiveOn, {
          reviewDueOn: reviewOn,
          within: `the twelve months before the review on ${reviewOn}`,
        }),
      });
    }
  }
  const boundUntil = notice?.effectiveOn ?? '9999-12-31';
  for (const secondment of context.secondments) {
    const until = currentPeriod(secondment).until;
    if (secondment.endedOn || until > boundUntil) continue;
    deadlines.push({
      kind: 'secondment-end',
      id: `secondment-${secondment.id}-${until}`,
      on: until,
      recipients,
      data: {
        ...base,
        coordinator: secondment.coordinator,
        secondmentId: secondment.id,
        form: secondment.form ?? 'abordnung',
      },
      basis: secondmentBasis(secondment),
    });
  }
  const reportOn = nextAnnualReportDue(context);
  const n = context.annualReports.length + 1;
  if (reportOn <= boundUntil) {
    deadlines.push({
      kind: 'annual-report',
      id: `annual-report-${n}`,
      on: reportOn,
      recipients,
      data: { ...base, n },
      basis: {
        rule: 'annual-report-yearly',
        source: SOURCES.annualReport,
        inputs: { startsOn: context.startsOn, n },
        computation: `${context.startsOn} + ${years(n)} (report ${n})`,
      },
    });
  }
  return deadlines;
}

/** One reminder of a due item as the API shows it: when it goes out, and why on that day. */
export interface ReminderView {
  rule: string;
  offset: string;
  side: ReminderSide;
  /** The deadline's day plus the offset. */
  offsetDay: string;
  /** The working day it goes out on, and the local time. */
  sendOn: string;
  at: string;
  shift: WorkingDayShift | null;
  explanation: Bilingual;
  to: string[];
}

export interface DueItem {
  kind: DeadlineKind;
  id: string;
  /** The day it is due. */
  on: string;
  /** Past its day and still open. */
  overdue: boolean;
  details: Record<string, unknown>;
  /** The rule that made the day, its inputs and the arithmetic. */
  basis: DeadlineBasis;
  /** The reminders the configured policy sends for it, soonest first (empty where no rule follows it). */
  reminders: ReminderView[];
}

/**
 * Everything the contract owes, soonest first, as seen on `today`, with the reminders `policy` sends for each.
 * Besides the reminder deadlines it names the next chance to give notice (the last day a notice must arrive for the
 * next termination date), while no notice is given.
 */
export function dueItems(context: ContractContext, today: string, policy: ReminderPolicy): DueItem[] {
  const deadlines = deadlinesOf(context);
  const schedule = reminderSchedule(policy, deadlines);
  const remindersOf = (kind: string, id: string): ReminderView[] =>
    schedule
      .filter((reminder) => reminder.deadline.kind === kind && reminder.deadline.id === id)
      .map((reminder) => ({
        rule: reminder.rule,
        offset: reminder.offset,
        side: reminder.side,
        offsetDay: reminder.offsetDay,
        sendOn: reminder.sendOn,
        at: `${reminder.sendOn}T${SEND_TIME}`,
        shift: reminder.shift,
        explanation: explainReminder(reminder),
        to: reminder.recipients.map((r) => r.email),
      }))
      .sort((a, b) => a.sendOn.localeCompare(b.sendOn) || a.rule.localeCompare(b.rule));
  const items: DueItem[] = deadlines
    .filter((deadline) => deadline.kind !== 'notice-window')
    .map((deadline) => {
      const { contractId: _c, bildungsregion: _b, ...details } = deadline.data;
      return {
        kind: deadline.kind as DeadlineKind,
        id: deadline.id,
        on: deadline.on,
        overdue: deadline.on < today,
        details,
        basis: deadline.basis!,
        reminders: remindersOf(deadline.kind, deadline.id),
      };
    });
  if (!context.termination && !context.notice) {
    const effectiveOn = earliestNoticeEffectiveDate(today);
    const lastDay = lastDayToGiveNotice(effectiveOn);
    const id = `notice-window-${lastDay}`;
    items.push({
      kind: 'notice-window',
      id,
      on: lastDay,
      overdue: false,
      details: { effectiveOn },
      basis: noticeWindowBasis(lastDay, effectiveOn, {
        today,
        next: `the next 30 June or 31 December a notice given today reaches`,
      }),
      reminders: remindersOf('notice-window', id),
    });
  }
  return items.sort((a, b) => a.on.localeCompare(b.on) || a.kind.localeCompare(b.kind));
}
