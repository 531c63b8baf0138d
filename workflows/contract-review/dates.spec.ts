import { describe, expect, it } from '@jest/globals';
import {
  annualReportDueDate,
  earliestNoticeEffectiveDate,
  isCalendarDay,
  lastDayToGiveNotice,
  noticeEffectiveDate,
  noticeEffectiveDateProblem,
  noticeWindowsBefore,
  noticeCalculation,
  possibleNoticeEffectiveDates,
  reviewDueDate,
  secondmentEnd,
} from './dates.js';

describe('reviewDueDate', () => {
  it('is three years after the start, then every three years', () => {
    expect(reviewDueDate('2017-08-01', 1)).toBe('2020-08-01');
    expect(reviewDueDate('2017-08-01', 2)).toBe('2023-08-01');
    expect(reviewDueDate('2017-08-01', 3)).toBe('2026-08-01');
  });

  it('moves a 29 February start to 28 February in common years and back to 29 February in leap years', () => {
    expect(reviewDueDate('2016-02-29', 1)).toBe('2019-02-28');
    expect(reviewDueDate('2016-02-29', 2)).toBe('2022-02-28');
    expect(reviewDueDate('2016-02-29', 4)).toBe('2028-02-29');
  });

  it('keeps month ends and year ends', () => {
    expect(reviewDueDate('2019-12-31', 1)).toBe('2022-12-31');
    expect(reviewDueDate('2020-01-01', 1)).toBe('2023-01-01');
  });

  it('refuses a cycle that is not a whole number from 1 and a day that is not YYYY-MM-DD', () => {
    expect(() => reviewDueDate('2017-08-01', 0)).toThrow(/cycle/);
    expect(() => reviewDueDate('2017-08-01', 1.5)).toThrow(/cycle/);
    expect(() => reviewDueDate('01.08.2017', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => reviewDueDate('2017-02-30', 1)).toThrow(/2017-02-30/);
  });
});

describe('noticeEffectiveDate', () => {
  it('takes effect on 31 December when received on or before 30 June', () => {
    expect(noticeEffectiveDate('2021-01-01')).toBe('2021-12-31');
    expect(noticeEffectiveDate('2021-06-29')).toBe('2021-12-31');
    expect(noticeEffectiveDate('2021-06-30')).toBe('2021-12-31');
  });

  it('takes effect on 30 June of the next year when received from 1 July', () => {
    expect(noticeEffectiveDate('2021-07-01')).toBe('2022-06-30');
    expect(noticeEffectiveDate('2021-12-30')).toBe('2022-06-30');
    expect(noticeEffectiveDate('2021-12-31')).toBe('2022-06-30');
  });

  it('counts a leap day like any other day of the first half', () => {
    expect(noticeEffectiveDate('2024-02-29')).toBe('2024-12-31');
    expect(noticeEffectiveDate('2024-06-30')).toBe('2024-12-31');
    expect(noticeEffectiveDate('2024-07-01')).toBe('2025-06-30');
  });

  it('refuses an impossible date of receipt', () => {
    expect(() => noticeEffectiveDate('2023-02-29')).toThrow(/date of receipt/);
  });
});

describe('a notice naming a later date', () => {
  it('takes effect on the date named, or the earliest without one', () => {
    expect(noticeEffectiveDate('2021-03-10', '2022-12-31')).toBe('2022-12-31');
    expect(noticeEffectiveDate('2021-03-10')).toBe('2021-12-31');
    expect(earliestNoticeEffectiveDate('2021-03-10')).toBe('2021-12-31');
  });

  it('accepts any 30 June or 31 December from the earliest on', () => {
    expect(noticeEffectiveDateProblem('2021-03-10', '2021-12-31')).toBeNull();
    expect(noticeEffectiveDateProblem('2021-03-10', '2022-06-30')).toBeNull();
    expect(noticeEffectiveDateProblem('2021-07-01', '2022-06-30')).toBeNull();
    expect(noticeEffectiveDateProblem('2021-06-30', '2021-12-31')).toBeNull();
  });

  it('names what is wrong with any other date', () => {
    expect(noticeEffectiveDateProblem('2021-03-10', '2021-06-30')).toBe('less-than-six-months');
    expect(noticeEffectiveDateProblem('2021-07-01', '2021-12-31')).toBe('less-than-six-months');
    expect(noticeEffectiveDateProblem('2021-03-10', '2022-01-01')).toBe('not-30-june-or-31-december');
    expect(noticeEffectiveDateProblem('2021-03-10', '2022-06-31')).toBe('not-a-calendar-day');
  });

  it('lists the dates a notice can take effect on, earliest first', () => {
    expect(possibleNoticeEffectiveDates('2021-03-10')).toEqual([
      '2021-12-31',
      '2022-06-30',
      '2022-12-31',
      '2023-06-30',
    ]);
    expect(possibleNoticeEffectiveDates('2021-07-01', 2)).toEqual(['2022-06-30', '2022-12-31']);
  });
});

describe('lastDayToGiveNotice', () => {
  it('is 30 June of the same year for 31 December', () => {
    expect(lastDayToGiveNotice('2021-12-31')).toBe('2021-06-30');
    expect(lastDayToGiveNotice('2024-12-31')).toBe('2024-06-30');
  });

  it('is 31 December of the year before for 30 June', () => {
    expect(lastDayToGiveNotice('2022-06-30')).toBe('2021-12-31');
    expect(lastDayToGiveNotice('2025-06-30')).toBe('2024-12-31');
  });

  it('is the inverse of noticeEffectiveDate on the edge days', () => {
    for (const effective of ['2021-12-31', '2022-06-30', '2024-12-31', '2025-06-30']) {
      const lastDay = lastDayToGiveNotice(effective);
      expect(noticeEffectiveDate(lastDay)).toBe(effective);
    }
    // One day later reaches the next termination date.
    expect(noticeEffectiveDate('2021-07-01')).toBe('2022-06-30');
    expect(noticeEffectiveDate('2022-01-01')).toBe('2022-12-31');
  });

  it('refuses a day that is not a termination date', () => {
    expect(() => lastDayToGiveNotice('2021-12-30')).toThrow(/30 June or 31 December/);
    expect(() => lastDayToGiveNotice('2021-07-01')).toThrow(/not a termination date/);
  });
});

describe('noticeWindowsBefore', () => {
  it('lists the last days to give notice in the twelve months before a review', () => {
    expect(noticeWindowsBefore('2020-08-01')).toEqual([
      { lastDay: '2019-12-31', effectiveOn: '2020-06-30' },
      { lastDay: '2020-06-30', effectiveOn: '2020-12-31' },
    ]);
  });

  it('includes a last day exactly one year before and excludes the review day itself', () => {
    expect(noticeWindowsBefore('2021-06-30')).toEqual([
      { lastDay: '2020-06-30', effectiveOn: '2020-12-31' },
      { lastDay: '2020-12-31', effectiveOn: '2021-06-30' },
    ]);
    expect(noticeWindowsBefore('2023-01-01')).toEqual([
      { lastDay: '2022-06-30', effectiveOn: '2022-12-31' },
      { lastDay: '2022-12-31', effectiveOn: '2023-06-30' },
    ]);
  });
});

describe('secondments and annual reports', () => {
  it('seconds for three years, ending the day before the anniversary', () => {
    expect(secondmentEnd('2017-08-01')).toBe('2020-07-31');
    expect(secondmentEnd('2020-03-01')).toBe('2023-02-28');
    expect(secondmentEnd('2021-03-01')).toBe('2024-02-29');
  });

  it('ends a secondment started on 29 February on the last day of February, not a day earlier', () => {
    expect(secondmentEnd('2024-02-29')).toBe('2027-02-28');
    expect(secondmentEnd('2024-02-29', 4)).toBe('2028-02-28');
    expect(secondmentEnd('2024-02-28')).toBe('2027-02-27');
  });

  it('asks for the n-th annual report on the n-th anniversary of the start', () => {
    expect(annualReportDueDate('2017-08-01', 1)).toBe('2018-08-01');
    expect(annualReportDueDate('2016-02-29', 1)).toBe('2017-02-28');
    expect(() => annualReportDueDate('2017-08-01', 0)).toThrow(/annual report/);
  });

  it('recognises calendar days', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('2024-2-1')).toBe(false);
    expect(isCalendarDay(20240201)).toBe(false);
  });
});

