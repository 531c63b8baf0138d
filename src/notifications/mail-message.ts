/**
 * Turns an outbox row of kind `mail` into a complete message: template in the recipient's language, HTML (a whole
 * document with its `lang`) and plain text, one .ics for the appointments, the documents the programme attached,
 * and a Message-ID derived from the outbox key on the sender's domain, so that a retried or re-sent message is
 * recognisably the same message. Every message says it was sent automatically (RFC 3834 `Auto-Submitted`), so
 * out-of-office replies do not answer reminders.
 */
import { createHash } from 'node:crypto';
import type { CalendarEvent, Language, MailPayload, MessageTemplate, Recipient } from '../../workflows/shared/mail.js';
import { InvalidCalendarEntry, writeCalendar } from '../common/icalendar.js';
import { PermanentFailure } from '../engine/outbox-dispatcher.js';

/** A message that no retry can deliver (unknown template, malformed payload, refused by the server for good). */
export class UndeliverableMail extends PermanentFailure {
  override name = 'UndeliverableMail';
}

export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  contentType: string;
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
  attachments: MailAttachment[];
}

export type MessageTemplates = Record<string, MessageTemplate>;

export function messageHash(outboxKey: string): string {
  return createHash('sha256').update(outboxKey).digest('hex');
}

/** The domain of a sender written `Name <local@domain>` or `local@domain`. */
export function senderDomain(from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1)
    throw new Error(`sender ${JSON.stringify(from)} has no address with a domain`);
  return address.slice(at + 1).toLowerCase();
}

export function buildMailMessage(options: {
  outboxKey: string;
  payload: MailPayload;
  templates: MessageTemplates;
  from: string;
  /** `Reply-To`; empty or absent sends none. */
  replyTo?: string;
  /** Links in messages start with it. */
  publicBaseUrl: string;
  timeZone: string;
  /** When the message was queued: DTSTAMP of appointments stored without the time of their last change. */
  queuedAt: Date;
  now: Date;
  /** The payload's documents, fetched from their programme. */
  documents?: MailAttachment[];
}): MailMessage {
  const payload = options.payload;
  const template = options.templates[payload.template];
  if (!template) throw new UndeliverableMail(`unknown message template ${payload.template}`);
  const language: Language = payload.to.language === 'en' ? 'en' : 'de';
  const rendered = template(payload.data ?? {}, language, { publicBaseUrl: options.publicBaseUrl });
  const id = messageHash(options.outboxKey);
  const appointments = payload.calendarEvents ?? (payload.calendarEvent ? [payload.calendarEvent] : []);
  return {
    id,
    messageId: `<${id}@${senderDomain(options.from)}>`,
    from: options.from,
    to: { name: payload.to.name, address: payload.to.email },
    subject: rendered.subject,
    text: rendered.text,
    html: htmlDocument(rendered.html, rendered.subject, language),
    date: options.now,
    headers: {
      'Auto-Submitted': 'auto-generated',
      // Microsoft Exchange and Outlook look here before answering automatically; other systems read Auto-Submitted.
      'X-Auto-Response-Suppress': 'All',
      ...(options.replyTo ? { 'Reply-To': options.replyTo } : {}),
      'Content-Language': language,
      'X-Lotse-Template': payload.template,
    },
    attachments: [
      ...(appointments.length
        ? [
            {
              filename: 'termin.ics',
              content: calendarFile(appointments, options.timeZone, options.queuedAt),
              contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            },
          ]
        : []),
      ...(options.documents ?? []),
    ],
  };
}

/** The payload of a `mail` effect, or UndeliverableMail when it lacks a template or a recipient. */
export function mailPayload(payload: unknown): MailPayload {
  const candidate = payload as Partial<MailPayload> | null;
  const to = candidate?.to as Partial<Recipient> | undefined;
  if (
    typeof candidate?.template !== 'string' ||
    typeof to?.email !== 'string' ||
    !to.email.includes('@') ||
    typeof to.name !== 'string'
  ) {
    throw new UndeliverableMail('mail payload needs a template and a recipient with name and email');
  }
  return candidate as MailPayload;
}

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Templates render the body; every message is a whole HTML document that names its language. */
function htmlDocument(body: string, subject: string, language: Language): string {
  const title = subject.replace(/[&<>"]/g, (c) => ESCAPED[c]);
  return `<!DOCTYPE html>\n<html lang="${language}">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
}

/** The appointments as one iCalendar file to import (METHOD:PUBLISH), written like the subscribed feeds. */
function calendarFile(appointments: CalendarEvent[], timeZone: string, queuedAt: Date): string {
  try {
    return writeCalendar({ timeZone, method: 'PUBLISH', events: appointments, stampFallback: queuedAt });
  } catch (error) {
    if (error instanceof InvalidCalendarEntry) throw new UndeliverableMail(error.message);
    throw error;
  }
}
