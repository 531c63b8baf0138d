/** German labels and formats of the pages: statuses, dates, supervision levels. */
import { moduleTitle } from '../../workflows/tandem-qualification/model.js';
import { html, type Html } from './html.js';

export const ENROLMENT_STATUS: Record<string, string> = {
  nominated: 'Benannt (in Vorbereitung)',
  registered: 'Angemeldet, wartet auf Platz',
  waitlisted: 'Warteliste',
  placed: 'Platz in einer Gruppe',
  in_qualification: 'In der Qualifizierung',
  completed: 'Abgeschlossen',
  alumni: 'Abgeschlossen (Alumni)',
  withdrawn: 'Zurückgezogen',
  reformed: 'Neu gebildet',
};

export const GROUP_STATE: Record<string, string> = { forming: 'In Bildung', running: 'Läuft' };

export const SUPERVISION: Record<string, string> = {
  lower: 'Untere Schulaufsicht (Schulamt)',
  upper: 'Obere Schulaufsicht (Bezirksregierung)',
};

export const COUNCIL_OUTCOME: Record<string, string> = {
  consent: 'Zustimmung',
  refusal: 'Zustimmung verweigert',
  'deemed-consent': 'Zustimmung gilt als erteilt (Fristablauf)',
};

export function status(value: string, labels: Record<string, string> = ENROLMENT_STATUS): Html {
  return html`<span class="status">${labels[value] ?? value}</span>`;
}

/** 2026-03-02 → 02.03.2026 (a calendar day as written in German offices). */
export function day(iso: string | null | undefined): string {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** The days of an event: "02.03.2026" or "02.03.2026 – 03.03.2026". */
export function days(list: string[]): string {
  return list.length > 1 ? `${day(list[0])} – ${day(list[list.length - 1])}` : day(list[0]);
}

export function moduleName(event: { module: string; title?: string | null; titleEn?: string | null }): string {
  return moduleTitle(event.module, 'de', event);
}

/**
 * The key of a further module entered on a form, made from its title, so that its events share one key (and one line
 * on certificates).
 */
export function moduleKeyOf(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
