/**
 * iCalendar feeds of scheduled events, for calendar applications that subscribe to them: one entry per event day,
 * the same entries (UID, SEQUENCE, DTSTAMP) as the .ics attached to reminders. A feed's bytes change only when
 * its events do, so its ETag lets a subscribed calendar ask "changed?" and get 304 Not Modified.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { appointmentsOf } from '../../workflows/tandem-qualification/appointments.js';
import type { ScheduledEvent } from '../../workflows/tandem-qualification/model.js';
import { writeCalendar } from '../common/icalendar.js';

export interface CalendarFeed {
  body: string;
  /** A strong entity tag of the body. */
  etag: string;
}

export function calendarFeed(
  name: string,
  events: (ScheduledEvent & { groupName?: string })[],
  timeZone: string,
): CalendarFeed {
  const body = writeCalendar({
    name,
    timeZone,
    events: events.flatMap((event) => appointmentsOf(event, event.groupName ?? null)),
  });
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Answers a feed request: 304 without a body when the client's If-None-Match names the current ETag (RFC 9110
 * 13.1.2, weak comparison), else the feed. `no-cache` makes caches ask again each time rather than serve an old copy;
 * `private` keeps a person's feed (and a secret feed URL's) out of shared caches.
 * There is deliberately no Last-Modified: an event leaving a feed (a withdrawn make-up) changes the feed without a
 * newer modification time, which If-Modified-Since would miss.
 */
export function answerFeed(request: Request, response: Response, feed: CalendarFeed): string {
  response.setHeader('ETag', feed.etag);
  response.setHeader('Cache-Control', 'private, no-cache');
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const asked = request.headers['if-none-match'];
  if (asked && (asked.trim() === '*' || asked.split(',').map(opaque).includes(opaque(feed.etag)))) {
    response.status(304);
    return '';
  }
  return feed.body;
}
