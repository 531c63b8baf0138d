import { DateTime } from 'luxon';
import type { DueAt } from './workflow.js';

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** Parsing with time zones is costly and timers are recomputed on every event: remember recent answers. */
const resolved = new Map<string, number>();
const RESOLVED_LIMIT = 10_000;

/** Turns a declared due time into an instant. Calendar days and wall times are read in `timeZone`. */
export function resolveDueAt(at: DueAt, timeZone: string): Date {
  const cacheKey = `${timeZone}|${at}`;
  const known = resolved.get(cacheKey);
  if (known !== undefined) return new Date(known);
  const instant = parseDueAt(at, timeZone);
  if (resolved.size >= RESOLVED_LIMIT) resolved.clear();
  resolved.set(cacheKey, instant.getTime());
  return instant;
}

function parseDueAt(at: DueAt, timeZone: string): Date {
  const parsed =
    CALENDAR_DAY.test(at) || LOCAL_WALL_TIME.test(at)
      ? DateTime.fromISO(at, { zone: timeZone })
      : DateTime.fromISO(at, { setZone: true });
  if (!parsed.isValid) throw new Error(`invalid due time ${JSON.stringify(at)}: ${parsed.invalidExplanation ?? parsed.invalidReason}`);
  return parsed.toJSDate();
}

/** The calendar day of an instant in `timeZone`, as YYYY-MM-DD. */
export function calendarDay(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}
