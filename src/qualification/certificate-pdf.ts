/**
 * The certificate of participation (Teilnahmebescheinigung) as a PDF for the archive: PDF/A-2b, tagged (headings,
 * paragraphs, the module list, the QR code as a figure with its text) with the document's language, and DejaVu Sans
 * embedded, so names in any Latin script (Ayşe Yıldız-Łukasiewicz) print as written and render the same in twenty
 * years. German or English by the person's language. It shows no contact data: name, office, network, programme,
 * dates, hours, modules, issuer, and the code and address that verify it, also as a QR code.
 */
import { FONT, FONT_BOLD } from '../common/pdf-fonts.js';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DateTime } from 'luxon';
import { formatDay } from '../../workflows/shared/calendar-day.js';
import type { Language } from '../../workflows/shared/mail.js';

export interface CertificateModule {
  title: string;
  /** Counted from before a re-formation rather than attended in this enrolment. */
  credited: boolean;
}

export interface CertificateContent {
  name: string;
  office: string;
  networkName: string;
  language: Language;
  firstDay: string;
  lastDay: string;
  hours: number;
  modules: CertificateModule[];
  issuedOn: string;
  code: string;
  issuer: string;
  /** Absolute address that confirms the certificate, printed and encoded in the QR code. */
  verificationUrl: string;
}

const PROGRAMME_DE =
  'Qualifizierung der Tandems der Regionalkoordination in den Regionalen Bildungsnetzwerken NRW (BASS 20-22 Nr. 65)';

/**
 * The network as the object of "für": a name like "Regionales Bildungsnetzwerk Dortmund" is declined after the
 * article ("für das Regionale Bildungsnetzwerk Dortmund"); a bare place becomes "das Regionale Bildungsnetzwerk X".
 */
export function networkPhraseDe(name: string): string {
  const trimmed = name.trim();
  const regional = /^(?:das\s+)?regionale[sn]?\s+bildungsnetzwerk\b\s*(.*)$/i.exec(trimmed);
  if (regional) return `das Regionale Bildungsnetzwerk${regional[1] ? ` ${regional[1]}` : ''}`;
  if (/^(?:das\s+)?bildungsnetzwerk\b/i.test(trimmed)) return trimmed.replace(/^(?:das\s+)?/i, 'das ');
  return `das Regionale Bildungsnetzwerk ${trimmed}`;
}

/**
 * The network in an English sentence: a German name stays as written (a proper name, tagged as German), a bare
 * place gets the English designation.
 */
export function networkPhraseEn(name: string): { lead: string; german: string | null } {
  const trimmed = name.trim();
  if (/^(?:das\s+)?(?:regionale[sn]?\s+)?bildungsnetzwerk\b/i.test(trimmed))
    return { lead: 'the ', german: trimmed.replace(/^das\s+/i, '') };
  return { lead: `the Regional Education Network ${trimmed}`, german: null };
}

const TEXT = {
  de: {
    lang: 'de-DE',
    title: 'Teilnahmebescheinigung',
    translation: null,
    took: (c: CertificateContent, from: string, to: string) =>
      `hat als Mitglied des Tandems der Regionalkoordination für ${networkPhraseDe(c.networkName)} vom ${from} bis zum ${to} an der Qualifizierung teilgenommen.`,
    hours: (h: number) => `Umfang der besuchten Veranstaltungen: ${h} Stunden`,
    modules: 'Module',
    credited: 'angerechnet aus der Teilnahme des Tandems vor dem Wechsel eines Mitglieds',
    issued: (d: string) => `Ausgestellt am ${d}`,
    code: (code: string) => `Prüfcode: ${code}`,
    verify: 'Die Echtheit dieser Bescheinigung lässt sich mit dem Prüfcode bestätigen unter',
    qr: (url: string) => `QR-Code der Prüfadresse ${url}`,
  },
  en: {
    lang: 'en-GB',
    title: 'Certificate of participation',
    translation: 'Teilnahmebescheinigung',
    took: null,
    hours: (h: number) => `Events attended: ${h} hours`,
    modules: 'Modules',
    credited: "credited from the tandem's participation before a member changed",
    issued: (d: string) => `Issued on ${d}`,
    code: (code: string) => `Verification code: ${code}`,
    verify: 'This certificate can be confirmed with its verification code at',
    qr: (url: string) => `QR code of the verification address ${url}`,
  },
};

const xmlSafe = (value: string) => !/[<>&]/.test(value);

const GREY = '#4d4d4d';
const MARGIN = 64;

