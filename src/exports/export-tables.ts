/**
 * The lists clerks keep elsewhere, as tables: German column headers and labels, one row per thing a clerk checks
 * off. Pure: the service hands over what the caller may see, these functions only arrange it.
 */
import type { Cell, Table } from '../common/spreadsheet.js';

export const ENROLMENT_STATUS_DE: Record<string, string> = {
  nominated: 'nominiert',
  registered: 'angemeldet',
  placed: 'in einer Gruppe',
  waitlisted: 'auf der Warteliste',
  in_qualification: 'in der Qualifizierung',
  completed: 'abgeschlossen',
  alumni: 'Alumni',
  withdrawn: 'zurückgezogen',
  reformed: 'neu gebildet (Mitgliedswechsel)',
};

const COUNCIL_DE: Record<string, string> = {
  consent: 'Zustimmung',
  refusal: 'Ablehnung',
  'deemed-consent': 'Zustimmung gilt als erteilt',
};

export const DEADLINE_KIND_DE: Record<string, string> = {
  review: 'Überprüfung der Kooperation',
  evaluation: 'Evaluation und Wirkungsüberprüfung',
  'notice-window': 'Letzter Tag für eine Kündigung',
  termination: 'Kündigung wird wirksam',
  'secondment-end': 'Ende der Abordnung (Entscheidung nötig)',
  'annual-report': 'Jahresbericht der Geschäftsstelle',
  event: 'Veranstaltung',
  'reflection-phase': 'Reflexionsphase fällig',
  'attendance-missing': 'Anwesenheit nicht erfasst',
  exchange: 'Erfahrungsaustausch',
};

export interface EnrolmentLine {
  districtName: string;
  network: string | null;
  status: string;
  lower: string | null;
  upper: string | null;
  group: string | null;
  waitlistPosition: number | null;
  staffCouncilOn: string | null;
  staffCouncilOutcome: string | null;
  equalOpportunitiesOn: string | null;
}

export function enrolmentsTable(lines: EnrolmentLine[]): Table {
  return {
    name: 'Anmeldungen',
    filename: 'anmeldungen',
    columns: [
      { header: 'Bezirksregierung', width: 18 },
      { header: 'Bildungsnetzwerk', width: 30 },
      { header: 'Untere Schulaufsicht', width: 26 },
      { header: 'Obere Schulaufsicht', width: 26 },
      { header: 'Status', width: 22 },
      { header: 'Gruppe', width: 22 },
      { header: 'Wartelistenplatz', kind: 'number' },
      { header: 'Personalrat beteiligt am', kind: 'day' },
      { header: 'Personalrat: Ergebnis', width: 26 },
      { header: 'Gleichstellungsbeauftragte beteiligt am', kind: 'day' },
    ],
    rows: lines.map((l) => [
      l.districtName,
      l.network,
      l.lower,
      l.upper,
      ENROLMENT_STATUS_DE[l.status] ?? l.status,
      l.group,
      l.waitlistPosition,
      l.staffCouncilOn,
      l.staffCouncilOutcome ? (COUNCIL_DE[l.staffCouncilOutcome] ?? l.staffCouncilOutcome) : null,
      l.equalOpportunitiesOn,
    ]),
  };
}

export interface AttendanceLine {
  group: string;
  moduleTitle: string;
  firstDay: string;
  lastDay: string;
  place: string;
  recorded: boolean;
  members: { name: string; present: boolean | null }[];
}

const presence = (present: boolean | null, recorded: boolean): string | null =>
  !recorded || present === null ? null : present ? 'anwesend' : 'abwesend';

/** One row per tandem and event: both members' presence, and whether the event counts for the tandem (both there). */
export function attendanceTable(lines: AttendanceLine[]): Table {
  return {
    name: 'Anwesenheit',
    filename: 'anwesenheit',
    columns: [
      { header: 'Gruppe', width: 22 },
      { header: 'Modul', width: 40 },
      { header: 'Erster Tag', kind: 'day' },
      { header: 'Letzter Tag', kind: 'day' },
      { header: 'Ort', width: 22 },
      { header: 'Mitglied untere Schulaufsicht', width: 26 },
      { header: 'anwesend?' },
      { header: 'Mitglied obere Schulaufsicht', width: 26 },
      { header: 'anwesend?' },
      { header: 'Zählt für das Tandem', width: 22 },
    ],
    rows: lines.map((l) => {
      const [a, b] = l.members;
      const counts = !l.recorded ? 'noch nicht erfasst' : a?.present && b?.present ? 'ja' : 'nein';
      return [
        l.group,
        l.moduleTitle,
        l.firstDay,
        l.lastDay,
        l.place,
        a?.name ?? null,
        presence(a?.present ?? null, l.recorded),
        b?.name ?? null,
        presence(b?.present ?? null, l.recorded),
        counts,
      ] satisfies Cell[];
    }),
  };
}

export interface DeadlineLine {
  programme: 'Tandem-Qualifizierung NRW' | 'Bildungsregion Niedersachsen';
  kind: string;
  concerns: string;
  on: string;
  overdue: boolean;
  note: string | null;
}

export function deadlinesTable(lines: DeadlineLine[]): Table {
  return {
    name: 'Fristen',
    filename: 'fristen',
    columns: [
      { header: 'Fällig am', kind: 'day' },
      { header: 'Programm', width: 28 },
      { header: 'Frist', width: 38 },
      { header: 'Betrifft', width: 36 },
      { header: 'Überfällig' },
      { header: 'Hinweis', width: 48 },
    ],
    rows: [...lines]
      .sort(
        (x, y) =>
          x.on.localeCompare(y.on) || x.programme.localeCompare(y.programme) || x.concerns.localeCompare(y.concerns),
      )
      .map((l) => [
        l.on,
        l.programme,
        DEADLINE_KIND_DE[l.kind] ?? l.kind,
        l.concerns,
        l.overdue ? 'ja' : 'nein',
        l.note,
      ]),
  };
}

export interface CertificateLine {
  name: string;
  districtName: string | null;
  network: string | null;
  firstDay: string;
  lastDay: string;
  hours: number;
  modules: string[];
  issuedOn: string;
  code: string;
  verificationUrl: string;
}

export function certificatesTable(lines: CertificateLine[]): Table {
  return {
    name: 'Teilnahmebescheinigungen',
    filename: 'teilnahmebescheinigungen',
    columns: [
      { header: 'Name', width: 26 },
      { header: 'Bezirksregierung', width: 18 },
      { header: 'Bildungsnetzwerk', width: 30 },
      { header: 'Erster Tag', kind: 'day' },
      { header: 'Letzter Tag', kind: 'day' },
      { header: 'Stunden', kind: 'number' },
      { header: 'Module', width: 60 },
      { header: 'Ausgestellt am', kind: 'day' },
      { header: 'Prüfcode', width: 16 },
      { header: 'Prüfadresse', width: 50 },
    ],
    rows: lines.map((l) => [
      l.name,
      l.districtName,
      l.network,
      l.firstDay,
      l.lastDay,
      l.hours,
      l.modules.join(', '),
      l.issuedOn,
      l.code,
      l.verificationUrl,
    ]),
  };
}
