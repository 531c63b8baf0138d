/**
 * Reminder policies: which deadlines a programme reminds people of, how long before or after, and whom. A policy is
 * plain data beside the programme's definition; `reminderTimers` turns it and the instance's current deadlines into
 * effect timers, so reminders follow the instance's state and data (a moved deadline moves its reminders, a
 * terminated instance declares none).
 */
import Holidays from 'date-holidays';
import { type DateTime, Duration } from 'luxon';
import type { TimerSpec } from '../../src/engine/workflow.js';
import { parseDay, shiftDay as shiftCalendarDay } from './calendar-day.js';
import { mailEffect, type CalendarEvent, type MailDocument, type Recipient } from './mail.js';

/** NW (North Rhine-Westphalia) for the qualification, NI (Lower Saxony) for contracts. */
export type HolidayRegion = 'NW' | 'NI';

export interface ReminderRule {
  /** Stable name of the reminder, e.g. `review-due`; part of every message's idempotency key. */
  key: string;
  /** The Deadline.kind this rule follows, e.g. `review`. */
  deadline: string;
  /** ISO-8601 durations from the deadline day: `-P9M`, `-P14D`, `P1D`. */
  offsets: string[];
  /** Recipient roles, matched against Recipient.role. */
  roles: string[];
  /** `<programme>/<template>`. */
  template: string;
}

export interface ReminderPolicy {
  programme: string;
  region: HolidayRegion;
  rules: ReminderRule[];
}

export interface Deadline {
  /** Matches ReminderRule.deadline. */
  kind: string;
  /** Stable id of this occurrence, e.g. `review-2020-08-01` or an event id. */
  id: string;
  /** YYYY-MM-DD, a calendar day (see calendar-day.ts). */
  on: string;
  /** Everyone who may be addressed; rules pick by role. */
  recipients: Recipient[];
  /** Template data. */
  data: Record<string, unknown>;
  /** Attached as one .ics file. */
  calendarEvents?: CalendarEvent[];
  /** Attached as they are when the reminder is sent (fetched from the programme that owns them, e.g. a report). */
  documents?: MailDocument[];
  /** Why the deadline falls on its day; shown beside it so a clerk can check it against the text. */
  basis?: DeadlineBasis;
}

/** The rule that made a deadline, what went into it, and the arithmetic, e.g. `2019-09-01 + 6 years`. */
export interface DeadlineBasis {
  /** Stable name of the rule, e.g. `review-every-three-years`. */
  rule: string;
  /** Where the rule comes from (contract clause, decree, or a Lotse policy), in German and English. */
  source: Bilingual;
  inputs: Record<string, unknown>;
  computation: string;
}

export interface Bilingual {
  de: string;
  en: string;
}

/**
 * A reminder before its deadline (negative offset, or on the day) moves to the previous working day, one after it
 * (overdue, missing) to the next: either way it stays on its side of the deadline.
 */
export type ReminderSide = 'before' | 'after';

/** A day on which no reminder goes out, and why. */
export interface NonWorkingDay {
  day: string;
  /** `Saturday`, `Sunday`, or the weekday of a public holiday. */
  weekday: string;
  /** The public holiday's name in the policy's region, or null for a plain weekend day. */
  holiday: Bilingual | null;
}

/** How a reminder was moved off a day that is not a working day. */
export interface WorkingDayShift {
  from: string;
  to: string;
  direction: 'earlier' | 'later';
  /** Every day passed over, in the order they were passed. */
  passedOver: NonWorkingDay[];
}

/** One reminder of one deadline (one rule, one offset), before it is addressed to each recipient. */
export interface ScheduledReminder {
  rule: string;
  template: string;
  deadline: Deadline;
  offset: string;
  side: ReminderSide;
  /** The deadline's day plus the offset. */
  offsetDay: string;
  /** The working day it goes out on, at 08:00 Europe/Berlin. */
  sendOn: string;
  /** Null when the offset day is a working day. */
  shift: WorkingDayShift | null;
  recipients: Recipient[];
}

/** Reminders go out at the start of the office day, not at midnight. */
export const SEND_TIME = '08:00';

/**
 * Every reminder the policy asks for, per rule × deadline × offset, with the working day it goes out on. Rules
 * whose deadline kind does not occur, and reminders without a recipient of the rule's roles, yield nothing.
 */
export function reminderSchedule(policy: ReminderPolicy, deadlines: Deadline[]): ScheduledReminder[] {
  const schedule: ScheduledReminder[] = [];
  for (const rule of policy.rules) {
    for (const deadline of deadlines) {
      if (deadline.kind !== rule.deadline) continue;
      const recipients = uniqueByEmail(deadline.recipients.filter((recipient) => rule.roles.includes(recipient.role)));
      if (!recipients.length) continue;
      for (const offset of rule.offsets) {
        schedule.push({
          rule: rule.key,
          template: rule.template,
          deadline,
          offset,
          ...reminderDay(deadline.on, offset, policy.region, rule.key),
          recipients,
        });
      }
    }
  }
  return schedule;
}