export function renderCertificate(content: CertificateContent): Promise<Buffer> {
  const text = TEXT[content.language];
  const de = content.language === 'de';
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: text.lang,
    displayTitle: true,
    // The default font too, so that pdfkit never sets up its unembedded Helvetica (PDF/A embeds every font).
    font: FONT as string,
    info: {
      // pdfkit copies these into the XMP metadata unescaped: a value with markup characters would break it.
      Title: xmlSafe(content.name) ? `${text.title} – ${content.name}` : text.title,
      ...(xmlSafe(content.issuer) ? { Author: content.issuer } : {}),
      // The issue day, not the download's: the same certificate is the same document however often it is fetched.
      CreationDate: DateTime.fromISO(content.issuedOn, { zone: 'utc' }).toJSDate(),
    },
  });
  doc.registerFont('regular', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const block = (type: string, draw: () => void, options: Record<string, unknown> = {}) =>
    root.add(doc.struct(type, options, [draw]));

  block('P', () => doc.font('regular').fontSize(9).fillColor(GREY).text(content.issuer, { align: 'right' }), {
    lang: 'de-DE',
  });
  doc.moveDown(5);
  block('H1', () => doc.font('bold').fontSize(26).fillColor('#000').text(text.title, { align: 'center' }));
  if (text.translation)
    block(
      'P',
      () => doc.font('regular').fontSize(11).fillColor(GREY).text(`(${text.translation})`, { align: 'center' }),
      { lang: 'de-DE' },
    );
  doc.moveDown(0.6);
  block('P', () =>
    doc
      .font('regular')
      .fontSize(11)
      .fillColor('#000')
      .text(
        de
          ? PROGRAMME_DE
          : 'Qualification of the regional coordination tandems of the Regional Education Networks in North Rhine-Westphalia (BASS 20-22 No. 65)',
        { align: 'center' },
      ),
  );

  doc.moveDown(3);
  block('H2', () => doc.font('bold').fontSize(20).text(content.name, { align: 'center' }));
  if (content.office)
    block('P', () => doc.font('regular').fontSize(11).fillColor(GREY).text(content.office, { align: 'center' }), {
      lang: 'de-DE',
    });
  doc.moveDown(1.5);

  const from = formatDay(content.firstDay, content.language);
  const to = formatDay(content.lastDay, content.language);
  doc.font('regular').fontSize(12).fillColor('#000');
  if (text.took) {
    block('P', () => doc.text(text.took(content, from, to)));
  } else {
    // The network's German name is a proper name within the English sentence, tagged as German.
    const network = networkPhraseEn(content.networkName);
    const sentence = doc.struct('P');
    root.add(sentence);
    sentence.add(
      doc.struct('Span', {}, [
        () =>
          doc.text(
            `took part in the qualification as a member of the regional coordination tandem for ${network.lead}`,
            { continued: true },
          ),
      ]),
    );
    if (network.german)
      sentence.add(doc.struct('Span', { lang: 'de-DE' }, [() => doc.text(network.german!, { continued: true })]));
    sentence.add(doc.struct('Span', {}, [() => doc.text(` from ${from} to ${to}.`)]));
    sentence.end();
  }
  doc.moveDown();
  block('P', () => doc.text(text.hours(content.hours)));
  doc.moveDown();
  block('H3', () => doc.font('bold').text(text.modules));
  const list = doc.struct('L');
  root.add(list);
  doc.font('regular');
  for (const module of content.modules) {
    const label = module.credited ? `${module.title} (${text.credited})` : module.title;
    const y = doc.y;
    // The bullet is the item's label; the title hangs beside it, so a wrapped line starts under the title.
    list.add(
      doc.struct('LI', {}, [
        doc.struct('Lbl', {}, [() => doc.text('•', MARGIN + 6, y, { lineBreak: false })]),
        doc.struct('LBody', {}, [() => doc.text(label, MARGIN + 20, y, { width: width - 20 })]),
      ]),
    );
  }
  list.end();
  doc.x = MARGIN;

  doc.moveDown(2.5);
  block('P', () => doc.text(text.issued(formatDay(content.issuedOn, content.language))));
  block('P', () => doc.text(content.issuer), { lang: 'de-DE' });

  drawVerification(doc, root, content, text, width);
  root.end();
  doc.end();
  return done;
}

/** The verification block at the foot of the page: the QR code of the verification address, the code and the address. */
function drawVerification(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  content: CertificateContent,
  text: (typeof TEXT)['de' | 'en'],
  width: number,
): void {
  const size = 84;
  // A long module list must not run under the block: then it goes on the next page.
  if (doc.y > doc.page.height - MARGIN - size - 24) doc.addPage();
  const top = doc.page.height - MARGIN - size;
  const qr = QRCode.create(content.verificationUrl, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const cell = size / (modules + 8); // a quiet zone of four modules around the code
  // pdfkit writes bbox and placement as the Figure's layout attributes; its type declarations do not list them yet.
  const figure = {
    alt: text.qr(content.verificationUrl),
    bbox: [MARGIN, top, MARGIN + size, top + size],
    placement: 'Block',
  } as PDFKit.Mixins.StructureElementOptions;
  root.add(
    doc.struct('Figure', figure, [
      () => {
        doc.save();
        for (let row = 0; row < modules; row++) {
          for (let column = 0; column < modules; column++) {
            if (qr.modules.get(row, column)) doc.rect(MARGIN + (column + 4) * cell, top + (row + 4) * cell, cell, cell);
          }
        }
        doc.fillColor('#000').fill();
        doc.restore();
      },
    ]),
  );
  const left = MARGIN + size + 12;
  const textWidth = width - size - 12;
  doc.font('regular').fontSize(9).fillColor(GREY);
  const lines = [text.code(content.code), text.verify, content.verificationUrl];
  const height = lines.reduce((sum, line) => sum + doc.heightOfString(line, { width: textWidth }), 0);
  let y = top + (size - height) / 2;
  for (const [index, line] of lines.entries()) {
    const at = y;
    root.add(
      doc.struct('P', {}, [
        () => doc.font(index === 0 ? 'bold' : 'regular').text(line, left, at, { width: textWidth }),
      ]),
    );
    y += doc.heightOfString(line, { width: textWidth });
  }
}
