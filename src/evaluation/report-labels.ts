/**
 * The words of the evaluation report, German and English, shared by its CSV and PDF so both say the same. Days and
 * numbers are written as each language's readers (and spreadsheet programs) expect them.
 */
import { DateTime } from 'luxon';
import type { Language } from '../../workflows/shared/mail.js';
import type { Figures } from '../../workflows/evaluation/report.js';

export const LABELS = {
  de: {
    lang: 'de-DE',
    title: (year: number) => `Evaluationsbericht ${year}`,
    programme:
      'Qualifizierung der Tandems der Regionalkoordination in den Regionalen Bildungsnetzwerken NRW (BASS 20-22 Nr. 65, Abschnitt II)',
    purpose:
      'Qualitätssicherung: Rückmeldungen der Teilnehmenden zu jeder Veranstaltung und zum jährlichen Erfahrungsaustausch, für die Dienstbesprechung des Ministeriums für Schule und Bildung.',
    scale:
      'Bewertung auf einer Skala von 1 (schlecht) bis 5 (sehr gut), nicht in Schulnoten. Eine Veranstaltung zählt zum Jahr ihres ersten Tages. Teilnehmende: bei Veranstaltungen die als anwesend Erfassten („–“: Anwesenheit noch nicht erfasst), beim Erfahrungsaustausch die Mitglieder der Tandems, die zugesagt haben. Kommentare werden nur gezählt.',
    asOf: (day: string) => `Stand: ${formatDay(day, 'de')}`,
    overview: 'Überblick',
    exchange: 'Erfahrungsaustausch',
    exchangeOn: (day: string) => `Erfahrungsaustausch ${formatDay(day, 'de')}`,
    total: (year: number) => `Gesamt ${year}`,
    nothing: (year: number) => `Für ${year} sind keine Veranstaltungen und kein Erfahrungsaustausch erfasst.`,
    page: (n: number, of: number) => `Seite ${n} von ${of}`,
    columns: {
      level: 'Ebene',
      year: 'Jahr',
      module: 'Modul',
      title: 'Titel',
      offer: 'Angebot',
      group: 'Gruppe',
      days: 'Tage',
      place: 'Ort',
      events: 'Veranstaltungen',
      invited: 'Eingeladene Tandems',
      accepted: 'Zusagen',
      participants: 'Teilnehmende',
      responses: 'Rückmeldungen',
      mean: 'Mittelwert',
      rating: (n: number) => `Bewertung ${n}`,
      comments: 'Kommentare',
    },
    levels: { year: 'Jahr', module: 'Modul', event: 'Veranstaltung', exchange: 'Erfahrungsaustausch' },
  },
  en: {
    lang: 'en-GB',
    title: (year: number) => `Evaluation report ${year}`,
    programme:
      'Qualification of the regional coordination tandems of the Regional Education Networks in North Rhine-Westphalia (BASS 20-22 No. 65, section II)',
    purpose:
      "Quality assurance: the participants' feedback on every event and on the annual exchange, for the Dienstbesprechung of the Ministry of Schools and Education.",
    scale:
      'Ratings from 1 (poor) to 5 (very good). An event belongs to the year of its first day. Participants: for an event, those recorded present ("–": attendance not recorded yet); for the exchange, the members of the tandems that accepted. Comments are only counted.',
    asOf: (day: string) => `As of ${formatDay(day, 'en')}`,
    overview: 'Overview',
    exchange: 'Annual exchange',
    exchangeOn: (day: string) => `Annual exchange ${formatDay(day, 'en')}`,
    total: (year: number) => `Total ${year}`,
    nothing: (year: number) => `No events and no annual exchange are recorded for ${year}.`,
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    columns: {
      level: 'Level',
      year: 'Year',
      module: 'Module',
      title: 'Title',
      offer: 'Offer',
      group: 'Group',
      days: 'Days',
      place: 'Place',
      events: 'Events',
      invited: 'Invited tandems',
      accepted: 'Accepted',
      participants: 'Participants',
      responses: 'Responses',
      mean: 'Mean rating',
      rating: (n: number) => `Rating ${n}`,
      comments: 'Comments',
    },
    levels: { year: 'Year', module: 'Module', event: 'Event', exchange: 'Annual exchange' },
  },
} satisfies Record<Language, unknown>;

export function formatDay(day: string, language: Language): string {
  return DateTime.fromISO(day)
    .setLocale(language === 'en' ? 'en-GB' : 'de-DE')
    .toLocaleString(DateTime.DATE_FULL);
}

/** A day in a table cell: 02.03.2026, or 02/03/2026 in English. */
export function shortDay(day: string, language: Language): string {
  return DateTime.fromISO(day).toFormat(language === 'en' ? 'dd/MM/yyyy' : 'dd.MM.yyyy');
}

/** The mean with two decimals and the language's decimal mark; empty without responses. */
export function formatMean(mean: Figures['meanRating'], language: Language): string {
  if (mean === null) return '';
  const text = mean.toFixed(2);
  return language === 'en' ? text : text.replace('.', ',');
}
