import { describe, expect, it } from '@jest/globals';
import type { Recipient } from './mail.js';
import { previousWorkingDay, reminderTimers, withOverrides, type Deadline, type ReminderPolicy } from './reminders.js';

const anna: Recipient = { name: 'Anna Berger', email: 'Anna.Berger@schule.example', language: 'de', role: 'contract_admin' };
const tom: Recipient = { name: 'Tom Reed', email: 'tom.reed@schule.example', language: 'en', role: 'school_lead' };
const mia: Recipient = { name: 'Mia Kurz', email: 'mia.kurz@schule.example', language: 'de', role: 'teacher' };

const policy: ReminderPolicy = {
  programme: 'contract-review',
  region: 'NI',
  rules: [
    { key: 'review-due', deadline: 'review', offsets: ['-P9M', '-P6M', '-P3M'], roles: ['contract_admin', 'school_lead'], template: 'contract-review/review-due' },
    { key: 'report-overdue', deadline: 'report', offsets: ['P1D'], roles: ['contract_admin'], template: 'contract-review/report-overdue' },
  ],
};

const review: Deadline = { kind: 'review', id: 'review-2020-08-01', on: '2020-08-01', recipients: [anna, tom, mia], data: { contract: 'K-17' } };

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
    const report: Deadline = { kind: 'report', id: 'report-2024', on: '2024-10-30', recipients: [anna, tom], data: {} };
    // The day after is Reformation Day in Lower Saxony, so the overdue notice goes out on the due day itself.
    expect(reminderTimers(policy, [report]).map((timer) => [timer.key, timer.at])).toEqual([
      ['reminder:report-overdue:report-2024:P1D:anna.berger@schule.example', '2024-10-30T08:00'],
    ]);
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
    expect(() => programmeWorkflows({ 'contract-review': { 'no-such-rule': { enabled: false } } })).toThrow(/unknown rule no-such-rule/);
  });
});
