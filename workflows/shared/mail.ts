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

/** An appointment attached as an .ics file. Dates are calendar days or local wall times in Europe/Berlin. */
export interface CalendarEvent {
  uid: string;
  title: string;
  start: string;
  end: string;
  location?: string;
  description?: string;
}

export interface MailPayload {
  /** `<programme>/<template>`, looked up in the programme's message templates. */
  template: string;
  to: Recipient;
  data: Record<string, unknown>;
  calendarEvent?: CalendarEvent;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** Renders one message in the recipient's language (German unless English is asked for). */
export type MessageTemplate = (data: Record<string, unknown>, language: Language) => RenderedMessage;

export const MAIL_EFFECT = 'mail';

/** One mail to one recipient. The key is per recipient, so each person gets a message at most once per key. */
export function mailEffect(key: string, payload: MailPayload): EffectSpec {
  return { kind: MAIL_EFFECT, key: `${key}:${payload.to.email.toLowerCase()}`, payload: payload as unknown as Record<string, unknown> };
}

/** The same mail as an event for XState's `emit`, which is how a transition asks for a mail right away. */
export function mailEmission(key: string, payload: MailPayload): { type: string; key: string; payload: Record<string, unknown> } {
  const effect = mailEffect(key, payload);
  return { type: effect.kind, key: effect.key, payload: effect.payload };
}
