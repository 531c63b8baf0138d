/**
 * The mail effect every programme emits: a recipient, a template of the programme and the data it needs. The
 * notifications module renders and sends it after commit. Plain data, so it can sit in a timer row or the outbox.
 */
import type { EffectSpec } from '../../src/engine/workflow.js';

export type Language = 'de' | 'en';

export interface Recipient {
  name: string;
  email: string;
  language: Language;
  /** The role in which the person is addressed, e.g. `participant`, `moderator`, `contract_admin`. */
  role: string;
}

/**
 * An appointment as a calendar entry (attached as an .ics file, or in a feed). Start and end are calendar days (an
 * all-day entry, `end` the last day) or local wall times in the configured zone.
 */
export interface CalendarEvent {
  uid: string;
  title: string;
  start: string;
  end: string;
  location?: string;
  description?: string;
  /** Raised on every change of the appointment (iCalendar SEQUENCE); 0 when it never changed. */
  sequence?: number;
  /** When the appointment last changed (ISO instant): DTSTAMP and LAST-MODIFIED change only with it. */
  changedAt?: string;
  /** A cancelled appointment stays listed with STATUS:CANCELLED, so calendars that hold it remove it. */
  cancelled?: boolean;
}

/** A document the notifications module fetches from the programme that owns it and attaches, e.g. a certificate. */
export interface MailDocument {
  kind: string;
  id: string;
}

export interface MailPayload {
  /** `<programme>/<template>`, looked up in the programme's message templates. */
  template: string;
  to: Recipient;
  data: Record<string, unknown>;
  /** Attached together as one .ics file. */
  calendarEvents?: CalendarEvent[];
  /** Payloads stored before appointments were a list carry one. */
  calendarEvent?: CalendarEvent;
  documents?: MailDocument[];
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph, or a block to be copied as it is (an API call), shown preformatted. */
export type MessagePart = string | { code: string };

/**
 * The one renderer of every programme's messages: paragraphs separated by a blank line in the text, `<p>` in the
 * HTML, code blocks as `<pre><code>`; everything escaped, since names and places come from what people entered.
 */
export function renderMessage(subject: string, parts: MessagePart[]): RenderedMessage {
  return {
    subject,
    text: `${parts.map((p) => (typeof p === 'string' ? p : p.code)).join('\n\n')}\n`,
    html: parts
      .map((p) => (typeof p === 'string' ? `<p>${escapeHtml(p)}</p>` : `<pre><code>${escapeHtml(p.code)}</code></pre>`))
      .join('\n'),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What a message may link to: the service's public address (the PUBLIC_BASE_URL setting, no trailing slash). */
export interface MessageSite {
  publicBaseUrl: string;
}

/**
 * Renders one message in the recipient's language (German unless English is asked for). `html` is the body's
 * content; the notifications module makes it a whole document. The notifications module always passes `site`;
 * templates without links may ignore it.
 */
export type MessageTemplate = (
  data: Record<string, unknown>,
  language: Language,
  site?: MessageSite,
) => RenderedMessage;

export const MAIL_EFFECT = 'mail';

/** One mail to one recipient. The key is per recipient, so each person gets a message at most once per key. */
export function mailEffect(key: string, payload: MailPayload): EffectSpec {
  return {
    kind: MAIL_EFFECT,
    key: `${key}:${payload.to.email.toLowerCase()}`,
    payload: payload as unknown as Record<string, unknown>,
  };
}

/** The same mail as an event for XState's `emit`, which is how a transition asks for a mail right away. */
export function mailEmission(
  key: string,
  payload: MailPayload,
): { type: string; key: string; payload: Record<string, unknown> } {
  const effect = mailEffect(key, payload);
  return { type: effect.kind, key: effect.key, payload: effect.payload };
}