/**
 * The day a reminder `offset` from a deadline on `deadlineOn` goes out: the offset's day, moved to a working day on
 * the reminder's side of the deadline.
 */
export function reminderDay(
  deadlineOn: string,
  offset: string,
  region: HolidayRegion,
  rule: string,
): { side: ReminderSide; offsetDay: string; sendOn: string; shift: WorkingDayShift | null } {
  const offsetDay = shiftDay(deadlineOn, offset, rule);
  // The side is read from the days, not the offset's sign, so `P1M-P1D` or `-P0D` cannot fool it.
  const side: ReminderSide = offsetDay > deadlineOn ? 'after' : 'before';
  const { day: sendOn, shift } = workingDayOnSide(offsetDay, side, region);
  return { side, offsetDay, sendOn, shift };
}

/**
 * One effect timer (kind `mail`) per scheduled reminder and recipient, due at 08:00 Europe/Berlin on its working
 * day. Timers already in the past are the engine's business (it stores them as skipped).
 */
export function reminderTimers(policy: ReminderPolicy, deadlines: Deadline[]): TimerSpec[] {
  const timers: TimerSpec[] = [];
  for (const reminder of reminderSchedule(policy, deadlines)) {
    const { deadline, offset } = reminder;
    const key = `reminder:${reminder.rule}:${deadline.id}:${offset}`;
    for (const to of reminder.recipients) {
      const effect = mailEffect(key, {
        template: reminder.template,
        to,
        data: { ...deadline.data, deadlineOn: deadline.on, offset },
        ...(deadline.calendarEvents?.length ? { calendarEvents: deadline.calendarEvents } : {}),
        ...(deadline.documents?.length ? { documents: deadline.documents } : {}),
      });
      // The effect key already ends in the recipient's address, which makes it unique among the timers too.
      timers.push({ key: effect.key, at: `${reminder.sendOn}T${SEND_TIME}`, effect });
    }
  }
  return timers;
}

/**
 * `day` itself when it is a working day in `region`; otherwise the closest working day on the reminder's side of
 * its deadline: earlier for a reminder before it, later for one after it. Saturdays, Sundays and the region's
 * public holidays are not working days; observances and half-day bank holidays (24 and 31 December) are.
 */
export function workingDayOnSide(
  day: string,
  side: ReminderSide,
  region: HolidayRegion,
): { day: string; shift: WorkingDayShift | null } {
  const step = side === 'before' ? -1 : 1;
  let date = parseDay(day);
  const passedOver: NonWorkingDay[] = [];
  for (let closed = nonWorkingDay(date, region); closed; closed = nonWorkingDay(date, region)) {
    passedOver.push(closed);
    date = date.plus({ days: step });
  }
  const to = date.toISODate()!;
  return {
    day: to,
    shift: passedOver.length ? { from: day, to, direction: step < 0 ? 'earlier' : 'later', passedOver } : null,
  };
}

/** The working day on or before `day`. */
export function previousWorkingDay(day: string, region: HolidayRegion): string {
  return workingDayOnSide(day, 'before', region).day;
}

/** The working day on or after `day`. */
export function nextWorkingDay(day: string, region: HolidayRegion): string {
  return workingDayOnSide(day, 'after', region).day;
}

function nonWorkingDay(date: DateTime, region: HolidayRegion): NonWorkingDay | null {
  const holiday = publicHolidays(region, date.year).get(date.toISODate()!) ?? null;
  if (!holiday && date.weekday < 6) return null;
  return { day: date.toISODate()!, weekday: date.setLocale('en').toFormat('cccc'), holiday };
}

const holidayCache = new Map<string, Map<string, Bilingual>>();

function publicHolidays(region: HolidayRegion, year: number): Map<string, Bilingual> {
  const cacheKey = `${region}:${year}`;
  let days = holidayCache.get(cacheKey);
  if (!days) {
    const calendar = new Holidays('DE', region);
    const english = new Map(
      calendar.getHolidays(year, 'en').map((holiday) => [holiday.date.slice(0, 10), holiday.name]),
    );
    days = new Map(
      calendar
        .getHolidays(year, 'de')
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => [
          holiday.date.slice(0, 10),
          { de: holiday.name, en: english.get(holiday.date.slice(0, 10)) ?? holiday.name },
        ]),
    );
    holidayCache.set(cacheKey, days);
  }
  return days;
}

/**
 * A reminder's day in words, for people who check it against the rules: the offset from the deadline, and any move
 * to a working day with the days passed over and why (e.g. `Monday 2026-04-06 (Easter Monday)`).
 */
