/**
 * iCalendar (.ics) feeds of scheduled events: one VEVENT per event day, in UTC so every calendar shows the right
 * local time, with stable UIDs so a subscribed calendar updates instead of duplicating.
 */
import { createEvents, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import { endTime, moduleTitle, type ScheduledEvent } from '../../workflows/tandem-qualification/model.js';

function utcArray(day: string, time: string, zone: string): [number, number, number, number, number] {
  const at = DateTime.fromISO(`${day}T${time}`, { zone }).toUTC();
  return [at.year, at.month, at.day, at.hour, at.minute];
}

export function calendarFeed(name: string, events: (ScheduledEvent & { groupName?: string })[], zone: string): string {
  const entries: EventAttributes[] = events.flatMap((event) => event.days.map((day, index) => ({
    uid: `${event.id}-${index + 1}@lotse`,
    title: `${moduleTitle(event.module)}${event.days.length > 1 ? ` (Tag ${index + 1}/${event.days.length})` : ''}`,
    description: `Tandem-Qualifizierung NRW${event.groupName ? `, Qualifizierungsgruppe: ${event.groupName}` : ''}; ${event.hours} Stunden`,
    location: event.place,
    start: utcArray(day, event.startTime, zone), startInputType: 'utc' as const, startOutputType: 'utc' as const,
    end: utcArray(day, endTime(event), zone), endInputType: 'utc' as const, endOutputType: 'utc' as const,
    // A changed event replaces the calendar's copy (a higher SEQUENCE); a cancelled one is marked, not dropped.
    sequence: event.sequence, status: event.status === 'cancelled' ? 'CANCELLED' as const : 'CONFIRMED' as const,
    productId: 'lotse/tandem-qualification',
    calName: name,
  })));
  if (!entries.length) {
    return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:lotse/tandem-qualification', `X-WR-CALNAME:${name}`, 'END:VCALENDAR', ''].join('\r\n');
  }
  const { error, value } = createEvents(entries);
  if (error || !value) throw error ?? new Error('calendar could not be built');
  return value;
}
