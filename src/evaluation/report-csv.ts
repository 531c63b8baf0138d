/**
 * The evaluation report as one flat table for a spreadsheet: a row for the year, one per module followed by its
 * events, and one per exchange. German: `;` between fields and a decimal comma, as German Excel reads a CSV file;
 * English: `,` and a decimal point. UTF-8 with a byte order mark (so Excel does not read umlauts as Latin-1), CRLF
 * line ends, fields quoted where they hold the separator, a quote or a line break (RFC 4180).
 */
import type { EvaluationReport, Figures } from '../../workflows/evaluation/report.js';
import { RATINGS } from '../../workflows/evaluation/report.js';
import type { Language } from '../../workflows/shared/mail.js';
import { formatMean, LABELS, shortDay } from './report-labels.js';

const BOM = '\uFEFF';

/** Text a person entered (a group's name, a place) that starts like a formula is not run by the spreadsheet. */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(value: string | number | null, separator: string): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : inert(value);
  return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(report: EvaluationReport, language: Language): string {
  const l = LABELS[language];
  const c = l.columns;
  const separator = language === 'en' ? ',' : ';';
  const header = [
    c.year,
    c.level,
    c.module,
    c.title,
    c.group,
    c.days,
    c.place,
    c.invited,
    c.accepted,
    c.participants,
    c.responses,
    c.mean,
    ...RATINGS.map(c.rating),
    c.comments,
  ];
  const figures = (f: Figures) => [
    f.responses,
    formatMean(f.meanRating, language),
    ...RATINGS.map((r) => f.distribution[`${r}`]),
    f.comments,
  ];
  const days = (list: string[]) => list.map((d) => shortDay(d, language)).join(', ');
  const rows: (string | number | null)[][] = [header];
  rows.push([
    report.year,
    l.levels.year,
    null,
    l.total(report.year),
    null,
    null,
    null,
    null,
    null,
    null,
    ...figures(report.total),
  ]);
  for (const module of report.modules) {
    const title = language === 'en' ? module.titleEn : module.title;
    const participants = module.events.every((e) => e.participants === null)
      ? null
      : module.events.reduce((sum, e) => sum + (e.participants ?? 0), 0);
    rows.push([
      report.year,
      l.levels.module,
      module.module,
      title,
      null,
      null,
      null,
      null,
      null,
      participants,
      ...figures(module),
    ]);
    for (const event of module.events) {
      rows.push([
        report.year,
        l.levels.event,
        module.module,
        title,
        event.groupName,
        days(event.days),
        event.place,
        null,
        null,
        event.participants,
        ...figures(event),
      ]);
    }
  }
  for (const exchange of report.exchanges) {
    rows.push([
      report.year,
      l.levels.exchange,
      null,
      l.exchange,
      null,
      days([exchange.on]),
      exchange.place,
      exchange.invitedTandems,
      exchange.acceptedTandems,
      exchange.participants,
      ...figures(exchange),
    ]);
  }
  return BOM + rows.map((row) => row.map((value) => field(value, separator)).join(separator)).join('\r\n') + '\r\n';
}
