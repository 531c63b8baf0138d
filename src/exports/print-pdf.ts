/**
 * A group's papers for the day of an event, as print-ready PDFs (A4, DejaVu Sans embedded so every name prints as
 * written): the roster of the group's tandems, and an event's sign-in sheet with one signature field per person and
 * day. Drawn row by row: a table that runs over a page repeats its header row, and each page says which it is.
 */
import PDFDocument from 'pdfkit';
import { FONT, FONT_BOLD } from '../common/pdf-fonts.js';
import { parseDay } from '../../workflows/shared/calendar-day.js';
import { germanDay } from '../common/spreadsheet.js';

const MARGIN = 40;
const GREY = '#4d4d4d';
const RULE = '#8c969f';
const HEAD_FILL = '#e8edf2';

export interface PrintPerson {
  name: string;
  /** Untere / obere Schulaufsicht, or Moderation. */
  role: string;
  office: string;
  network: string | null;
}

export interface PrintEvent {
  title: string;
  days: string[];
  startTime: string;
  hours: number;
  place: string;
  cancelled: boolean;
}

export interface SignInSheet {
  group: string;
  event: PrintEvent;
  moderators: string[];
  participants: PrintPerson[];
  /** The day the sheet was printed. */
  printedOn: string;
}

export interface Roster {
  group: string;
  moderators: string[];
  tandems: { network: string | null; district: string | null; members: PrintPerson[] }[];
  waiting: number;
  events: PrintEvent[];
  printedOn: string;
}

interface Column {
  head: string;
  width: number;
}

const WEEKDAYS = ['Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.', 'So.'];

/** 2026-03-02 -> Mo., 02.03.2026 */
export function weekdayDay(day: string): string {
  return `${WEEKDAYS[parseDay(day).weekday - 1]}, ${germanDay(day)}`;
}

export function eventWhen(event: PrintEvent): string {
  const days = event.days.map(weekdayDay).join(event.days.length === 2 ? ' und ' : ', ');
  return `${days}, ${event.days.length > 1 ? 'jeweils ' : ''}ab ${event.startTime} Uhr (${event.hours} Stunden)`;
}

function document(title: string, landscape: boolean) {
  const doc = new PDFDocument({
    size: 'A4',
    layout: landscape ? 'landscape' : 'portrait',
    margin: MARGIN,
    pdfVersion: '1.7',
    lang: 'de-DE',
    displayTitle: true,
    bufferPages: true,
    font: FONT as string,
    info: { Title: title, Author: 'Lotse' },
  });
  doc.registerFont('regular', FONT, 'DejaVuSans');
  doc.registerFont('bold', FONT_BOLD, 'DejaVuSans-Bold');
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Title lines, then label/value lines. */
function header(doc: PDFKit.PDFDocument, title: string, subtitle: string, facts: [string, string][]): void {
  doc.font('bold').fontSize(18).fillColor('#000').text(title, MARGIN, MARGIN);
  doc.font('regular').fontSize(11).fillColor(GREY).text(subtitle);
  doc.moveDown(0.6);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('bold').fontSize(10).fillColor('#000').text(label, MARGIN, y, { width: 90 });
    doc
      .font('regular')
      .fontSize(10)
      .text(value, MARGIN + 95, y, { width: doc.page.width - 2 * MARGIN - 95 });
    doc.moveDown(0.25);
  }
  doc.moveDown(0.6);
}

/** A table: header row on grey, each row at least `rowHeight` high, the header repeated on every new page. */
function table(doc: PDFKit.PDFDocument, columns: Column[], rows: string[][][], rowHeight: number): void {
  const bottom = () => doc.page.height - MARGIN - 24;
  const headHeight =
    Math.max(
      ...columns.map((c) =>
        doc
          .font('bold')
          .fontSize(8.5)
          .heightOfString(c.head, { width: c.width - 8 }),
      ),
    ) + 10;
  const drawHead = () => {
    const y = doc.y;
    let x = MARGIN;
    for (const column of columns) {
      doc.rect(x, y, column.width, headHeight).lineWidth(0.6).fillAndStroke(HEAD_FILL, RULE);
      doc
        .font('bold')
        .fontSize(8.5)
        .fillColor('#000')
        .text(column.head, x + 4, y + 5, { width: column.width - 8 });
      x += column.width;
    }
    doc.y = y + headHeight;
  };
  drawHead();
  for (const row of rows) {
    // A cell holds lines: the first in 10 pt, the others below it in 8 pt grey.
    const needed = Math.max(rowHeight, ...row.map((lines, i) => cellHeight(doc, lines, columns[i].width - 8) + 10));
    if (doc.y + needed > bottom()) {
      doc.addPage();
      doc.y = MARGIN;
      drawHead();
    }
    const y = doc.y;
    let x = MARGIN;
    row.forEach((lines, i) => {
      doc.rect(x, y, columns[i].width, needed).lineWidth(0.6).stroke(RULE);
      let ty = y + 5;
      lines.forEach((line, n) => {
        doc
          .font('regular')
          .fontSize(n === 0 ? 10 : 8)
          .fillColor(n === 0 ? '#000' : GREY);
        doc.text(line, x + 4, ty, { width: columns[i].width - 8 });
        ty = doc.y + 1;
      });
      x += columns[i].width;
    });
    doc.y = y + needed;
  }
  doc.x = MARGIN;
}

