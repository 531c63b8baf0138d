/**
 * The evaluation report as a PDF for the ministry's meeting and its files: A4 landscape, PDF/A-2b, tagged (headings,
 * paragraphs, tables with header cells; page numbers as artifacts) with the document's language, DejaVu Sans embedded
 * as on the certificates, so umlauts and any Latin-script group or place name print as written.
 */
import { FONT, FONT_BOLD } from '../common/pdf-fonts.js';
import PDFDocument from 'pdfkit';
import { RATINGS, type EvaluationReport, type Figures } from '../../workflows/evaluation/report.js';
import type { Language } from '../../workflows/shared/mail.js';
import { formatMean, LABELS, shortDay } from './report-labels.js';

const MARGIN = 48;
const GREY = '#4d4d4d';
const HEADER_FILL = '#e8edf2';
/** A table row of one line, with its padding; rows with a wrapped name are taller, so this errs on the short side. */
const ROW_HEIGHT = 18;

type Cell = PDFKit.Mixins.CellOptions & { scope?: 'column' | 'row' };

export interface ReportDocument {
  report: EvaluationReport;
  language: Language;
  /** The day the figures are from. */
  asOf: string;
  /** When the report was made (the PDF's creation date). */
  generatedAt: Date;
}

export function renderReportPdf({ report, language, asOf, generatedAt }: ReportDocument): Promise<Buffer> {
  const l = LABELS[language];
  const c = l.columns;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: l.lang,
    displayTitle: true,
    bufferPages: true,
    // The default font too, so that pdfkit never sets up its unembedded Helvetica (PDF/A embeds every font).
    font: FONT as string,
    info: { Title: `${l.title(report.year)} – Tandem-Qualifizierung NRW`, CreationDate: generatedAt },
  });
  // With a family name pdfkit finds a parsed font in its cache again; without one, each of the table's many font
  // switches would set the font up anew (about half of the time a report took).
  doc.registerFont('regular', FONT, 'DejaVuSans');
  doc.registerFont('bold', FONT_BOLD, 'DejaVuSans-Bold');
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const block = (type: string, draw: () => void, options: Record<string, unknown> = {}) =>
    root.add(doc.struct(type, options, [draw]));
  /** A section's heading, on a new page when the table below it (`rows`) would not fit under it but fits a page. */
  const heading = (type: 'H1' | 'H2', text: string, rows = 0) => {
    const needed = 48 + (rows + 1) * ROW_HEIGHT;
    const room = doc.page.height - MARGIN - doc.y;
    if (type === 'H2' && needed > room && needed <= doc.page.height - 2 * MARGIN) doc.addPage();
    block(type, () =>
      doc
        .font('bold')
        .fontSize(type === 'H1' ? 20 : 13)
        .fillColor('#000')
        .text(text, MARGIN),
    );
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, size = 9.5, color = GREY) => {
    block('P', () => doc.font('regular').fontSize(size).fillColor(color).text(text, MARGIN));
  };

  heading('H1', l.title(report.year));
  paragraph(l.programme, 11, '#000');
  doc.moveDown(0.4);
  paragraph(l.asOf(asOf));
  paragraph(l.purpose);
  paragraph(l.scale);
  doc.moveDown(0.8);

  const figures = (f: Figures): Cell[] => [
    number(f.responses),
    number(formatMean(f.meanRating, language) || '–'),
    ...RATINGS.map((r) => number(f.distribution[`${r}`])),
    number(f.comments),
  ];
  const figureHeads = [c.responses, c.mean, ...RATINGS.map(String), c.comments];
  // Wide enough for each header word in bold 8 pt with the cell's padding (Rückmeldungen, Teilnehmende); 746 pt in all.
  const figureWidths = [86, 62, ...RATINGS.map(() => 28), 72];

  if (!report.modules.length && !report.exchanges.length) {
    paragraph(l.nothing(report.year), 11, '#000');
  } else {
    heading('H2', l.overview, report.modules.length + report.exchanges.length + 1);
    const overview: Cell[][] = [
      ...report.modules.map((m) => [
        text(language === 'en' ? m.titleEn : m.title),
        number(m.events.length),
        ...figures(m),
      ]),
      ...report.exchanges.map((x) => [text(l.exchangeOn(x.on)), number(1), ...figures(x)]),
      [
        text(l.total(report.year), true),
        number(report.total.events + report.total.exchanges, true),
        ...figures(report.total).map((cell) => ({ ...cell, font: { src: 'bold' } })),
      ],
    ];
    table(doc, root, [c.offer, c.events, ...figureHeads], [236, 90, ...figureWidths], overview);

    for (const module of report.modules) {
      heading('H2', `${c.module}: ${language === 'en' ? module.titleEn : module.title}`, module.events.length);
      table(
        doc,
        root,
        [c.group, c.days, c.place, c.participants, ...figureHeads],
        [118, 116, 76, 76, ...figureWidths],
        module.events.map((e) => [
          text(e.groupName),
          text(e.days.map((d) => shortDay(d, language)).join(', ')),
          text(e.place),
          number(e.participants ?? '–'),
          ...figures(e),
        ]),
      );
    }

    if (report.exchanges.length) {
      heading('H2', l.exchange, report.exchanges.length);
      table(
        doc,
        root,
        [c.days, c.place, c.invited, c.accepted, c.participants, ...figureHeads],
        [70, 100, 86, 54, 76, ...figureWidths],
        report.exchanges.map((x) => [
          text(shortDay(x.on, language)),
          text(x.place),
          number(x.invitedTandems),
          number(x.acceptedTandems),
          number(x.participants),
          ...figures(x),
        ]),
      );
    }
  }

  // Page numbers, as artifacts: a screen reader reads the report, not the pagination.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    doc.markContent('Artifact', { type: 'Pagination' } as never);
    const label = `${l.title(report.year)} · ${l.page(index - range.start + 1, range.count)}`;
    // Below the bottom margin: lift the margin for this line so pdfkit does not start a new page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(GREY)
      .text(label, MARGIN, doc.page.height - MARGIN + 16, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
    doc.endMarkedContent();
  }
  root.end();
  doc.end();
  return done;
}

