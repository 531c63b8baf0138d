import { describe, expect, it } from '@jest/globals';
import type { Recipient } from './mail.js';
import {
  explainReminder,
  nextWorkingDay,
  previousWorkingDay,
  reminderSchedule,
  reminderTimers,
  withOverrides,
  workingDayOnSide,
  type Deadline,
  type ReminderPolicy,
} from './reminders.js';

const anna: Recipient = {
  name: 'Anna Berger',
  email: 'Anna.Berger@schule.example',
  language: 'de',
  role: 'contract_admin',
};
const tom: Recipient = { name: 'Tom Reed', email: 'tom.reed@schule.example', language: 'en', role: 'school_lead' };
const mia: Recipient = { name: 'Mia Kurz', email: 'mia.kurz@schule.example', language: 'de', role: 'teacher' };

const policy: ReminderPolicy = {
  programme: 'contract-review',
  region: 'NI',
  rules: [
    {
      key: 'review-due',
      deadline: 'review',
      offsets: ['-P9M', '-P6M', '-P3M'],
      roles: ['contract_admin', 'school_lead'],
      template: 'contract-review/review-due',
    },
    {
      key: 'report-overdue',
      deadline: 'report',
      offsets: ['P1D'],
      roles: ['contract_admin'],
      template: 'contract-review/report-overdue',
    },
  ],
};

const review: Deadline = {
  kind: 'review',
  id: 'review-2020-08-01',
  on: '2020-08-01',
  recipients: [anna, tom, mia],
  data: { contract: 'K-17' },
};

describe('previousWorkingDay', () => {
  it('keeps a working day', () => {
    expect(previousWorkingDay('2024-10-02', 'NW')).toBe('2024-10-02');
  });

  it('moves a weekend back to Friday', () => {
    expect(previousWorkingDay('2024-06-08', 'NW')).toBe('2024-06-07');
    expect(previousWorkingDay('2024-06-09', 'NI')).toBe('2024-06-07');
  });

  it('moves a nationwide holiday and then the weekend before it', () => {
    // Easter Monday 2024-04-01, Easter Sunday, Saturday, Good Friday 29 March -> Thursday 28 March.
    expect(previousWorkingDay('2024-04-01', 'NW')).toBe('2024-03-28');
  });

  it('knows the holidays of each state', () => {
    // Corpus Christi is a holiday in North Rhine-Westphalia, not in Lower Saxony.
    expect(previousWorkingDay('2024-05-30', 'NW')).toBe('2024-05-29');
    expect(previousWorkingDay('2024-05-30', 'NI')).toBe('2024-05-30');
    // Reformation Day is a holiday in Lower Saxony, not in North Rhine-Westphalia.
    expect(previousWorkingDay('2024-10-31', 'NI')).toBe('2024-10-30');
    expect(previousWorkingDay('2024-10-31', 'NW')).toBe('2024-10-31');
  });

  it('treats Christmas Eve as a working day and Christmas as a holiday', () => {
    expect(previousWorkingDay('2025-12-24', 'NW')).toBe('2025-12-24');
    expect(previousWorkingDay('2025-12-26', 'NW')).toBe('2025-12-24');
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => previousWorkingDay('2024-13-01', 'NW')).toThrow(/2024-13-01/);
    expect(() => previousWorkingDay('1.6.2024', 'NW')).toThrow(/YYYY-MM-DD/);
  });
});