function cellHeight(doc: PDFKit.PDFDocument, lines: string[], width: number): number {
  return lines.reduce(
    (sum, line, n) =>
      sum +
      doc
        .font('regular')
        .fontSize(n === 0 ? 10 : 8)
        .heightOfString(line || ' ', { width }) +
      1,
    0,
  );
}

/** "Seite 1 von 2" and what the paper is, in the bottom margin of every page. */
function footers(doc: PDFKit.PDFDocument, what: string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(GREY)
      .text(`${what} · Seite ${index - range.start + 1} von ${range.count}`, MARGIN, doc.page.height - MARGIN + 10, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

/** The sign-in sheet of one event: one row per participant and moderator, a signature field per day. */
export function renderSignInSheet(sheet: SignInSheet): Promise<Buffer> {
  const days = sheet.event.days;
  const landscape = days.length > 2;
  const title = `Unterschriftenliste: ${sheet.event.title}`;
  const { doc, done } = document(`${title} – ${sheet.group}`, landscape);
  header(doc, 'Unterschriftenliste', `Tandem-Qualifizierung NRW · ${sheet.group}`, [
    ['Veranstaltung', sheet.event.title + (sheet.event.cancelled ? ' (abgesagt)' : '')],
    ['Termin', eventWhen(sheet.event)],
    ['Ort', sheet.event.place],
    ['Moderation', sheet.moderators.join(', ') || '–'],
  ]);
  const usable = doc.page.width - 2 * MARGIN;
  const signature = Math.min(120, Math.floor((usable - 24 - 170 - 150) / days.length));
  const columns: Column[] = [
    { head: 'Nr.', width: 24 },
    { head: 'Name', width: 170 },
    { head: 'Dienststelle / Bildungsnetzwerk', width: usable - 24 - 170 - signature * days.length },
    ...days.map((day) => ({ head: `Unterschrift\n${weekdayDay(day)}`, width: signature })),
  ];
  const people = [
    ...sheet.participants,
    ...sheet.moderators.map((name) => ({ name, role: 'Moderation', office: '', network: null })),
  ];
  table(
    doc,
    columns,
    people.map((p, i) => [
      [String(i + 1)],
      [p.name, p.role],
      [p.office, ...(p.network ? [p.network] : [])],
      ...days.map(() => ['']),
    ]),
    34,
  );
  doc.moveDown(1);
  doc
    .font('regular')
    .fontSize(9)
    .fillColor(GREY)
    .text(
      'Bitte unterschreiben Sie an jedem Tag, an dem Sie teilgenommen haben. Eine Veranstaltung zählt für das Tandem nur, wenn beide Mitglieder teilgenommen haben.',
      MARGIN,
      doc.y,
      { width: usable },
    );
  doc.text(`Gedruckt am ${germanDay(sheet.printedOn)}.`);
  footers(doc, `Unterschriftenliste ${sheet.group}, ${sheet.event.title}`);
  doc.end();
  return done;
}

/** The roster of a group: its tandems with both members, its moderators and its schedule. */
export function renderRoster(roster: Roster): Promise<Buffer> {
  const { doc, done } = document(`Teilnehmendenliste – ${roster.group}`, false);
  header(doc, 'Teilnehmendenliste', `Tandem-Qualifizierung NRW · ${roster.group}`, [
    ['Moderation', roster.moderators.join(', ') || '–'],
    ['Tandems', `${roster.tandems.length}${roster.waiting ? `, dazu ${roster.waiting} auf der Warteliste` : ''}`],
    ['Stand', germanDay(roster.printedOn)],
  ]);
  const usable = doc.page.width - 2 * MARGIN;
  const columns: Column[] = [
    { head: 'Nr.', width: 24 },
    { head: 'Tandem (Bildungsnetzwerk)', width: 160 },
    { head: 'Name', width: 150 },
    { head: 'Dienststelle', width: usable - 334 },
  ];
  const rows: string[][][] = [];
  roster.tandems.forEach((tandem, i) => {
    tandem.members.forEach((member, n) => {
      rows.push([
        [n === 0 ? String(i + 1) : ''],
        n === 0 ? [tandem.network ?? '–', ...(tandem.district ? [tandem.district] : [])] : [''],
        [member.name, member.role],
        [member.office],
      ]);
    });
  });
  table(doc, columns, rows, 30);
  doc.moveDown(1.2);
  doc.font('bold').fontSize(12).fillColor('#000').text('Termine', MARGIN);
  doc.moveDown(0.4);
  table(
    doc,
    [
      { head: 'Veranstaltung', width: 200 },
      { head: 'Termin', width: usable - 200 - 110 },
      { head: 'Ort', width: 110 },
    ],
    roster.events.map((e) => [[e.title + (e.cancelled ? ' (abgesagt)' : '')], [eventWhen(e)], [e.place]]),
    24,
  );
  footers(doc, `Teilnehmendenliste ${roster.group}`);
  doc.end();
  return done;
}
