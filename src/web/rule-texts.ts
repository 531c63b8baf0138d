/**
 * The German sentence for each rule the services name when they refuse (`rule` in problem+json), in one place.
 * A rule without an entry falls back to the service's English message, prefixed so the reader knows it is the
 * technical text; `test/web-*.e2e-spec.ts` shows the German ones next to their fields.
 */
export const RULE_TEXTS: Record<string, string> = {
  // sign-in and access
  'sign-in-credentials': 'Benutzername oder Passwort ist falsch.',
  'signed-in': 'Bitte melden Sie sich an.',
  'token-valid': 'Ihre Anmeldung ist abgelaufen oder ungültig. Bitte melden Sie sich erneut an.',
  'token-issuer-trusted': 'Diese Anmeldung stammt von einem Anbieter, dem Lotse nicht vertraut.',
  'lotse-role-assigned':
    'Ihrem Konto ist keine (oder mehr als eine) Lotse-Rolle zugewiesen. Bitte wenden Sie sich an die Administration.',
  'token-scope-claims': 'Ihrem Konto fehlen Angaben (z. B. Bezirk oder Personenkennung), die Ihre Rolle braucht.',
  'rate-limit': 'Zu viele Versuche in kurzer Zeit. Bitte warten Sie eine Minute.',
  'role-may-act': 'Ihre Rolle darf diese Seite nicht verwenden.',
  'csrf-same-origin': 'Das Formular kam nicht von einer Lotse-Seite und wurde deshalb nicht ausgeführt.',
  'district-own-area': 'Eine Bezirksregierung handelt nur in ihrem eigenen Bezirk.',
  'moderator-own-groups': 'Diese Gruppe wird von einem anderen Moderationstandem geleitet.',
  'own-data': 'Sie sehen nur Ihre eigenen Termine, Aufgaben und Zertifikate.',
  'own-certificate': 'Ein Zertifikat wird nur seiner Inhaberin oder seinem Inhaber gezeigt.',
  'own-invitation': 'Nur ein Mitglied des eingeladenen Tandems beantwortet die Einladung.',
  'own-group': 'Der Kalender einer Gruppe ist für ihre Mitglieder und ihre Moderation.',
  // edge and engine
  'request-schema': 'Eine Angabe fehlt oder hat ein ungültiges Format.',
  'idempotency-key-reused':
    'Dieses Formular wurde bereits mit anderen Angaben abgeschickt. Bitte laden Sie die Seite neu.',
  'event-allowed-in-state': 'Dieser Schritt ist im aktuellen Stand des Vorgangs nicht möglich.',
  'storage-unavailable':
    'Die Datenbank nimmt gerade nichts an; es wurde nichts gespeichert. Bitte versuchen Sie es gleich noch einmal.',
  // directory and tandems
  'district-exists': 'Diesen Bezirk gibt es nicht.',
  'network-exists': 'Dieses Bildungsnetzwerk gibt es nicht.',
  'person-exists': 'Diese Person ist nicht bekannt.',
  'tandem-exists': 'Dieses Tandem gibt es nicht.',
  'tandem-one-lower-one-upper':
    'Ein Tandem besteht aus genau zwei Personen: einer aus der unteren Schulaufsicht (Schulamt) und einer aus der oberen Schulaufsicht (Bezirksregierung).',
  'lower-supervision-at-schulamt': 'Eine Person der unteren Schulaufsicht gehört zu einem Schulamt desselben Bezirks.',
  'upper-supervision-at-district': 'Eine Person der oberen Schulaufsicht gehört zu einer Bezirksregierung.',
  'tandem-current': 'Dieses Tandem wurde neu gebildet; bitte arbeiten Sie mit dem Nachfolgetandem weiter.',
  'leaving-person-is-member': 'Die ausscheidende Person gehört nicht zu diesem Tandem.',
  // enrolments
  'enrolment-exists': 'Diese Anmeldung gibt es nicht.',
  'one-enrolment-per-tandem': 'Dieses Tandem ist bereits angemeldet.',
  'registration-needs-involvements':
    'Die Anmeldung kann erst weitergeleitet werden, wenn die Beteiligung des Personalrats (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16) und der Gleichstellungsbeauftragten (LGG NRW § 11 Abs. 1) eingetragen ist.',
  'staff-council-refused':
    'Der Personalrat hat die Zustimmung verweigert; ohne Zustimmung (oder ihre gesetzliche Fiktion) kann die Anmeldung nicht weitergeleitet werden.',
  // groups, events, attendance
  'group-exists': 'Diese Gruppe gibt es nicht.',
  'event-exists': 'Diesen Termin gibt es nicht.',
  'moderator-tandem-exists': 'Dieses Moderationstandem gibt es nicht.',
  'moderator-tandem-two-persons': 'Ein Moderationstandem besteht aus zwei verschiedenen, bekannten Personen.',
  'curriculum-core-modules': 'Ein Curriculum enthält die drei Kernmodule.',
  'curriculum-module-title':
    'Ein Modul außerhalb der drei Kernmodule braucht einen Titel (er steht auf Zertifikaten und in Kalendern).',
  'curriculum-max-64-hours': 'Die Qualifizierung umfasst höchstens 64 Stunden.',
  'curriculum-events-in-order': 'Die Termine stehen in zeitlicher Reihenfolge und überschneiden sich nicht.',
  'curriculum-set-once':
    'Diese Gruppe hat bereits ein Curriculum; einzelne Termine können verschoben, ergänzt oder abgesagt werden.',
  'curriculum-set-first': 'Diese Gruppe hat noch kein Curriculum.',
  'event-change-changes-something': 'Die Änderung nennt dieselben Tage, dieselbe Uhrzeit und denselben Ort wie bisher.',
  'event-not-cancelled': 'Dieser Termin wurde abgesagt; bitte legen Sie stattdessen einen neuen Termin an.',
  'event-change-before-it-begins': 'Ein Termin kann nur bis zum Tag vor seinem Beginn geändert werden.',
  'event-change-in-future': 'Der neue Termin muss nach dem heutigen Tag liegen.',
  'reflection-phase-exists': 'Diese Reflexionsphase gibt es nicht.',
  'reflection-phase-open': 'Diese Reflexionsphase ist bereits abgeschlossen.',
  'attendance-of-held-event': 'Der Termin wurde abgesagt; für ihn wird keine Anwesenheit erfasst.',
  'attendance-after-event-begins': 'Die Anwesenheit kann ab dem ersten Tag des Termins erfasst werden.',
  'attendance-of-participants':
    'Anwesenheit wird für Mitglieder von Tandems in der Qualifizierung erfasst (eigene Gruppe oder Nachholtermin).',
  'evaluation-once': 'Sie haben diesen Termin bereits bewertet.',
  'evaluation-by-attendee': 'Bewerten kann nur, wer am Termin teilgenommen hat.',
  // certificates and exchange
  'certificate-exists': 'Dieses Zertifikat gibt es nicht.',
  'certificate-needs-all-modules':
    'Ein Zertifikat setzt voraus, dass beide Mitglieder des Tandems alle Module besucht haben (ein Modul kann in einer anderen Gruppe nachgeholt werden).',
  'invitation-exists': 'Diese Einladung gibt es nicht.',
  'exchange-in-future': 'Der Austausch liegt in der Zukunft.',
  'exchange-once-a-year': 'Der Austausch dieses Jahres ist bereits geplant.',
  // cooperation contracts and the notice calculator
  'contract-exists': 'Diesen Vertrag gibt es nicht.',
  'contract-admin-of-this-contract': 'Sie sind für diesen Vertrag nicht als Vertragsverwaltung benannt.',
  'role-contract-admin':
    'Nur die Vertragsverwaltung der Partner (und lesend das Ministerium) arbeitet mit den Verträgen.',
  'instance-in-scope': 'Diesen Vorgang dürfen Sie nicht einsehen.',
  'in-writing': 'Ein Schreiben braucht sein Eingangsdatum und sein Aktenzeichen.',
  'received-not-in-future': 'Das Eingangsdatum liegt in der Zukunft.',
  'received-after-signing': 'Das Eingangsdatum liegt vor der Unterzeichnung des Vertrags.',
  'event-day-ends-before-midnight':
    'Ein Veranstaltungstag endet vor Mitternacht: Beginn und Stunden pro Tag passen so nicht in einen Tag.',
  'involvement-not-in-future': 'Das Datum der Beteiligung liegt in der Zukunft.',
  'contract-terminated': 'Der Vertrag ist bereits beendet.',
  'review-needs-evaluation': 'Über die Weiterführung wird erst entschieden, wenn die Evaluation vorliegt.',
  'decision-after-evaluation': 'Die Entscheidung kann nicht vor dem Eingang der Evaluation getroffen sein.',
  'evaluation-after-previous-review':
    'Diese Evaluation ging vor der Entscheidung der letzten Überprüfung ein; die anstehende Überprüfung braucht eine eigene.',
  'notice-pending': 'Der Vertrag ist bereits gekündigt; die Kündigung wird zu ihrem Termin wirksam.',
  'notice-to-30-june-or-31-december': 'Eine Kündigung wird nur zum 30. Juni oder zum 31. Dezember wirksam.',
  'notice-period-six-months':
    'Die Kündigungsfrist beträgt sechs Monate: Eine bis zum 30. Juni eingegangene Kündigung wirkt frühestens zum 31. Dezember, eine ab dem 1. Juli eingegangene frühestens zum 30. Juni des Folgejahres.',
  'notice-effective-calendar-day': 'Bitte geben Sie ein Datum an, das es gibt (TT.MM.JJJJ).',
  'notice-calculator-question': 'Bitte geben Sie ein Eingangsdatum oder einen Termin (30. Juni oder 31. Dezember) an.',
};

/** The German text of a refusal: the rule's sentence, or the service's message when the rule has none here. */
export function ruleText(rule: string | undefined, message: string): string {
  return (rule && RULE_TEXTS[rule]) || `Die Aktion wurde abgelehnt: ${message}`;
}
