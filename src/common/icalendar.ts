/**
 * The one iCalendar (RFC 5545) writer of Lotse: subscribed feeds and the .ics attached to a message are both made
 * here, so an appointment reads the same in both. Times are written as local wall times with the TZID of the
 * configured zone, whose VTIMEZONE is always included; that also keeps a calendar without appointments valid
 * (RFC 5545 3.6 wants at least one component in a VCALENDAR).
 *
 * DTSTAMP and LAST-MODIFIED come from the appointment's `changedAt`, never from the time of writing, so the same
 * data gives the same bytes: a feed fetched twice is identical (its ETag holds) until an appointment changes.
 */
import { DateTime } from 'luxon';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { CalendarEvent } from '../../workflows/shared/mail.js';

export const PRODUCT_ID = '-//Lotse//Lotse//DE';

export class InvalidCalendarEntry extends Error {
  override name = 'InvalidCalendarEntry';
}

export interface CalendarOptions {
  /** Shown by calendar applications as the subscription's name (X-WR-CALNAME, NAME of RFC 7986). */
  name?: string;
  /** IANA zone the wall times are read in. */
  timeZone: string;
  /** `PUBLISH` for a file sent by mail (RFC 5546); a subscribed feed has none. */
  method?: 'PUBLISH';
  events: CalendarEvent[];
  /** DTSTAMP of an appointment without `changedAt` (payloads stored before it was kept). */
  stampFallback?: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function writeCalendar(options: CalendarOptions): string {
  const zone = vtimezone(options.timeZone);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODUCT_ID}`, 'CALSCALE:GREGORIAN'];
  if (options.method) lines.push(`METHOD:${options.method}`);
  if (options.name) lines.push(`NAME:${text(options.name)}`, `X-WR-CALNAME:${text(options.name)}`);
  lines.push(`X-WR-TIMEZONE:${zone.tzid}`, ...zone.lines);
  for (const event of options.events) lines.push(...vevent(event, zone.tzid, options));
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

function vevent(event: CalendarEvent, tzid: string, options: CalendarOptions): string[] {
  const stamp = event.changedAt
    ? DateTime.fromISO(event.changedAt, { zone: 'utc' })
    : options.stampFallback
      ? DateTime.fromJSDate(options.stampFallback, { zone: 'utc' })
      : null;
  if (!stamp?.isValid) throw new InvalidCalendarEntry(`calendar entry ${event.uid}: no valid time of its last change`);
  const utc = stamp.toFormat("yyyyMMdd'T'HHmmss'Z'");
  const allDay = DAY.test(event.start);
  const lines = [
    'BEGIN:VEVENT',
    `UID:${text(event.uid)}`,
    `DTSTAMP:${utc}`,
    `LAST-MODIFIED:${utc}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${text(event.title)}`,
    ...(allDay
      ? // DTEND of an all-day entry is exclusive: the day after the last day.
        [`DTSTART;VALUE=DATE:${day(event.start, 0, event.uid)}`, `DTEND;VALUE=DATE:${day(event.end, 1, event.uid)}`]
      : [
          `DTSTART;TZID=${tzid}:${wallTime(event.start, options.timeZone, event.uid)}`,
          `DTEND;TZID=${tzid}:${wallTime(event.end, options.timeZone, event.uid)}`,
        ]),
  ];
  if (event.location) lines.push(`LOCATION:${text(event.location)}`);
  if (event.description) lines.push(`DESCRIPTION:${text(event.description)}`);
  lines.push('END:VEVENT');
  return lines;
}

const zones = new Map<string, { tzid: string; lines: string[] }>();

/** The VTIMEZONE of an IANA zone (from timezones-ical-library's IANA data) and the TZID it declares. */
function vtimezone(timeZone: string): { tzid: string; lines: string[] } {
  let zone = zones.get(timeZone);
  if (!zone) {
    const block = tzlib_get_ical_block(timeZone);
    if (!Array.isArray(block)) throw new InvalidCalendarEntry(`no VTIMEZONE known for time zone ${timeZone}`);
    zone = { tzid: block[1].replace(/^TZID=/, ''), lines: block[0].split(/\r?\n/) };
    zones.set(timeZone, zone);
  }
  return zone;
}

function day(value: string, plusDays: number, uid: string): string {
  const date = DAY.test(value)
    ? DateTime.fromISO(value, { zone: 'utc' }).plus({ days: plusDays })
    : DateTime.invalid('not a day');
  if (!date.isValid)
    throw new InvalidCalendarEntry(`calendar entry ${uid}: ${JSON.stringify(value)} is not a calendar day`);
  return date.toFormat('yyyyMMdd');
}

function wallTime(value: string, timeZone: string, uid: string): string {
  const date = DateTime.fromISO(value, { zone: timeZone });
  if (!date.isValid)
    throw new InvalidCalendarEntry(`calendar entry ${uid}: ${JSON.stringify(value)} is not a date or time`);
  return date.toFormat("yyyyMMdd'T'HHmmss");
}

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Content lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = Buffer.byteLength(char);
    // Continuation lines start with a space, which counts towards their 75 octets.
    if (size + bytes > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
