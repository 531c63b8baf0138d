/**
 * Messages of the tandem qualification, German unless the person asked for English. Keyed by template name; the
 * notifications module looks them up as `tandem-qualification/<name>`.
 */
import { formatDay as day } from '../shared/calendar-day.js';
import {
  renderMessage,
  type Language,
  type MessagePart,
  type MessageSite,
  type MessageTemplate,
} from '../shared/mail.js';
import { moduleTitle } from './model.js';

const signature = { de: 'Ihr Team der Tandem-Qualifizierung', en: 'The tandem qualification team' };

/** The module's title as the curriculum names it (data from reminders carries it; older data only the key). */
function title(data: Record<string, unknown>, language: Language): string {
  return moduleTitle(String(data.module), language, {
    title: data.title as string | undefined,
    titleEn: data.titleEn as string | undefined,
  });
}

function eventLine(data: Record<string, unknown>, language: Language): string {
  const days = (data.days as string[]).map((d) => day(d, language)).join(', ');
  return language === 'en'
    ? `${title(data, 'en')}: ${days}, from ${data.startTime}, ${data.place} (${data.hours} hours)`
    : `${title(data, 'de')}: ${days}, ab ${data.startTime} Uhr, ${data.place} (${data.hours} Stunden)`;
}

/** The service's public address; a link without it would be no link at all. */
function base(site: MessageSite | undefined): string {
  if (!site?.publicBaseUrl) throw new Error('this message links to Lotse and needs its public base URL');
  return site.publicBaseUrl;
}

function verificationUrl(data: Record<string, unknown>, site: MessageSite | undefined): string {
  return `${base(site)}/certificates/verify/${encodeURIComponent(String(data.code))}`;
}

/**
 * How a member answers the exchange invitation: the exact call of Lotse's API that accepts (declining differs only
 * in `false`). Messages queued before invitations carried their id name the task list, which lists the invitation.
 */
function howToAnswer(data: Record<string, unknown>, language: Language, site: MessageSite | undefined): MessagePart[] {
  const en = language === 'en';
  const url = base(site);
  if (!data.invitationId || !data.personId) {
    return [
      en
        ? `Participation is optional. Your open invitation is listed among your tasks in Lotse (${url}/persons/{your person id}/tasks); your Bezirksregierung can also record the answer for your tandem.`
        : `Die Teilnahme ist freiwillig. Ihre offene Einladung finden Sie unter Ihren Aufgaben in Lotse (${url}/persons/{Ihre Personen-ID}/tasks); Ihre Bezirksregierung kann die Antwort auch für Ihr Tandem eintragen.`,
    ];
  }
  return [
    en
      ? 'Participation is optional. Please answer for your tandem with this call of the Lotse API, signed in with your Lotse access token (LOTSE_TOKEN: from POST /auth/token or your organisation\'s sign-in); to decline, send "accept": false instead:'
      : 'Die Teilnahme ist freiwillig. Bitte antworten Sie für Ihr Tandem mit diesem Aufruf der Lotse-Schnittstelle, angemeldet mit Ihrem Lotse-Zugangstoken (LOTSE_TOKEN: über POST /auth/token oder die Anmeldung Ihrer Organisation); für eine Absage senden Sie stattdessen "accept": false:',
    {
      code: [
        `curl -X POST ${url}/exchange-invitations/${data.invitationId}/answer \\`,
        `  -H 'Content-Type: application/json' -H "Authorization: Bearer $LOTSE_TOKEN" \\`,
        `  -d '{"accept": true}'`,
      ].join('\n'),
    },
    en
      ? 'Your Bezirksregierung can also record the answer for your tandem.'
      : 'Ihre Bezirksregierung kann die Antwort auch für Ihr Tandem eintragen.',
  ];
}

