/**
 * Turns an outbox row of kind `mail` into a complete message: template in the recipient's language, HTML and plain
 * text, an .ics attachment for an appointment, and a Message-ID derived from the outbox key so that a retried or
 * re-sent message is recognisably the same message.
 */
import { createHash } from 'node:crypto';
import { createEvent, type DateArray, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { CalendarEvent, Language, MailPayload, MessageTemplate, Recipient } from '../../workflows/shared/mail.js';
import { PermanentFailure } from '../engine/outbox-dispatcher.js';

/** A message that no retry can deliver (unknown template, malformed payload, refused by the server for good). */
export class UndeliverableMail extends PermanentFailure {
  override name = 'UndeliverableMail';
}

export interface MailMessage {
  /** sha256 of the outbox key: the Message-ID's local part and the .eml file name. */
  id: string;
  messageId: string;
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  date: Date;
  headers: Record<string, string>;
  attachments: { filename: string; content: string; contentType: string }[];
}

export type MessageTemplates = Record<string, MessageTemplate>;

export function messageHash(outboxKey: string): string {
  return createHash('sha256').update(outboxKey).digest('hex');
}

export function buildMailMessage(options: {
  outboxKey: string;
  payload: unknown;
  templates: MessageTemplates;
  from: string;
  timeZone: string;
  /** When the message was queued: the .ics DTSTAMP, so the attachment does not change between attempts. */
  queuedAt: Date;
  now: Date;
}): MailMessage {
  const payload = checkPayload(options.payload);
  const template = options.templates[payload.template];
  if (!template) throw new UndeliverableMail(`unknown message template ${payload.template}`);
  const language: Language = payload.to.language === 'en' ? 'en' : 'de';
  const rendered = template(payload.data ?? {}, language);
  const id = messageHash(options.outboxKey);
  return {
    id,
    messageId: `<${id}@lotse>`,
    from: options.from,
    to: { name: payload.to.name, address: payload.to.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    date: options.now,
    headers: { 'Content-Language': language, 'X-Lotse-Template': payload.template },
    attachments: payload.calendarEvent
      ? [{ filename: 'termin.ics', content: calendarFile(payload.calendarEvent, options.timeZone, options.queuedAt), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
      : [],
  };
}

function checkPayload(payload: unknown): MailPayload {
  const candidate = payload as Partial<MailPayload> | null;
  const to = candidate?.to as Partial<Recipient> | undefined;
  if (typeof candidate?.template !== 'string' || typeof to?.email !== 'string' || !to.email.includes('@') || typeof to.name !== 'string') {
    throw new UndeliverableMail('mail payload needs a template and a recipient with name and email');
  }
  return candidate as MailPayload;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An iCalendar file for the appointment. A calendar day becomes an all-day entry whose `end` is the last day
 * (inclusive, as people write it; iCalendar's DTEND is exclusive, hence the extra day); a wall time is read in the
 * configured zone and written as UTC.
 */
export function calendarFile(event: CalendarEvent, timeZone: string, stamp: Date): string {
  const allDay = DAY.test(event.start);
  const attributes: EventAttributes = {
    uid: event.uid,
    title: event.title,
    productId: 'lotse',
    method: 'PUBLISH',
    timestamp: stamp.getTime(),
    start: allDay ? dayArray(event.start, 0, event.uid) : instant(event.start, timeZone, event.uid),
    end: allDay ? dayArray(event.end, 1, event.uid) : instant(event.end, timeZone, event.uid),
    startInputType: 'utc',
    startOutputType: 'utc',
    endInputType: 'utc',
    endOutputType: 'utc',
    ...(event.location ? { location: event.location } : {}),
    ...(event.description ? { description: event.description } : {}),
  } as EventAttributes;
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new UndeliverableMail(`calendar event ${event.uid} cannot be written: ${error?.message ?? 'no output'}`);
  return value;
}

function dayArray(day: string, plusDays: number, uid: string): DateArray {
  const date = DAY.test(day) ? DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: plusDays }) : DateTime.invalid('not a day');
  if (!date.isValid) throw new UndeliverableMail(`calendar event ${uid}: ${JSON.stringify(day)} is not a calendar day`);
  return [date.year, date.month, date.day];
}

function instant(value: string, timeZone: string, uid: string): number {
  const date = DateTime.fromISO(value, { zone: timeZone });
  if (!date.isValid) throw new UndeliverableMail(`calendar event ${uid}: ${JSON.stringify(value)} is not a date or time`);
  return date.toMillis();
}
