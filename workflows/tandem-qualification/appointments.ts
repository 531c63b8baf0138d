/**
 * The calendar entries of a scheduled event: one per event day, each with a UID of its own. The subscribed feeds
 * and the .ics attached to reminders are both built from these, so a calendar that imports the one and subscribes
 * to the other holds each day once, and a change (raised SEQUENCE, new DTSTAMP) replaces the entry it had; a
 * cancellation marks it STATUS:CANCELLED. The change notice of a moved, added or cancelled event carries them too.
 */
import type { CalendarEvent } from '../shared/mail.js';
import { endTime, type ScheduledEvent } from './model.js';

export function appointmentsOf(event: ScheduledEvent, groupName: string | null): CalendarEvent[] {
  const count = event.days.length;
  return event.days.map((day, index) => ({
    // The feeds have used this UID since the first version: subscribers keep their entries.
    uid: `${event.id}-${index + 1}@lotse`,
    title: `${event.title}${count > 1 ? ` (Tag ${index + 1}/${count})` : ''} – Tandem-Qualifizierung`,
    start: `${day}T${event.startTime}`,
    end: `${day}T${endTime(event)}`,
    location: event.place,
    description: [
      'Tandem-Qualifizierung NRW',
      groupName ? `Qualifizierungsgruppe: ${groupName}` : null,
      count > 1 ? `${event.hours} Stunden an ${count} Tagen` : `${event.hours} Stunden`,
    ]
      .filter(Boolean)
      .join(' · '),
    sequence: event.sequence,
    changedAt: event.changedAt,
    // A cancelled event keeps its entries, marked, so calendars that hold them remove them.
    ...(event.status === 'cancelled' ? { cancelled: true } : {}),
  }));
}