export const TANDEM_QUALIFICATION_MESSAGES: Record<string, MessageTemplate> = {
  'event-upcoming': (data, language) =>
    language === 'en'
      ? renderMessage(`Upcoming: ${title(data, 'en')}`, [
          `The next event of your tandem qualification takes place soon${data.groupName ? ` (qualification group: ${data.groupName})` : ''}:`,
          eventLine(data, 'en'),
          'The appointment is attached as a calendar file.',
          signature.en,
        ])
      : renderMessage(`Demnächst: ${title(data, 'de')}`, [
          `Die nächste Veranstaltung Ihrer Tandem-Qualifizierung findet bald statt${data.groupName ? ` (Qualifizierungsgruppe: ${data.groupName})` : ''}:`,
          eventLine(data, 'de'),
          'Den Termin finden Sie als Kalenderdatei im Anhang.',
          signature.de,
        ]),

  'event-changed': (data, language) => {
    const change = String(data.change);
    if (language === 'en') {
      const what =
        { moved: 'has been moved', added: 'has been added to your qualification', cancelled: 'has been cancelled' }[
          change
        ] ?? 'has changed';
      const label = { moved: 'Changed', added: 'New', cancelled: 'Cancelled' }[change] ?? 'Changed';
      return renderMessage(`${label}: ${title(data, 'en')}`, [
        `An event of your tandem qualification${data.groupName ? ` (qualification group: ${data.groupName})` : ''} ${what}:`,
        eventLine(data, 'en'),
        `Reason: ${data.reason}`,
        change === 'cancelled'
          ? 'The attached calendar file marks the appointment as cancelled; please remove it from your calendar if it stays.'
          : 'The changed appointment is attached as a calendar file; it replaces the earlier one.',
        signature.en,
      ]);
    }
    const what =
      { moved: 'wurde verlegt', added: 'wurde in Ihre Qualifizierung aufgenommen', cancelled: 'wurde abgesagt' }[
        change
      ] ?? 'wurde geändert';
    const label = { moved: 'Geändert', added: 'Neu', cancelled: 'Abgesagt' }[change] ?? 'Geändert';
    return renderMessage(`${label}: ${title(data, 'de')}`, [
      `Eine Veranstaltung Ihrer Tandem-Qualifizierung${data.groupName ? ` (Qualifizierungsgruppe: ${data.groupName})` : ''} ${what}:`,
      eventLine(data, 'de'),
      `Grund: ${data.reason}`,
      change === 'cancelled'
        ? 'Die angehängte Kalenderdatei kennzeichnet den Termin als abgesagt; bitte entfernen Sie ihn aus Ihrem Kalender, falls er dort bleibt.'
        : 'Den geänderten Termin finden Sie als Kalenderdatei im Anhang; er ersetzt den bisherigen.',
      signature.de,
    ]);
  },

  'reflection-due': (data, language) =>
    language === 'en'
      ? renderMessage('Reflection phase: your transfer task is due', [
          `Please complete the transfer task of the current reflection phase by ${day(data.dueOn, 'en')}.`,
          signature.en,
        ])
      : renderMessage('Reflexionsphase: Ihre Praxisaufgabe ist bald fällig', [
          `Bitte schließen Sie die Praxisaufgabe der laufenden Reflexionsphase bis zum ${day(data.dueOn, 'de')} ab.`,
          signature.de,
        ]),

  'reflection-overdue': (data, language) =>
    language === 'en'
      ? renderMessage(`Reflection phase overdue: ${data.groupName}`, [
          `The reflection phase due on ${day(data.dueOn, 'en')} has not been closed yet. Please close it once the tandems have reported back.`,
          signature.en,
        ])
      : renderMessage(`Reflexionsphase überfällig: ${data.groupName}`, [
          `Die zum ${day(data.dueOn, 'de')} fällige Reflexionsphase ist noch nicht abgeschlossen. Bitte schließen Sie sie, sobald die Tandems berichtet haben.`,
          signature.de,
        ]),

  'attendance-missing': (data, language) =>
    language === 'en'
      ? renderMessage(`Attendance not recorded: ${title(data, 'en')}`, [
          `The attendance of this event has not been recorded yet: ${eventLine(data, 'en')}.`,
          'Only events attended by both members count for a tandem, so please record it.',
          signature.en,
        ])
      : renderMessage(`Anwesenheit nicht erfasst: ${title(data, 'de')}`, [
          `Für diese Veranstaltung ist die Anwesenheit noch nicht erfasst: ${eventLine(data, 'de')}.`,
          'Eine Veranstaltung zählt für ein Tandem nur, wenn beide teilgenommen haben; bitte erfassen Sie die Anwesenheit.',
          signature.de,
        ]),

  'certificate-issued': (data, language, site) =>
    language === 'en'
      ? renderMessage('Your certificate of participation', [
          `Dear ${data.name}, your certificate of participation in the tandem qualification has been issued (${data.hours} hours). It is attached to this message as a PDF.`,
          `Anyone can confirm it with its verification code ${data.code} at ${verificationUrl(data, site)}`,
          signature.en,
        ])
      : renderMessage('Ihre Teilnahmebescheinigung', [
          `Guten Tag ${data.name}, Ihre Teilnahmebescheinigung der Tandem-Qualifizierung wurde ausgestellt (${data.hours} Stunden). Sie finden sie als PDF im Anhang.`,
          `Mit dem Prüfcode ${data.code} lässt sie sich unter ${verificationUrl(data, site)} bestätigen.`,
          signature.de,
        ]),

  'exchange-invitation': (data, language, site) =>
    language === 'en'
      ? renderMessage('Invitation: annual statewide exchange of regional coordinators', [
          `You are invited to the annual exchange on ${day(data.exchangeOn, 'en')} in ${data.place}.`,
          ...howToAnswer(data, 'en', site),
          signature.en,
        ])
      : renderMessage('Einladung: landesweiter Erfahrungsaustausch der Regionalkoordinationen', [
          `Wir laden Sie herzlich zum jährlichen Erfahrungsaustausch am ${day(data.exchangeOn, 'de')} in ${data.place} ein.`,
          ...howToAnswer(data, 'de', site),
          signature.de,
        ]),

  'exchange-reminder': (data, language) =>
    language === 'en'
      ? renderMessage('Reminder: annual exchange next week', [
          `The annual exchange takes place on ${day(data.exchangeOn, 'en')} in ${data.place}. We look forward to seeing you.`,
          signature.en,
        ])
      : renderMessage('Erinnerung: Erfahrungsaustausch nächste Woche', [
          `Der Erfahrungsaustausch findet am ${day(data.exchangeOn, 'de')} in ${data.place} statt. Wir freuen uns auf Sie.`,
          signature.de,
        ]),
};