function text(value: string, bold = false): Cell {
  return { text: value, ...(bold ? { font: { src: 'bold' } } : {}) };
}

function number(value: number | string, bold = false): Cell {
  return { text: String(value), align: { x: 'right', y: 'top' }, ...(bold ? { font: { src: 'bold' } } : {}) };
}

/** A tagged table: one header row of column headers (TH, scope Column), then the rows. */
function table(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  heads: string[],
  widths: number[],
  rows: Cell[][],
): void {
  const header: Cell[] = heads.map((head, index) => ({
    text: head,
    type: 'TH',
    scope: 'column',
    font: { src: 'bold', size: 8 },
    backgroundColor: HEADER_FILL,
    ...(rows.length && isNumeric(rows, index) ? { align: { x: 'right', y: 'top' } } : {}),
  }));
  const options = {
    position: { x: MARGIN },
    columnStyles: widths,
    defaultStyle: { border: 0.5, borderColor: '#9aa5b1', padding: [3, 4, 3, 4], font: { size: 8.5 } },
    structParent: root,
    data: [header, ...rows],
  };
  doc.font('regular').fontSize(8.5).fillColor('#000');
  doc.table(options as unknown as PDFKit.Mixins.TableOptionsWithData);
  doc.x = MARGIN;
  doc.moveDown(1);
}

function isNumeric(rows: Cell[][], column: number): boolean {
  return rows.every((row) => (row[column]?.align as { x?: string } | undefined)?.x === 'right');
}

/** The report's file name: `evaluationsbericht-2026.pdf` (German) or `evaluation-report-2026.pdf`. */
export function reportFilename(year: number, language: Language, extension: 'pdf' | 'csv'): string {
  return `${language === 'en' ? 'evaluation-report' : 'evaluationsbericht'}-${year}.${extension}`;
}