describe('noticeCalculation', () => {
  it('answers the worked examples: received 30 June 2021 -> 31 December 2021, received 1 July 2021 -> 30 June 2022', () => {
    expect(noticeCalculation({ receivedOn: '2021-06-30' }).received).toEqual({
      on: '2021-06-30',
      takesEffectOn: '2021-12-31',
      laterDates: ['2022-06-30', '2022-12-31'],
      sentence: {
        de: 'Eine am 30. Juni 2021 eingegangene Kündigung wird frühestens zum 31. Dezember 2021 wirksam.',
        en: 'A notice received on 30 June 2021 takes effect on 31 December 2021 at the earliest.',
      },
    });
    expect(noticeCalculation({ receivedOn: '2021-07-01' }).received?.takesEffectOn).toBe('2022-06-30');
  });

  it('names the last day to give notice for a termination date, and answers both questions at once', () => {
    const both = noticeCalculation({ receivedOn: '2021-07-01', effectiveOn: '2022-06-30' });
    expect(both.effective).toEqual({
      on: '2022-06-30',
      lastDayToGiveNotice: '2021-12-31',
      sentence: {
        de: 'Für eine Kündigung zum 30. Juni 2022 muss sie spätestens am 31. Dezember 2021 schriftlich eingegangen sein.',
        en: 'To end the contract on 30 June 2022, the written notice must be received by 31 December 2021.',
      },
    });
    expect(both.received?.takesEffectOn).toBe('2022-06-30');
    expect(noticeCalculation({ effectiveOn: '2021-12-31' })).toEqual({
      received: null,
      effective: expect.objectContaining({ lastDayToGiveNotice: '2021-06-30' }),
    });
  });
});
