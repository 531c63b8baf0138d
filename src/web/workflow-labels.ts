/**
 * German names of the programmes' states and events for the instance page: its diagram, its facts and its journal.
 * The machines name them in English (the API and the journal keep those names); a name without a German one here is
 * shown as the machine names it.
 */
import type { StateGraph } from '../engine/state-diagram.js';
import { ENROLMENT_STATUS, GROUP_STATE } from './format.js';

/** States by definition, then by path (`active.reviewDue`); the programme's own pages use the same names. */
const STATES: Record<string, Record<string, string>> = {
  'tandem-qualification': ENROLMENT_STATUS,
  'qualification-group': GROUP_STATE,
  'contract-review': {
    active: 'Vertrag läuft',
    'active.running': 'Laufend',
    'active.reviewDue': 'Überprüfung fällig',
    'active.noticePeriod': 'Gekündigt, Kündigungsfrist läuft',
    terminated: 'Beendet',
  },
  'evaluation-meeting': { scheduled: 'Angesetzt', cancelled: 'Abgesagt' },
};

const EVENTS: Record<string, string> = {
  created: 'Angelegt',
  migrated: 'Auf neue Version überführt',
  REGISTRATION_SUBMITTED: 'Anmeldung weitergeleitet',
  INVOLVEMENT_RECORDED: 'Beteiligung eingetragen',
  TANDEM_PLACED: 'Tandem platziert',
  TANDEM_WAITLISTED: 'Auf die Warteliste gesetzt',
  TANDEM_MOVED_UP: 'Von der Warteliste nachgerückt',
  TANDEM_LEFT: 'Tandem ausgeschieden',
  TANDEM_WITHDRAWN: 'Anmeldung zurückgezogen',
  TANDEM_REFORMED: 'Tandem neu gebildet',
  MEMBER_REPLACED: 'Mitglied gewechselt',
  SEAT_MEMBERS_CHANGED: 'Mitglieder des Platzes geändert',
  CERTIFICATES_ISSUED: 'Zertifikate ausgestellt',
  EXCHANGE_SCHEDULED: 'Zum Austausch eingeladen',
  EXCHANGE_ANSWERED: 'Antwort zum Austausch',
  CURRICULUM_SET: 'Curriculum festgelegt',
  EVENT_MOVED: 'Termin verschoben',
  EVENT_ADDED: 'Termin ergänzt',
  EVENT_CANCELLED: 'Termin abgesagt',
  ATTENDANCE_RECORDED: 'Anwesenheit erfasst',
  REFLECTION_CLOSED: 'Reflexionsphase abgeschlossen',
  MODERATORS_ASSIGNED: 'Moderation zugeordnet',
  PERSON_CORRECTED: 'Personendaten berichtigt',
  PERSON_PSEUDONYMISED: 'Personendaten pseudonymisiert',
  NETWORK_RENAMED: 'Netzwerk umbenannt',
  'due.qualificationStarts': 'Beginn der Qualifizierung (Frist)',
  GIVE_NOTICE: 'Kündigung',
  TERMINATE_EXTRAORDINARILY: 'Außerordentliche Kündigung',
  DECIDE_REVIEW: 'Überprüfung entschieden',
  PROPOSE_AMENDMENT: 'Änderung vorgeschlagen',
  CONFIRM_AMENDMENT: 'Änderung bestätigt',
  RECORD_ANNUAL_REPORT: 'Jahresbericht eingetragen',
  RECORD_EVALUATION: 'Evaluation eingetragen',
  RECORD_KOMMUNE_RESOURCES: 'Ressourcen der Kommune eingetragen',
  RECORD_COORDINATOR_CONSENT: 'Zustimmung zur Koordination eingetragen',
  RECORD_COORDINATOR_QUALIFICATION: 'Qualifizierung der Koordination eingetragen',
  SECOND_COORDINATOR: 'Koordination abgeordnet',
  DECIDE_SECONDMENT_END: 'Ende der Abordnung entschieden',
  NAME_SCHOOL_AUTHORITY_REPRESENTATIVE: 'Vertretung der Schulaufsicht benannt',
  'due.review': 'Überprüfung fällig (Frist)',
  'due.termination': 'Vertragsende (Frist)',
  MEETING_SET: 'Sitzung angesetzt',
  CANCEL: 'Abgesagt',
};

/** A state (or, in parallel states, several joined by `,`) of `definition` in German. */
export function stateName(definition: string, path: string | null): string {
  if (path === null) return '–';
  return path
    .split(',')
    .map((one) => STATES[definition]?.[one] ?? one)
    .join(', ');
}

export function eventName(type: string): string {
  return EVENTS[type] ?? type;
}

/** The graph with German labels on its states and transitions; paths stay as the engine names them. */
export function germanGraph(definition: string, graph: StateGraph): StateGraph {
  return {
    states: graph.states.map((s) => ({ ...s, label: STATES[definition]?.[s.path] ?? s.label })),
    transitions: graph.transitions.map((t) => ({ ...t, events: t.events.map(eventName) })),
  };
}
