/**
 * The calendar rules of a Bildungsregion cooperation contract (DOMAIN.md, programme B). Every date is a calendar
 * day `YYYY-MM-DD` (see ../shared/calendar-day.ts); none of these functions knows what day it is today.
 */
import { addDays, addYears, formatDay, isCalendarDay, parseDay } from '../shared/calendar-day.js';

export { addDays, addYears, isCalendarDay } from '../shared/calendar-day.js';

/** Years between two reviews, and the initial term of a secondment. */
export const REVIEW_CYCLE_YEARS = 3;
export const SECONDMENT_YEARS = 3;

/**
 * Due date of the `cycle`-th review (1 = the first). Reviews stay anchored to the start date: a decision taken early
 * or late does not shift the cycle, and a contract started on 29 February is reviewed on 28 February in common
 * years and on 29 February again whenever the review year is a leap year.
 */
export function reviewDueDate(startsOn: string, cycle: number): string {
  if (!Number.isInteger(cycle) || cycle < 1)
    throw new Error(`review cycle must be a whole number from 1, got ${cycle}`);
  return addYears(startsOn, REVIEW_CYCLE_YEARS * cycle);
}

/**
 * The earliest day an ordinary notice takes effect: six months' notice to 30 June or 31 December. Received on or
 * before 30 June of Y -> 31 December of Y; received from 1 July of Y -> 30 June of Y+1.
 */
export function earliestNoticeEffectiveDate(receivedOn: string): string {
  const received = parseDay(receivedOn, 'date of receipt');
  return received.month <= 6 ? `${received.year}-12-31` : `${received.year + 1}-06-30`;
}

/**
 * The day a notice takes effect: the one the partner named, or without one the earliest possible. Check a named day
 * with `noticeEffectiveDateProblem` first.
 */
export function noticeEffectiveDate(receivedOn: string, named?: string): string {
  const earliest = earliestNoticeEffectiveDate(receivedOn);
  return named ?? earliest;
}

/** Why a named effective date does not work for a notice received on `receivedOn`, or null when it does. */
export type NoticeDateProblem = 'not-a-calendar-day' | 'not-30-june-or-31-december' | 'less-than-six-months';

export function noticeEffectiveDateProblem(receivedOn: string, effectiveOn: string): NoticeDateProblem | null {
  if (!isCalendarDay(effectiveOn)) return 'not-a-calendar-day';
  if (!isTerminationDate(effectiveOn)) return 'not-30-june-or-31-december';
  return effectiveOn < earliestNoticeEffectiveDate(receivedOn) ? 'less-than-six-months' : null;
}

/** The days a notice received on `receivedOn` can take effect on: the earliest and the `count - 1` after it. */
export function possibleNoticeEffectiveDates(receivedOn: string, count = 4): string[] {
  const dates = [earliestNoticeEffectiveDate(receivedOn)];
  while (dates.length < count) {
    const last = dates[dates.length - 1];
    const year = Number(last.slice(0, 4));
    dates.push(last.endsWith('-06-30') ? `${year}-12-31` : `${year + 1}-06-30`);
  }
  return dates;
}

export function isTerminationDate(day: string): boolean {
  return day.endsWith('-06-30') || day.endsWith('-12-31');
}

/**
 * The last day a notice can be received to take effect on `effectiveOn` (30 June or 31 December): 30 June of the
 * same year for 31 December, 31 December of the year before for 30 June.
 */
export function lastDayToGiveNotice(effectiveOn: string): string {
  const effective = parseDay(effectiveOn, 'effective date');
  if (!isTerminationDate(effectiveOn)) {
    throw new Error(`${effectiveOn} is not a termination date: a notice takes effect on 30 June or 31 December only`);
  }
  return effective.month === 12 ? `${effective.year}-06-30` : `${effective.year - 1}-12-31`;
}

/**
 * The notice calculator: answers "a notice received on X takes effect on …" and "the last day to give notice for Y
 * is …", each with the sentence in German and English. Either question may be asked alone. `effectiveOn` must be a
 * 30 June or a 31 December (check with `isTerminationDate` first); both are calendar days.
 */
export interface NoticeCalculation {
  received: { on: string; takesEffectOn: string; laterDates: string[]; sentence: { de: string; en: string } } | null;
  effective: { on: string; lastDayToGiveNotice: string; sentence: { de: string; en: string } } | null;
}

export function noticeCalculation(question: { receivedOn?: string; effectiveOn?: string }): NoticeCalculation {
  const { receivedOn, effectiveOn } = question;
  let received: NoticeCalculation['received'] = null;
  if (receivedOn) {
    const [takesEffectOn, ...laterDates] = possibleNoticeEffectiveDates(receivedOn, 3);
    received = {
      on: receivedOn,
      takesEffectOn,
      laterDates,
      sentence: {
        de: `Eine am ${formatDay(receivedOn, 'de')} eingegangene Kündigung wird frühestens zum ${formatDay(takesEffectOn, 'de')} wirksam.`,
        en: `A notice received on ${formatDay(receivedOn, 'en')} takes effect on ${formatDay(takesEffectOn, 'en')} at the earliest.`,
      },
    };
  }
  let effective: NoticeCalculation['effective'] = null;
  if (effectiveOn) {
    const lastDay = lastDayToGiveNotice(effectiveOn);
    effective = {
      on: effectiveOn,
      lastDayToGiveNotice: lastDay,
      sentence: {
        de: `Für eine Kündigung zum ${formatDay(effectiveOn, 'de')} muss sie spätestens am ${formatDay(lastDay, 'de')} schriftlich eingegangen sein.`,
        en: `To end the contract on ${formatDay(effectiveOn, 'en')}, the written notice must be received by ${formatDay(lastDay, 'en')}.`,
      },
    };
  }
  return { received, effective };
}

/**
 * The last days to give notice (each a 30 June or 31 December) that fall in the twelve months before a review is
 * due: `[reviewOn - 1 year, reviewOn)`. These are the partners' chances to leave instead of continuing, each with
 * the termination date it reaches.
 */
export function noticeWindowsBefore(reviewOn: string): { lastDay: string; effectiveOn: string }[] {
  const from = addYears(reviewOn, -1);
  const windows: { lastDay: string; effectiveOn: string }[] = [];
  for (let year = parseDay(from).year; year <= parseDay(reviewOn).year; year++) {
    for (const lastDay of [`${year}-06-30`, `${year}-12-31`]) {
      if (lastDay >= from && lastDay < reviewOn)
        windows.push({ lastDay, effectiveOn: earliestNoticeEffectiveDate(lastDay) });
    }
  }
  return windows;
}

/**
 * The end of a secondment of `years` starting on `from`: the day before the anniversary. From 29 February into a
 * common year there is no anniversary, and the term ends on the last day of February (BGB § 188 Abs. 3), the same
 * day as one started on 1 March.
 */
export function secondmentEnd(from: string, years = SECONDMENT_YEARS): string {
  const anniversary = addYears(from, years);
  return from.endsWith('-02-29') && !anniversary.endsWith('-02-29') ? anniversary : addDays(anniversary, -1);
}

/** The day the `n`-th annual report (1 = the first year of cooperation) is due: the n-th anniversary of the start. */
export function annualReportDueDate(startsOn: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`annual report number must be a whole number from 1, got ${n}`);
  return addYears(startsOn, n);
}
