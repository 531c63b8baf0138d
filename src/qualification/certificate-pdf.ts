/**
 * The certificate of participation (Teilnahmebescheinigung) as a PDF, German or English by the person's language.
 * It shows no contact data: name, programme, dates, hours, modules, issuer and the code that verifies it.
 */
import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import type { Language } from '../../workflows/shared/mail.js';
import { moduleTitle } from '../../workflows/tandem-qualification/model.js';

export interface CertificateContent {
  name: string;
  office: string;
  networkName: string;
  language: Language;
  firstDay: string;
  lastDay: string;
  hours: number;
  /** Every module of the curriculum; those the holder did not attend are in `creditedModules` too. */
  modules: string[];
  creditedModules: string[];
  issuedOn: string;
  code: string;
  issuer: string;
}

const TEXT = {
  de: {
    title: 'Teilnahmebescheinigung',
    programme: 'Qualifizierung der Tandems der Regionalkoordination in den Regionalen Bildungsnetzwerken NRW (BASS 20-22 Nr. 65)',
    took: (c: CertificateContent, from: string, to: string) => `${c.name} (${c.office}) hat als Mitglied des Tandems für das ${c.networkName} vom ${from} bis zum ${to} an der Qualifizierung teilgenommen.`,
    hours: (h: number) => `Umfang der besuchten Veranstaltungen: ${h} Stunden.`,
    modules: 'Module:',
    credited: 'angerechnet aus der Teilnahme des Tandems vor dem Wechsel eines Mitglieds',
    issued: (d: string) => `Ausgestellt am ${d}`,
    verify: (code: string) => `Prüfcode: ${code} – bestätigt unter /certificates/verify/${code}`,
  },
  en: {
    title: 'Certificate of participation',
    programme: 'Qualification of the regional coordination tandems of the Regional Education Networks in North Rhine-Westphalia (BASS 20-22 No. 65)',
    took: (c: CertificateContent, from: string, to: string) => `${c.name} (${c.office}) took part in the qualification as a member of the tandem for ${c.networkName} from ${from} to ${to}.`,
    hours: (h: number) => `Events attended: ${h} hours.`,
    modules: 'Modules:',
    credited: 'credited from the tandem\'s participation before a member changed',
    issued: (d: string) => `Issued on ${d}`,
    verify: (code: string) => `Verification code: ${code} – confirm at /certificates/verify/${code}`,
  },
};

function formatDay(day: string, language: Language): string {
  return DateTime.fromISO(day).setLocale(language === 'en' ? 'en-GB' : 'de-DE').toLocaleString(DateTime.DATE_FULL);
}

export function renderCertificate(content: CertificateContent): Promise<Buffer> {
  const text = TEXT[content.language];
  // A fixed creation date (the issue day) keeps the document the same however often it is downloaded.
  const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: text.title, Author: content.issuer, CreationDate: DateTime.fromISO(content.issuedOn, { zone: 'utc' }).toJSDate() } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica').fontSize(10).fillColor('#555').text(content.issuer, { align: 'right' });
  doc.moveDown(4).fillColor('#000').font('Helvetica-Bold').fontSize(24).text(text.title, { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(12).text(text.programme, { align: 'center' });
  doc.moveDown(3).fontSize(16).font('Helvetica-Bold').text(content.name, { align: 'center' });
  doc.moveDown(1.5).font('Helvetica').fontSize(12).text(text.took(content, formatDay(content.firstDay, content.language), formatDay(content.lastDay, content.language)), { align: 'left' });
  doc.moveDown().text(text.hours(content.hours));
  doc.moveDown().text(text.modules);
  for (const module of content.modules) {
    const credited = content.creditedModules.includes(module) ? ` (${text.credited})` : '';
    doc.text(`•  ${moduleTitle(module, content.language)}${credited}`, { indent: 16 });
  }
  doc.moveDown(4).text(text.issued(formatDay(content.issuedOn, content.language)));
  doc.moveDown(0.5).text(content.issuer);
  doc.moveDown(4).fontSize(9).fillColor('#555').text(text.verify(content.code));
  doc.end();
  return done;
}
