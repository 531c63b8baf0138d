/**
 * Confirmations after an action (post/redirect/get carries a code, `?ok=…`, not the text, so a link cannot put
 * words into a Lotse page).
 */
export const NOTICES: Record<string, string> = {
  'tandem-gebildet': 'Das Tandem ist gebildet. Melden Sie es jetzt zur Qualifizierung an.',
  benannt:
    'Das Tandem ist benannt. Tragen Sie die Beteiligung des Personalrats und der Gleichstellungsbeauftragten ein und leiten Sie die Anmeldung dann weiter.',
  personalrat: 'Die Beteiligung des Personalrats ist eingetragen.',
  gleichstellung: 'Die Beteiligung der Gleichstellungsbeauftragten ist eingetragen.',
  weitergeleitet: 'Die Anmeldung ist an die Institution weitergeleitet.',
  zurueckgezogen: 'Die Anmeldung ist zurückgezogen.',
  'mitglied-gewechselt': 'Der Mitgliederwechsel ist eingetragen.',
  'neu-gebildet': 'Der Mitgliederwechsel ist eingetragen: Das Tandem ist neu gebildet und neu benannt.',
  anwesenheit: 'Die Anwesenheit ist gespeichert.',
  reflexion: 'Die Reflexionsphase ist abgeschlossen.',
  zertifikate: 'Die Zertifikate sind ausgestellt; die Mitglieder erhalten sie per E-Mail.',
  platziert: 'Das Tandem ist der Gruppe zugeordnet.',
  'termin-geaendert': 'Der Termin ist geändert; Mitglieder und Moderation werden benachrichtigt.',
  'termin-abgesagt': 'Der Termin ist abgesagt; Mitglieder und Moderation werden benachrichtigt.',
  curriculum: 'Das Curriculum ist festgelegt; die Mitglieder sehen die Termine in ihrem Plan.',
  'termin-ergaenzt': 'Der Termin ist ergänzt; Mitglieder und Moderation werden benachrichtigt.',
  bedarf: 'Der Bedarf ist gespeichert.',
  antwort: 'Ihre Antwort ist gespeichert.',
};

export function noticeOf(code: unknown): string | undefined {
  return typeof code === 'string' ? NOTICES[code] : undefined;
}