describe('reminderTimers', () => {
  it('declares one mail timer per offset and matching recipient, at 08:00 on a working day', () => {
    const timers = reminderTimers(policy, [review]);
    expect(timers.map((timer) => [timer.key, timer.at])).toEqual([
      // 2019-11-01 is All Saints' Day, a holiday in NRW but not in Lower Saxony.
      ['reminder:review-due:review-2020-08-01:-P9M:anna.berger@schule.example', '2019-11-01T08:00'],
      ['reminder:review-due:review-2020-08-01:-P9M:tom.reed@schule.example', '2019-11-01T08:00'],
      // 2020-02-01 is a Saturday.
      ['reminder:review-due:review-2020-08-01:-P6M:anna.berger@schule.example', '2020-01-31T08:00'],
      ['reminder:review-due:review-2020-08-01:-P6M:tom.reed@schule.example', '2020-01-31T08:00'],
      // 2020-05-01 is Labour Day (a Friday) -> Thursday.
      ['reminder:review-due:review-2020-08-01:-P3M:anna.berger@schule.example', '2020-04-30T08:00'],
      ['reminder:review-due:review-2020-08-01:-P3M:tom.reed@schule.example', '2020-04-30T08:00'],
    ]);
  });

  it('carries the mail payload: template, recipient, data with the deadline day, calendar events', () => {
    const event = { uid: 'event-3@lotse', title: 'Modul 3', start: '2024-09-12T09:00', end: '2024-09-12T16:00' };
    const [timer] = reminderTimers(policy, [{ ...review, recipients: [tom], calendarEvents: [event] }]);
    expect('effect' in timer && timer.effect).toEqual({
      kind: 'mail',
      key: 'reminder:review-due:review-2020-08-01:-P9M:tom.reed@schule.example',
      payload: {
        template: 'contract-review/review-due',
        to: tom,
        data: { contract: 'K-17', deadlineOn: '2020-08-01', offset: '-P9M' },
        calendarEvents: [event],
      },
    });
  });

  it('follows only deadlines of the rule kind and counts positive offsets after the day', () => {
    const report: Deadline = { kind: 'report', id: 'report-2024', on: '2024-10-29', recipients: [anna, tom], data: {} };
    expect(reminderTimers(policy, [report]).map((timer) => [timer.key, timer.at])).toEqual([
      ['reminder:report-overdue:report-2024:P1D:anna.berger@schule.example', '2024-10-30T08:00'],
    ]);
  });

  it('moves a reminder after its deadline to the next working day, never onto or before the deadline', () => {
    // Due Wednesday 30 October 2024; the day after is Reformation Day in Lower Saxony: the overdue notice waits for Friday.
    const report: Deadline = { kind: 'report', id: 'report-2024', on: '2024-10-30', recipients: [anna], data: {} };
    expect(reminderTimers(policy, [report]).map((timer) => timer.at)).toEqual(['2024-11-01T08:00']);
    // Due Easter Sunday 2026: not on Maundy Thursday before it, but on the Tuesday after Easter Monday.
    const easter: Deadline = { ...report, id: 'report-2026', on: '2026-04-05' };
    expect(reminderTimers(policy, [easter]).map((timer) => timer.at)).toEqual(['2026-04-07T08:00']);
  });

  it('keeps a reminder on the deadline day itself before the deadline', () => {
    const onTheDay = withOverrides(policy, { 'report-overdue': { offsets: ['P0D'] } });
    const report: Deadline = { kind: 'report', id: 'report-2026', on: '2026-04-05', recipients: [anna], data: {} };
    expect(reminderTimers(onTheDay, [report]).map((timer) => timer.at)).toEqual(['2026-04-02T08:00']);
  });

  it('addresses a person once even when listed twice', () => {
    const twice = { ...review, recipients: [anna, { ...anna, email: 'anna.berger@SCHULE.example' }] };
    expect(reminderTimers(policy, [twice])).toHaveLength(3);
  });

  it('declares nothing without deadlines or matching recipients', () => {
    expect(reminderTimers(policy, [])).toEqual([]);
    expect(reminderTimers(policy, [{ ...review, recipients: [mia] }])).toEqual([]);
  });

  it('names the rule of a bad offset', () => {
    const broken = { ...policy, rules: [{ ...policy.rules[0], offsets: ['9 months'] }] };
    expect(() => reminderTimers(broken, [review])).toThrow(/review-due.*9 months/);
  });
});

describe('working days on the safe side of a deadline', () => {
  it('moves forward after a deadline and back before one', () => {
    expect(nextWorkingDay('2024-06-08', 'NW')).toBe('2024-06-10');
    expect(nextWorkingDay('2024-10-02', 'NW')).toBe('2024-10-02');
    // Ascension Day 2026 (Thursday 14 May) -> Friday; Whit Monday 2026 -> Tuesday.
    expect(nextWorkingDay('2026-05-14', 'NW')).toBe('2026-05-15');
    expect(nextWorkingDay('2026-05-23', 'NI')).toBe('2026-05-26');
  });

  it('names every day passed over, with the holiday in German and English', () => {
    expect(workingDayOnSide('2026-04-04', 'after', 'NW')).toEqual({
      day: '2026-04-07',
      shift: {
        from: '2026-04-04',
        to: '2026-04-07',
        direction: 'later',
        passedOver: [
          { day: '2026-04-04', weekday: 'Saturday', holiday: null },
          { day: '2026-04-05', weekday: 'Sunday', holiday: null },
          { day: '2026-04-06', weekday: 'Monday', holiday: { de: 'Ostermontag', en: 'Easter Monday' } },
        ],
      },
    });
    expect(workingDayOnSide('2024-10-02', 'before', 'NI')).toEqual({ day: '2024-10-02', shift: null });
  });
});