export function explainReminder(
  reminder: Pick<ScheduledReminder, 'offset' | 'offsetDay' | 'side' | 'sendOn' | 'shift'> & {
    deadline: Pick<Deadline, 'on'>;
  },
): Bilingual {
  const { deadline, offsetDay, side, shift } = reminder;
  const duration = Duration.fromISO(reminder.offset);
  const amount = (locale: string) =>
    (side === 'before' ? duration.negate() : duration).reconfigure({ locale }).toHuman();
  const en = (day: string) => `${parseDay(day).setLocale('en').toFormat('cccc')} ${day}`;
  const de = (day: string) => parseDay(day).setLocale('de').toFormat('cccc, dd.MM.yyyy');
  const onDeadline = offsetDay === deadline.on;
  const text = {
    en: [
      `${onDeadline ? 'On the deadline' : `${amount('en')} ${side} the deadline`} ${deadline.on}: ${en(offsetDay)}.`,
    ],
    de: [
      `${onDeadline ? 'Am Tag der Frist' : `${amount('de')} ${side === 'before' ? 'vor' : 'nach'} der Frist`} ${parseDay(deadline.on).toFormat('dd.MM.yyyy')}: ${de(offsetDay)}.`,
    ],
  };
  if (shift) {
    const earlier = shift.direction === 'earlier';
    text.en.push(
      `Not a working day: ${shift.passedOver.map((d) => `${en(d.day)}${d.holiday ? ` (${d.holiday.en})` : ''}`).join(', ')}.` +
        ` Moved to the ${earlier ? 'previous' : 'next'} working day, ${en(shift.to)}, so it stays ${side} the deadline.`,
    );
    text.de.push(
      `Kein Arbeitstag: ${shift.passedOver.map((d) => `${de(d.day)}${d.holiday ? ` (${d.holiday.de})` : ''}`).join('; ')}.` +
        ` Verlegt auf den ${earlier ? 'vorherigen' : 'nächsten'} Arbeitstag, ${de(shift.to)}, damit die Erinnerung ${side === 'before' ? 'vor' : 'nach'} der Frist bleibt.`,
    );
  }
  return { de: text.de.join(' '), en: text.en.join(' ') };
}

function parseOffset(offset: unknown, ruleKey: string): Duration {
  const duration = typeof offset === 'string' ? Duration.fromISO(offset) : Duration.invalid('not a string');
  if (!duration.isValid)
    throw new Error(
      `reminder rule ${ruleKey}: offset ${JSON.stringify(offset)} is not an ISO-8601 duration such as -P14D`,
    );
  return duration;
}

/** Calendar arithmetic: `-P1M` from 31 March is the last day of February, as people count months. */
function shiftDay(day: string, offset: string, ruleKey: string): string {
  return shiftCalendarDay(day, parseOffset(offset, ruleKey));
}

function uniqueByEmail(recipients: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((recipient) => {
    const email = recipient.email.toLowerCase();
    if (seen.has(email)) return false;
    seen.add(email);
    return true;
  });
}

const OVERRIDE_FIELDS = new Set(['offsets', 'roles', 'enabled']);

/**
 * The policy with configured changes applied. `overrides` is `{ [ruleKey]: { offsets?, roles?, enabled? } }`;
 * `enabled: false` drops the rule. Anything else (an unknown rule, an unknown field, a bad duration) throws an
 * Error naming the rule, so a typo in the configuration stops the start-up instead of silencing reminders.
 */
export function withOverrides(policy: ReminderPolicy, overrides: Record<string, unknown> = {}): ReminderPolicy {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`reminder overrides of ${policy.programme} must be an object keyed by reminder rule`);
  }
  const known = new Set(policy.rules.map((rule) => rule.key));
  for (const ruleKey of Object.keys(overrides)) {
    if (!known.has(ruleKey)) {
      throw new Error(
        `reminder overrides of ${policy.programme}: unknown rule ${ruleKey} (known: ${[...known].join(', ')})`,
      );
    }
  }
  const rules: ReminderRule[] = [];
  for (const rule of policy.rules) {
    const override = overrides[rule.key];
    if (override === undefined) {
      rules.push(rule);
      continue;
    }
    const name = `reminder rule ${policy.programme}/${rule.key}`;
    if (typeof override !== 'object' || override === null || Array.isArray(override))
      throw new Error(`${name}: override must be an object`);
    const fields = override as Record<string, unknown>;
    const unknownFields = Object.keys(fields).filter((field) => !OVERRIDE_FIELDS.has(field));
    if (unknownFields.length)
      throw new Error(`${name}: unknown field(s) ${unknownFields.join(', ')} (allowed: offsets, roles, enabled)`);
    if (fields.enabled !== undefined && typeof fields.enabled !== 'boolean')
      throw new Error(`${name}: enabled must be true or false`);
    if (fields.offsets !== undefined) {
      if (!Array.isArray(fields.offsets)) throw new Error(`${name}: offsets must be a list of ISO-8601 durations`);
      for (const offset of fields.offsets) parseOffset(offset, `${policy.programme}/${rule.key}`);
    }
    if (
      fields.roles !== undefined &&
      (!Array.isArray(fields.roles) || !fields.roles.every((role) => typeof role === 'string' && role.length > 0))
    ) {
      throw new Error(`${name}: roles must be a list of role names`);
    }
    if (fields.enabled === false) continue;
    rules.push({
      ...rule,
      ...(fields.offsets ? { offsets: [...(fields.offsets as string[])] } : {}),
      ...(fields.roles ? { roles: [...(fields.roles as string[])] } : {}),
    });
  }
  return { ...policy, rules };
}
