/**
 * Calendar days, the one place Lotse reads, computes and writes them. A calendar day is a date as a decree or a letter
 * gives it, `YYYY-MM-DD`, without a time and without a zone, and it must exist: 2024-02-29 does, 2025-02-29 and
 * 2025-13-01 do not. Arithmetic on days needs no zone (it runs in UTC, so no daylight-saving change can move a day).
 * A zone enters only where a day meets an instant: which day an instant falls on (`dayOf`, "today"), and when a day
 * or a wall time on it begins (the engine's due times). Nothing here assumes a zone: callers pass the configured one
 * (`timeZone`, TIME_ZONE), so pure workflow code never names Europe/Berlin.
 */
import { DateTime, type DurationLike } from 'luxon';
import type { Language } from './mail.js';

/** `YYYY-MM-DD`, a day that exists in the Gregorian calendar (years 0001 to 9999). */
export type CalendarDay = string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether `value` is a calendar day that exists, written `YYYY-MM-DD` (not `2025-2-3`, not a date-time). */
export function isCalendarDay(value: unknown): value is CalendarDay {
  if (typeof value !== 'string') return false;
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** A day that is not one; thrown by the functions below, which only ever see days checked at the edge. */
export class InvalidCalendarDay extends Error {
  constructor(
    readonly value: unknown,
    what = 'date',
  ) {
    super(`invalid ${what} ${JSON.stringify(value)}: expected a calendar day YYYY-MM-DD that exists`);
    this.name = 'InvalidCalendarDay';
  }
}

/** The day as a luxon date at midnight UTC, for arithmetic and weekdays. */
export function parseDay(day: string, what = 'date'): DateTime {
  if (!isCalendarDay(day)) throw new InvalidCalendarDay(day, what);
  return DateTime.fromISO(day, { zone: 'utc' });
}

/** Calendar arithmetic as people count: one month after 31 January is the last day of February. */
export function shiftDay(day: CalendarDay, by: DurationLike): CalendarDay {
  return parseDay(day).plus(by).toISODate()!;
}

/**
 * Plain UTC date arithmetic rather than luxon: workflow timers call it on every event of every instance, and luxon's
 * parsing made up a tenth of the engine's time per event.
 */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  if (!isCalendarDay(day)) throw new InvalidCalendarDay(day);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + days);
  const shifted = date.toISOString().slice(0, 10);
  if (!isCalendarDay(shifted)) throw new InvalidCalendarDay(shifted, `${day} shifted by ${days} days`);
  return shifted;
}

/** One year after 29 February is 28 February. */
export function addYears(day: CalendarDay, years: number): CalendarDay {
  return shiftDay(day, { years });
}

/** The calendar day `instant` falls on in `timeZone`; with the clock's now, today. */
export function dayOf(instant: Date, timeZone: string): CalendarDay {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

/**
 * The day as people read it in a message or on a certificate: `3. März 2025`, `3 March 2025`. A value that is not a
 * calendar day is shown as it is rather than hidden.
 */
export function formatDay(day: unknown, language: Language): string {
  if (!isCalendarDay(day)) return String(day);
  const date = DateTime.fromISO(day, { zone: 'utc' });
  return language === 'en'
    ? date.setLocale('en-GB').toFormat('d MMMM yyyy')
    : date.setLocale('de').toFormat('d. MMMM yyyy');
}
