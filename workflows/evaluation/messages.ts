/**
 * Messages of the ministry's yearly meeting on the evaluation findings, German unless the recipient asked for English.
 * Keyed `evaluation-meeting/<template>`.
 */
import { formatDay as day } from '../shared/calendar-day.js';
import { renderMessage, type MessageSite, type MessageTemplate } from '../shared/mail.js';
import { PROGRAMME } from './meeting.js';

/** Where the current report can be fetched (signed in as the ministry), besides the PDF attached. */
function reportUrl(year: unknown, format: 'pdf' | 'csv', site: MessageSite | undefined): string {
  if (!site?.publicBaseUrl)
    throw new Error('this message links to the evaluation report and needs the public base URL');
  return `${site.publicBaseUrl}/evaluation/reports/${encodeURIComponent(String(year))}.${format}`;
}

/** "in four weeks" for -P4W, "next week" for -P1W; the day itself says the rest. */
function when(offset: unknown, language: 'de' | 'en'): string {
  const weeks = /^-P(\d+)W$/.exec(String(offset));
  if (!weeks) return '';
  const n = Number(weeks[1]);
  if (language === 'en') return n === 1 ? ' next week' : ` in ${n} weeks`;
  return n === 1 ? ' in einer Woche' : ` in ${n} Wochen`;
}

const templates: Record<string, MessageTemplate> = {
  'meeting-upcoming': (data, language, site) => {
    const place = data.place ? String(data.place) : null;
    return language === 'en'
      ? renderMessage(`Dienstbesprechung on the evaluation ${data.year}: ${day(data.meetingOn, 'en')}`, [
          `The ministry's statewide Dienstbesprechung on the evaluation findings of the tandem qualification ${data.year} takes place${when(data.offset, 'en')}, on ${day(data.meetingOn, 'en')}${place ? ` in ${place}` : ''}.`,
          `The evaluation report ${data.year} (every event per module, and the annual exchange: responses, mean rating, distribution, number of comments) is attached as a PDF, as it stands today. The current version: ${reportUrl(data.year, 'pdf', site)}; as a spreadsheet: ${reportUrl(data.year, 'csv', site)}`,
          'The meeting is attached as a calendar entry.',
          'This message was sent automatically by Lotse.',
        ])
      : renderMessage(`Dienstbesprechung zur Evaluation ${data.year}: ${day(data.meetingOn, 'de')}`, [
          `Die landesweite Dienstbesprechung des Ministeriums zu den Evaluationsbefunden ${data.year} der Tandem-Qualifizierung findet${when(data.offset, 'de')} statt, am ${day(data.meetingOn, 'de')}${place ? ` in ${place}` : ''}.`,
          `Der Evaluationsbericht ${data.year} (jede Veranstaltung nach Modulen und der Erfahrungsaustausch: Rückmeldungen, Mittelwert, Verteilung, Zahl der Kommentare) liegt als PDF mit dem heutigen Stand bei. Aktuelle Fassung: ${reportUrl(data.year, 'pdf', site)}; als Tabelle: ${reportUrl(data.year, 'csv', site)}`,
          'Den Termin finden Sie als Kalenderdatei im Anhang.',
          'Diese Nachricht wurde von Lotse automatisch versandt.',
        ]);
  },
};

/** Keyed `<programme>/<template>`, as the notifications module looks them up. */
export const EVALUATION_MEETING_MESSAGES: Record<string, MessageTemplate> = Object.fromEntries(
  Object.entries(templates).map(([name, template]) => [`${PROGRAMME}/${name}`, template]),
);
