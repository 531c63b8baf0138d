import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { evaluationReport } from '../../workflows/evaluation/report.js';
import { reportCsv } from './report-csv.js';

const report = evaluationReport(
  2026,
  [
    {
      eventId: 'e1',
      module: 'further',
      title: '=HYPERLINK("https://example.org")',
      titleEn: null,
      groupId: 'g1',
      groupName: '@Gruppe\r\nzwei Zeilen',
      days: ['2026-05-04'],
      place: '+Soest; "Saal"',
      participants: 2,
      responses: [
        { rating: 4, commented: false },
        { rating: 5, commented: true },
      ],
    },
  ],
  [],
);

describe('the report as CSV', () => {
  it('quotes what holds the separator, a quote or a line break, and keeps text from starting a formula', () => {
    const csv = reportCsv(report, 'de');
    const rows: string[][] = parse(csv, { delimiter: ';', bom: true });
    const event = rows.find((row) => row[1] === 'Veranstaltung')!;
    expect(event.slice(3, 7)).toEqual([
      '\'=HYPERLINK("https://example.org")',
      "'@Gruppe\r\nzwei Zeilen",
      '04.05.2026',
      '\'+Soest; "Saal"',
    ]);
    expect(event.slice(9, 12)).toEqual(['2', '2', '4,50']);
    expect(rows.every((row) => row.length === rows[0].length)).toBe(true);
  });

  it('writes English with commas and a decimal point, also with a byte order mark', () => {
    const csv = reportCsv(report, 'en');
    expect(csv.startsWith('\uFEFFYear,Level,')).toBe(true);
    const rows: string[][] = parse(csv, { delimiter: ',', bom: true });
    expect(rows[1].slice(0, 4).concat(rows[1].slice(10, 12))).toEqual(['2026', 'Year', '', 'Total 2026', '2', '4.50']);
  });
});
