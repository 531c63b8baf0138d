import { describe, expect, it } from '@jest/globals';
import { evaluationReport, figuresOf, isReportYear, type EventInput, type ExchangeInput } from './report.js';
import { meetingDayRefusal } from './meeting.js';

const r = (rating: number, commented = false) => ({ rating, commented });

function event(
  id: string,
  module: string,
  days: string[],
  responses: { rating: number; commented: boolean }[],
  extra: Partial<EventInput> = {},
): EventInput {
  return {
    eventId: id,
    module,
    title: null,
    titleEn: null,
    groupId: `g-${id}`,
    groupName: `Gruppe ${id}`,
    days,
    place: 'Soest',
    participants: 16,
    responses,
    ...extra,
  };
}

describe('figures of a set of responses', () => {
  it('counts, averages to two decimals, distributes over 1 to 5 and counts comments', () => {
    expect(figuresOf([r(5, true), r(4), r(4), r(2, true)])).toEqual({
      responses: 4,
      meanRating: 3.75,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 },
      comments: 2,
    });
    expect(figuresOf([r(5), r(4), r(4)]).meanRating).toBe(4.33);
  });

  it('has no mean without responses, and refuses a rating off the scale', () => {
    expect(figuresOf([])).toEqual({
      responses: 0,
      meanRating: null,
      distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
      comments: 0,
    });
    expect(() => figuresOf([r(6)])).toThrow(/1 to 5/);
  });
});

describe('the yearly report', () => {
  const events = [
    event('b2', 'tandem-team', ['2026-11-30', '2026-12-01'], [r(3)]),
    event('c1', 'cooperation-interfaces', ['2026-06-08'], [r(5, true)]),
    event('x1', 'data-informed-steering', ['2026-09-14'], [], {
      title: 'Datengestützte Steuerung',
      titleEn: 'Data-informed steering',
      participants: null,
    }),
    event('a1', 'tandem-team', ['2026-03-02', '2026-03-03'], [r(5, true), r(4)]),
    // Its first day is in 2025: it belongs to that year, not to 2026.
    event('old', 'tandem-team', ['2025-12-31', '2026-01-01'], [r(1)]),
  ];
  const exchanges: ExchangeInput[] = [
    {
      exchangeId: 'e26',
      on: '2026-11-26',
      place: 'Düsseldorf',
      invitedTandems: 8,
      acceptedTandems: 3,
      participants: 6,
      responses: [r(4), r(2, true)],
    },
    {
      exchangeId: 'e27',
      on: '2027-06-10',
      place: 'Münster',
      invitedTandems: 8,
      acceptedTandems: 0,
      participants: 0,
      responses: [],
    },
  ];

  it("puts the core modules first in the decree's order, each with its events by day, and further modules after", () => {
    const report = evaluationReport(2026, events, exchanges);
    expect(report.modules.map((m) => [m.module, m.title, m.events.map((e) => e.eventId)])).toEqual([
      ['tandem-team', 'Das Tandem als Team', ['a1', 'b2']],
      ['cooperation-interfaces', 'Kooperations- und Schnittstellenmanagement', ['c1']],
      ['data-informed-steering', 'Datengestützte Steuerung', ['x1']],
    ]);
    expect(report.modules[2].titleEn).toBe('Data-informed steering');
  });

  it('adds up per module and over the year, the exchange of the year included', () => {
    const report = evaluationReport(2026, events, exchanges);
    expect(report.modules[0]).toMatchObject({
      responses: 3,
      meanRating: 4,
      comments: 1,
      distribution: { 3: 1, 4: 1, 5: 1 },
    });
    expect(report.modules[2]).toMatchObject({ responses: 0, meanRating: null });
    expect(report.modules[2].events[0].participants).toBeNull();
    expect(report.exchanges).toEqual([
      {
        exchangeId: 'e26',
        on: '2026-11-26',
        place: 'Düsseldorf',
        invitedTandems: 8,
        acceptedTandems: 3,
        participants: 6,
        responses: 2,
        meanRating: 3,
        distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 },
        comments: 1,
      },
    ]);
    expect(report.total).toEqual({
      events: 4,
      exchanges: 1,
      responses: 6,
      meanRating: 3.83,
      distribution: { 1: 0, 2: 1, 3: 1, 4: 2, 5: 2 },
      comments: 3,
    });
  });

  it('gives an empty report for a year without events', () => {
    expect(evaluationReport(2030, events, exchanges)).toEqual({
      year: 2030,
      total: {
        events: 0,
        exchanges: 0,
        responses: 0,
        meanRating: null,
        distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
        comments: 0,
      },
      modules: [],
      exchanges: [],
    });
  });

  it('takes a year as four digits', () => {
    expect(['2026', '0999'].map(isReportYear)).toEqual([true, true]);
    expect(['26', '20261', '2026.5', '', 'abcd', '0000'].map(isReportYear)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("the day of the ministry's meeting", () => {
  it('lies in the evaluation year or the next', () => {
    expect(meetingDayRefusal(2026, '2026-11-20')).toBeNull();
    expect(meetingDayRefusal(2026, '2027-03-11')).toBeNull();
    expect(meetingDayRefusal(2026, '2027-12-31')).toBeNull();
    expect(meetingDayRefusal(2026, '2028-01-01')).toMatchObject({
      rule: 'meeting-reflects-its-year',
      details: { earliest: '2026-01-01', latest: '2027-12-31' },
    });
    expect(meetingDayRefusal(2026, '2025-12-31')?.rule).toBe('meeting-reflects-its-year');
  });
});
