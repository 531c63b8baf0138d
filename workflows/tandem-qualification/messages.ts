/**
 * Messages of the tandem qualification, German unless the person asked for English. Keyed by template name; the
 * notifications module looks them up as `tandem-qualification/<name>`.
 */
import { DateTime } from 'luxon';
import type { Language, MessageTemplate, RenderedMessage } from '../shared/mail.js';
import { moduleTitle } from './model.js';

function day(value: unknown, language: Language): string {
  return DateTime.fromISO(String(value)).setLocale(language === 'en' ? 'en-GB' : 'de-DE').toLocaleString(DateTime.DATE_FULL);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function message(subject: string, paragraphs: string[]): RenderedMessage {
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n`,
    html: paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n'),
  };
}

const signature = { de: 'Ihr Team der Tandem-Qualifizierung', en: 'The tandem qualification team' };

function eventLine(data: Record<string, unknown>, language: Language): string {
  const days = (data.days as string[]).map((d) => day(d, language)).join(', ');
  return language === 'en'
    ? `${moduleTitle(String(data.module), 'en')}: ${days}, from ${data.startTime}, ${data.place} (${data.hours} hours)`
    : `${moduleTitle(String(data.module), 'de')}: ${days}, ab ${data.startTime} Uhr, ${data.place} (${data.hours} Stunden)`;
}

export const TANDEM_QUALIFICATION_MESSAGES: Record<string, MessageTemplate> = {
  'event-upcoming': (data, language) => (language === 'en'
    ? message(`Upcoming: ${moduleTitle(String(data.module), 'en')}`, [
      `The next event of your tandem qualification takes place soon${data.groupName ? ` (qualification group: ${data.groupName})` : ''}:`,
      eventLine(data, 'en'), 'The appointment is attached as a calendar file.', signature.en])
    : message(`Demnächst: ${moduleTitle(String(data.module))}`, [
      `Die nächste Veranstaltung Ihrer Tandem-Qualifizierung findet bald statt${data.groupName ? ` (Qualifizierungsgruppe: ${data.groupName})` : ''}:`,
      eventLine(data, 'de'), 'Den Termin finden Sie als Kalenderdatei im Anhang.', signature.de])),

  'event-changed': (data, language) => {
    const change = String(data.change);
    if (language === 'en') {
      const what = { moved: 'has been moved', added: 'has been added to your qualification', cancelled: 'has been cancelled' }[change] ?? 'has changed';
      const label = { moved: 'Changed', added: 'New', cancelled: 'Cancelled' }[change] ?? 'Changed';
      return message(`${label}: ${moduleTitle(String(data.module), 'en')}`, [
        `An event of your tandem qualification${data.groupName ? ` (qualification group: ${data.groupName})` : ''} ${what}:`,
        eventLine(data, 'en'), `Reason: ${data.reason}`,
        change === 'cancelled' ? 'Please remove the appointment from your calendar.' : 'Please update the appointment in your calendar.', signature.en]);
    }
    const what = { moved: 'wurde verlegt', added: 'wurde in Ihre Qualifizierung aufgenommen', cancelled: 'wurde abgesagt' }[change] ?? 'wurde geändert';
    const label = { moved: 'Geändert', added: 'Neu', cancelled: 'Abgesagt' }[change] ?? 'Geändert';
    return message(`${label}: ${moduleTitle(String(data.module))}`, [
      `Eine Veranstaltung Ihrer Tandem-Qualifizierung${data.groupName ? ` (Qualifizierungsgruppe: ${data.groupName})` : ''} ${what}:`,
      eventLine(data, 'de'), `Grund: ${data.reason}`,
      change === 'cancelled' ? 'Bitte entfernen Sie den Termin aus Ihrem Kalender.' : 'Bitte passen Sie den Termin in Ihrem Kalender an.', signature.de]);
  },

  'reflection-due': (data, language) => (language === 'en'
    ? message('Reflection phase: your transfer task is due', [
      `Please complete the transfer task of the current reflection phase by ${day(data.dueOn, 'en')}.`, signature.en])
    : message('Reflexionsphase: Ihre Praxisaufgabe ist bald fällig', [
      `Bitte schließen Sie die Praxisaufgabe der laufenden Reflexionsphase bis zum ${day(data.dueOn, 'de')} ab.`, signature.de])),

  'reflection-overdue': (data, language) => (language === 'en'
    ? message(`Reflection phase overdue: ${data.groupName}`, [
      `The reflection phase due on ${day(data.dueOn, 'en')} has not been closed yet. Please close it once the tandems have reported back.`, signature.en])
    : message(`Reflexionsphase überfällig: ${data.groupName}`, [
      `Die zum ${day(data.dueOn, 'de')} fällige Reflexionsphase ist noch nicht abgeschlossen. Bitte schließen Sie sie, sobald die Tandems berichtet haben.`, signature.de])),

  'attendance-missing': (data, language) => (language === 'en'
    ? message(`Attendance not recorded: ${moduleTitle(String(data.module), 'en')}`, [
      `The attendance of this event has not been recorded yet: ${eventLine(data, 'en')}.`,
      'Only events attended by both members count for a tandem, so please record it.', signature.en])
    : message(`Anwesenheit nicht erfasst: ${moduleTitle(String(data.module))}`, [
      `Für diese Veranstaltung ist die Anwesenheit noch nicht erfasst: ${eventLine(data, 'de')}.`,
      'Eine Veranstaltung zählt für ein Tandem nur, wenn beide teilgenommen haben; bitte erfassen Sie die Anwesenheit.', signature.de])),

  'certificate-issued': (data, language) => (language === 'en'
    ? message('Your certificate of participation', [
      `Dear ${data.name}, your certificate of participation in the tandem qualification has been issued (${data.hours} hours).`,
      `Verification code: ${data.code}`, signature.en])
    : message('Ihre Teilnahmebescheinigung', [
      `Guten Tag ${data.name}, Ihre Teilnahmebescheinigung der Tandem-Qualifizierung wurde ausgestellt (${data.hours} Stunden).`,
      `Prüfcode: ${data.code}`, signature.de])),

  'exchange-invitation': (data, language) => (language === 'en'
    ? message('Invitation: annual statewide exchange of regional coordinators', [
      `You are invited to the annual exchange on ${day(data.exchangeOn, 'en')} in ${data.place}.`,
      'Participation is optional; please let us know whether your tandem will attend.', signature.en])
    : message('Einladung: landesweiter Erfahrungsaustausch der Regionalkoordinationen', [
      `Wir laden Sie herzlich zum jährlichen Erfahrungsaustausch am ${day(data.exchangeOn, 'de')} in ${data.place} ein.`,
      'Die Teilnahme ist freiwillig; bitte teilen Sie uns mit, ob Ihr Tandem teilnimmt.', signature.de])),

  'exchange-reminder': (data, language) => (language === 'en'
    ? message('Reminder: annual exchange next week', [`The annual exchange takes place on ${day(data.exchangeOn, 'en')} in ${data.place}. We look forward to seeing you.`, signature.en])
    : message('Erinnerung: Erfahrungsaustausch nächste Woche', [`Der Erfahrungsaustausch findet am ${day(data.exchangeOn, 'de')} in ${data.place} statt. Wir freuen uns auf Sie.`, signature.de])),
};
