/**
 * Reminder policies: which deadlines a programme reminds people of, how long before or after, and whom. A policy is
 * plain data beside the programme's definition; `reminderTimers` turns it and the instance's current deadlines into
 * effect timers, so reminders follow the instance's state and data (a moved deadline moves its reminders, a
 * terminated instance declares none).
 */
import Holidays from 'date-holidays';
import { DateTime, Duration } from 'luxon';
import type { TimerSpec } from '../../src/engine/workflow.js';
import { mailEffect, type CalendarEvent, type Recipient } from './mail.js';

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
  /** YYYY-MM-DD, a calendar day in Europe/Berlin. */
  on: string;
  /** Everyone who may be addressed; rules pick by role. */
  recipients: Recipient[];
  /** Template data. */
  data: Record<string, unknown>;
  /** Attached as one .ics file. */
  calendarEvents?: CalendarEvent[];
}

/** Reminders go out at the start of the office day, not at midnight. */
const SEND_TIME = '08:00';
const ZONE = 'Europe/Berlin';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One effect timer (kind `mail`) per rule × offset × matching recipient, due at 08:00 Europe/Berlin on the offset
 * day moved back to the previous working day of the policy's region. Rules whose deadline kind does not occur
 * declare nothing. Timers already in the past are the engine's business (it stores them as skipped).
 */
export function reminderTimers(policy: ReminderPolicy, deadlines: Deadline[]): TimerSpec[] {
  const timers: TimerSpec[] = [];
  for (const rule of policy.rules) {
    for (const deadline of deadlines) {
      if (deadline.kind !== rule.deadline) continue;
      const recipients = uniqueByEmail(deadline.recipients.filter((recipient) => rule.roles.includes(recipient.role)));
      for (const offset of rule.offsets) {
        const sendOn = previousWorkingDay(shiftDay(deadline.on, offset, rule.key), policy.region);
        const key = `reminder:${rule.key}:${deadline.id}:${offset}`;
        for (const to of recipients) {
          const effect = mailEffect(key, {
            template: rule.template,
            to,
            data: { ...deadline.data, deadlineOn: deadline.on, offset },
            ...(deadline.calendarEvents?.length ? { calendarEvents: deadline.calendarEvents } : {}),
          });
          // The effect key already ends in the recipient's address, which makes it unique among the timers too.
          timers.push({ key: effect.key, at: `${sendOn}T${SEND_TIME}`, effect });
        }
      }
    }
  }
  return timers;
}

/**
 * `day` itself when it is a working day in `region`, otherwise the closest earlier one. Saturdays, Sundays and the
 * region's public holidays are not working days; observances and half-day bank holidays (24 and 31 December) are.
 */
export function previousWorkingDay(day: string, region: HolidayRegion): string {
  let date = parseDay(day);
  while (date.weekday >= 6 || publicHolidays(region, date.year).has(date.toISODate()!)) date = date.minus({ days: 1 });
  return date.toISODate()!;
}

const holidayCache = new Map<string, Set<string>>();

function publicHolidays(region: HolidayRegion, year: number): Set<string> {
  const cacheKey = `${region}:${year}`;
  let days = holidayCache.get(cacheKey);
  if (!days) {
    const calendar = new Holidays('DE', region);
    days = new Set(calendar.getHolidays(year).filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
    holidayCache.set(cacheKey, days);
  }
  return days;
}

function parseDay(day: string): DateTime {
  const date = DAY.test(day) ? DateTime.fromISO(day, { zone: ZONE }) : DateTime.invalid('not YYYY-MM-DD');
  if (!date.isValid) throw new Error(`invalid calendar day ${JSON.stringify(day)}: expected YYYY-MM-DD`);
  return date;
}

function parseOffset(offset: unknown, ruleKey: string): Duration {
  const duration = typeof offset === 'string' ? Duration.fromISO(offset) : Duration.invalid('not a string');
  if (!duration.isValid) throw new Error(`reminder rule ${ruleKey}: offset ${JSON.stringify(offset)} is not an ISO-8601 duration such as -P14D`);
  return duration;
}

/** Calendar arithmetic: `-P1M` from 31 March is the last day of February, as people count months. */
function shiftDay(day: string, offset: string, ruleKey: string): string {
  return parseDay(day).plus(parseOffset(offset, ruleKey)).toISODate()!;
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
      throw new Error(`reminder overrides of ${policy.programme}: unknown rule ${ruleKey} (known: ${[...known].join(', ')})`);
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
    if (typeof override !== 'object' || override === null || Array.isArray(override)) throw new Error(`${name}: override must be an object`);
    const fields = override as Record<string, unknown>;
    const unknownFields = Object.keys(fields).filter((field) => !OVERRIDE_FIELDS.has(field));
    if (unknownFields.length) throw new Error(`${name}: unknown field(s) ${unknownFields.join(', ')} (allowed: offsets, roles, enabled)`);
    if (fields.enabled !== undefined && typeof fields.enabled !== 'boolean') throw new Error(`${name}: enabled must be true or false`);
    if (fields.offsets !== undefined) {
      if (!Array.isArray(fields.offsets)) throw new Error(`${name}: offsets must be a list of ISO-8601 durations`);
      for (const offset of fields.offsets) parseOffset(offset, `${policy.programme}/${rule.key}`);
    }
    if (fields.roles !== undefined && (!Array.isArray(fields.roles) || !fields.roles.every((role) => typeof role === 'string' && role.length > 0))) {
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
