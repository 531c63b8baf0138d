import { DateTime } from 'luxon';
import { isCalendarDay } from '../../workflows/shared/calendar-day.js';
import type { DueAt } from './workflow.js';

/** `HH:mm` or `HH:mm:ss` after the `T` of a local wall time. */
const WALL_CLOCK = /^\d{2}:\d{2}(:\d{2})?$/;

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

function isLocal(at: string): boolean {
  const [day, time] = at.split('T');
  return isCalendarDay(day) && (time === undefined || WALL_CLOCK.test(time));
}

function parseDueAt(at: DueAt, timeZone: string): Date {
  const parsed = isLocal(at) ? DateTime.fromISO(at, { zone: timeZone }) : DateTime.fromISO(at, { setZone: true });
  if (!parsed.isValid)
    throw new Error(`invalid due time ${JSON.stringify(at)}: ${parsed.invalidExplanation ?? parsed.invalidReason}`);
  return parsed.toJSDate();
}