describe('reminderSchedule and explainReminder', () => {
  it('explains a reminder moved off a weekend: review 2 of a contract started 2019-09-01', () => {
    const second: Deadline = {
      kind: 'review',
      id: 'review-2025-09-01',
      on: '2025-09-01',
      recipients: [anna],
      data: {},
    };
    const threeMonths = reminderSchedule(policy, [second]).find((reminder) => reminder.offset === '-P3M')!;
    expect(threeMonths).toMatchObject({
      rule: 'review-due',
      side: 'before',
      offsetDay: '2025-06-01',
      sendOn: '2025-05-30',
      shift: {
        direction: 'earlier',
        passedOver: [
          { day: '2025-06-01', weekday: 'Sunday', holiday: null },
          { day: '2025-05-31', weekday: 'Saturday', holiday: null },
        ],
      },
    });
    expect(explainReminder(threeMonths)).toEqual({
      en:
        '3 months before the deadline 2025-09-01: Sunday 2025-06-01. Not a working day: Sunday 2025-06-01, Saturday 2025-05-31.' +
        ' Moved to the previous working day, Friday 2025-05-30, so it stays before the deadline.',
      de:
        '3 Monate vor der Frist 01.09.2025: Sonntag, 01.06.2025. Kein Arbeitstag: Sonntag, 01.06.2025; Samstag, 31.05.2025.' +
        ' Verlegt auf den vorherigen Arbeitstag, Freitag, 30.05.2025, damit die Erinnerung vor der Frist bleibt.',
    });
  });

  it('explains an overdue reminder moved past a holiday', () => {
    const report: Deadline = { kind: 'report', id: 'report-2026', on: '2026-04-05', recipients: [anna], data: {} };
    const [overdue] = reminderSchedule(policy, [report]);
    expect(explainReminder(overdue).en).toBe(
      '1 day after the deadline 2026-04-05: Monday 2026-04-06. Not a working day: Monday 2026-04-06 (Easter Monday).' +
        ' Moved to the next working day, Tuesday 2026-04-07, so it stays after the deadline.',
    );
    expect(explainReminder(overdue).de).toContain('Montag, 06.04.2026 (Ostermontag)');
  });

  it('says nothing of a shift when the offset day is a working day', () => {
    const [nine] = reminderSchedule(policy, [review]);
    expect(nine.shift).toBeNull();
    expect(explainReminder(nine).en).toBe('9 months before the deadline 2020-08-01: Friday 2019-11-01.');
  });
});

describe('withOverrides', () => {
  it('returns the policy unchanged without overrides', () => {
    expect(withOverrides(policy)).toEqual(policy);
    expect(withOverrides(policy, {})).toEqual(policy);
  });

  it('replaces offsets and roles and drops disabled rules', () => {
    const changed = withOverrides(policy, {
      'review-due': { offsets: ['-P12M'], roles: ['school_lead'] },
      'report-overdue': { enabled: false },
    });
    expect(changed.rules).toEqual([{ ...policy.rules[0], offsets: ['-P12M'], roles: ['school_lead'] }]);
    expect(policy.rules).toHaveLength(2);
  });

  it.each([
    [{ 'review-dew': { offsets: ['-P1M'] } }, /unknown rule review-dew/],
    [{ 'review-due': { offsets: ['P1X'] } }, /review-due.*P1X/],
    [{ 'review-due': { offsets: '-P1M' } }, /review-due: offsets must be a list/],
    [{ 'review-due': { roles: [''] } }, /review-due: roles must be a list/],
    [{ 'review-due': { enabled: 'no' } }, /review-due: enabled must be true or false/],
    [{ 'review-due': { offset: ['-P1M'] } }, /review-due: unknown field\(s\) offset/],
    [{ 'review-due': ['-P1M'] }, /review-due: override must be an object/],
  ])('refuses %j naming the rule', (overrides, message) => {
    expect(() => withOverrides(policy, overrides)).toThrow(message);
  });
});

describe('programmeWorkflows with reminder overrides', () => {
  it('stops on an unknown programme or rule, naming it', async () => {
    const { programmeWorkflows } = await import('../index.js');
    expect(programmeWorkflows({}).length).toBeGreaterThan(0);
    expect(() => programmeWorkflows({ 'contract-reveiw': {} })).toThrow(/unknown programme\(s\) contract-reveiw/);
    expect(() => programmeWorkflows({ 'contract-review': { 'no-such-rule': { enabled: false } } })).toThrow(
      /unknown rule no-such-rule/,
    );
  });
});
