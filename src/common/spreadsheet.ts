/**
 * Lists that clerks keep in a spreadsheet, written as CSV for German Excel and as XLSX. One table, two files:
 * - CSV: UTF-8 with a byte order mark (so Excel does not read umlauts as Latin-1), `;` between fields (German
 *   Excel's list separator), CRLF line ends, fields quoted where they hold the separator, a quote or a line break
 *   (RFC 4180), days as DD.MM.YYYY, and text that starts like a formula prefixed with `'` so it is not run.
 * - XLSX (exceljs): days as real date cells (shown DD.MM.YYYY, sortable and filterable as dates), whole numbers as
 *   numbers, a bold header row that stays in view and an autofilter.
 */
import ExcelJS from 'exceljs';
import { parseDay } from '../../workflows/shared/calendar-day.js';

export type ColumnKind = 'text' | 'day' | 'number';

export interface Column {
  header: string;
  kind?: ColumnKind;
  /** Width in characters in the XLSX file. */
  width?: number;
}

export type Cell = string | number | null;

export interface Table {
  /** The sheet's name (at most 31 characters) and the file's name without extension. */
  name: string;
  filename: string;
  columns: Column[];
  /** Days as YYYY-MM-DD. */
  rows: Cell[][];
}

export interface SpreadsheetFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const BOM = '\uFEFF';
const SEPARATOR = ';';

/** 2026-03-05 -> 05.03.2026 */
export function germanDay(day: string): string {
  const { year, month, day: d } = parseDay(day);
  return `${String(d).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
}

/** Text a person entered (a name, a place) that starts like a formula is not run by the spreadsheet. */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: Cell, kind: ColumnKind): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : kind === 'day' ? germanDay(value) : inert(value);
  return /["\r\n]/.test(text) || text.includes(SEPARATOR) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: Table): SpreadsheetFile {
  const lines = [table.columns.map((c) => csvField(c.header, 'text'))];
  for (const row of table.rows) lines.push(row.map((value, i) => csvField(value, table.columns[i].kind ?? 'text')));
  const text = BOM + lines.map((fields) => fields.join(SEPARATOR)).join('\r\n') + '\r\n';
  return { filename: `${table.filename}.csv`, contentType: CSV_TYPE, content: Buffer.from(text, 'utf8') };
}

/** A calendar day as the date Excel stores: midnight UTC of that day, no time of day and no zone to shift it. */
function dateCell(day: string): Date {
  const { year, month, day: d } = parseDay(day);
  return new Date(Date.UTC(year, month - 1, d));
}

export async function toXlsx(table: Table, created: Date): Promise<SpreadsheetFile> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Lotse';
  // Fixed metadata, so the same list gives the same workbook's content whenever it is exported on one day.
  workbook.created = created;
  workbook.modified = created;
  const sheet = workbook.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({
    key: `c${i}`,
    header: c.header,
    width: c.width ?? Math.max(12, c.header.length + 2),
    style: c.kind === 'day' ? { numFmt: 'dd.mm.yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(
      row.map((value, i) => (value !== null && table.columns[i].kind === 'day' ? dateCell(String(value)) : value)),
    );
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename: `${table.filename}.xlsx`, contentType: XLSX_TYPE, content };
}
