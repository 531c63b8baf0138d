/**
 * Messages to contract administrators, German first, English for those who asked for it. Each template gets the
 * deadline's data (see deadlines.ts) or the event's data (see machine.ts).
 */
import { formatDay as day } from '../shared/calendar-day.js';
import { renderMessage, type Language, type MessageTemplate } from '../shared/mail.js';
import { PROGRAMME } from './reminders.js';

type Data = Record<string, unknown>;
interface Text {
  subject: string;
  paragraphs: string[];
}
type Localised = Record<Language, (data: Data) => Text>;

function template(localised: Localised): MessageTemplate {
  return (data, language) => {
    const text = localised[language === 'en' ? 'en' : 'de'](data);
    return renderMessage(text.subject, text.paragraphs);
  };
}

/** The region's name as people write it: contracts are often named "Bildungsregion X" already. */
const region = (d: Data) => {
  const name = String(d.bildungsregion);
  return /^bildungsregion\b/i.test(name) ? name : `Bildungsregion ${name}`;
};
const partnerDe = (by: unknown) =>
  ({ land: 'das Land Niedersachsen', kommune: 'die Kommune' })[String(by)] ?? String(by);
const partnerEn = (by: unknown) =>
  ({ land: 'the Land of Lower Saxony', kommune: 'the Kommune' })[String(by)] ?? String(by);
/** Abordnung to the Kommune, or Zuweisung to a sponsor that is not the Kommune; older records carry no form. */
const secondmentDe = (form: unknown) => (form === 'zuweisung' ? 'Zuweisung' : 'Abordnung');
const secondmentEn = (form: unknown) => (form === 'zuweisung' ? 'assignment' : 'secondment');
/** A notice that named a later date than the earliest says so, so nobody reads the later date as a mistake. */
const laterDe = (d: Data) =>
  d.earliestEffectiveOn && d.earliestEffectiveOn !== d.effectiveOn
    ? ` Die Kündigung nennt diesen Tag; frühestmöglich wäre der ${day(d.earliestEffectiveOn, 'de')} gewesen.`
    : '';
const laterEn = (d: Data) =>
  d.earliestEffectiveOn && d.earliestEffectiveOn !== d.effectiveOn
    ? ` The notice names this date; the earliest possible date would have been ${day(d.earliestEffectiveOn, 'en')}.`
    : '';
const signOffDe = 'Diese Nachricht wurde von Lotse automatisch versandt.';
const signOffEn = 'This message was sent automatically by Lotse.';

const messages: Record<string, Localised> = {
  'review-due': {
    de: (d) => ({
      subject: `${region(d)}: Überprüfung fällig am ${day(d.deadlineOn, 'de')}`,
      paragraphs: [
        `Am ${day(d.deadlineOn, 'de')} entscheiden Land und Kommune auf Grundlage einer Evaluation und Wirkungsüberprüfung, ob die Zusammenarbeit in der ${region(d)} fortgeführt wird.`,
        'Ohne erfasste Evaluation kann die Überprüfung nicht entschieden werden.',
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: review due on ${day(d.deadlineOn, 'en')}`,
      paragraphs: [
        `On ${day(d.deadlineOn, 'en')} the Land and the Kommune decide, based on an evaluation and impact review, whether the cooperation in the ${region(d)} continues.`,
        'The review cannot be decided without a recorded evaluation.',
        signOffEn,
      ],
    }),
  },
  'evaluation-missing': {
    de: (d) => ({
      subject: `Eskalation: Evaluation der ${region(d)} fehlt`,
      paragraphs: [
        `Die Überprüfung der ${region(d)} ist am ${day(d.deadlineOn, 'de')} fällig, die Evaluation und Wirkungsüberprüfung ist aber noch nicht erfasst.`,
        'Bitte veranlassen Sie die Evaluation, damit die Partner rechtzeitig über die Fortführung entscheiden können.',
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `Escalation: evaluation of the ${region(d)} is missing`,
      paragraphs: [
        `The review of the ${region(d)} is due on ${day(d.deadlineOn, 'en')}, but no evaluation and impact review has been recorded.`,
        'Please arrange the evaluation so that the partners can decide on continuation in time.',
        signOffEn,
      ],
    }),
  },
  'notice-window': {
    de: (d) => ({
      subject: `${region(d)}: Kündigung zum ${day(d.effectiveOn, 'de')} nur bis ${day(d.deadlineOn, 'de')}`,
      paragraphs: [
        `Vor der Überprüfung am ${day(d.reviewDueOn, 'de')}: Eine ordentliche Kündigung zum ${day(d.effectiveOn, 'de')} muss spätestens am ${day(d.deadlineOn, 'de')} schriftlich beim anderen Partner eingehen (sechs Monate Kündigungsfrist).`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: notice for ${day(d.effectiveOn, 'en')} only until ${day(d.deadlineOn, 'en')}`,
      paragraphs: [
        `Before the review on ${day(d.reviewDueOn, 'en')}: an ordinary notice taking effect on ${day(d.effectiveOn, 'en')} must reach the other partner in writing by ${day(d.deadlineOn, 'en')} (six months' notice).`,
        signOffEn,
      ],
    }),
  },
  'secondment-ending': {
    de: (d) => ({
      subject: `${secondmentDe(d.form)} von ${String(d.coordinator)} endet am ${day(d.deadlineOn, 'de')}`,
      paragraphs: [
        `Die ${secondmentDe(d.form)} der Bildungskoordination ${String(d.coordinator)} an die ${region(d)} endet am ${day(d.deadlineOn, 'de')}. Bitte entscheiden Sie rechtzeitig über Verlängerung oder Ende.`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${secondmentEn(d.form) === 'assignment' ? 'Assignment' : 'Secondment'} of ${String(d.coordinator)} ends on ${day(d.deadlineOn, 'en')}`,
      paragraphs: [
        `The ${secondmentEn(d.form)} of the education coordinator ${String(d.coordinator)} to the ${region(d)} ends on ${day(d.deadlineOn, 'en')}. Please decide in time whether to extend or end it.`,
        signOffEn,
      ],
    }),
  },
  'annual-report-due': {
    de: (d) => ({
      subject: `${region(d)}: Rechenschaftsbericht fällig am ${day(d.deadlineOn, 'de')}`,
      paragraphs: [
        `Der ${String(d.n)}. Rechenschaftsbericht der Geschäftsstelle an das Steuerungsgremium ist am ${day(d.deadlineOn, 'de')} fällig.`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: annual report due on ${day(d.deadlineOn, 'en')}`,
      paragraphs: [
        `Annual report no. ${String(d.n)} of the regional office to the steering committee is due on ${day(d.deadlineOn, 'en')}.`,
        signOffEn,
      ],
    }),
  },
  'annual-report-overdue': {
    de: (d) => ({
      subject: `${region(d)}: Rechenschaftsbericht überfällig`,
      paragraphs: [
        `Der ${String(d.n)}. Rechenschaftsbericht war am ${day(d.deadlineOn, 'de')} fällig und ist noch nicht eingegangen.`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: annual report overdue`,
      paragraphs: [
        `Annual report no. ${String(d.n)} was due on ${day(d.deadlineOn, 'en')} and has not been received.`,
        signOffEn,
      ],
    }),
  },
  'notice-received': {
    de: (d) => ({
      subject:
        d.by === 'both'
          ? `${region(d)}: keine Fortführung, Vertragsende ${day(d.effectiveOn, 'de')}`
          : `${region(d)}: Kündigung zum ${day(d.effectiveOn, 'de')}`,
      paragraphs: [
        d.by === 'both'
          ? `Land und Kommune haben bei der Überprüfung am ${day(d.receivedOn, 'de')} beschlossen, die Zusammenarbeit nicht fortzuführen (Beschluss ${String(d.reference)}). Das wirkt wie eine ordentliche Kündigung an diesem Tag: Der Vertrag endet mit Ablauf des ${day(d.effectiveOn, 'de')}; bis dahin bleiben beide Partner an ihre Leistungen gebunden.`
          : `Eine Kündigung durch ${partnerDe(d.by)} (Schreiben ${String(d.reference)}) ist am ${day(d.receivedOn, 'de')} eingegangen. Der Vertrag endet mit Ablauf des ${day(d.effectiveOn, 'de')}; bis dahin bleiben beide Partner an ihre Leistungen gebunden.${laterDe(d)}`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject:
        d.by === 'both'
          ? `${region(d)}: not continued, contract ends ${day(d.effectiveOn, 'en')}`
          : `${region(d)}: notice effective ${day(d.effectiveOn, 'en')}`,
      paragraphs: [
        d.by === 'both'
          ? `At the review on ${day(d.receivedOn, 'en')} the Land and the Kommune decided not to continue the cooperation (decision ${String(d.reference)}). This acts as an ordinary notice given that day: the contract ends at the end of ${day(d.effectiveOn, 'en')}; until then both partners remain bound to their obligations.`
          : `A notice by ${partnerEn(d.by)} (letter ${String(d.reference)}) was received on ${day(d.receivedOn, 'en')}. The contract ends at the end of ${day(d.effectiveOn, 'en')}; until then both partners remain bound to their obligations.${laterEn(d)}`,
        signOffEn,
      ],
    }),
  },
  'contract-terminated': {
    de: (d) => ({
      subject: `${region(d)}: Kooperationsvertrag beendet`,
      paragraphs: [
        d.kind === 'extraordinary'
          ? `Der Kooperationsvertrag wurde durch ${partnerDe(d.by)} außerordentlich gekündigt, wirksam am ${day(d.effectiveOn, 'de')}. Grund: ${String(d.reason)}`
          : `Der Kooperationsvertrag ist mit Ablauf des ${day(d.effectiveOn, 'de')} beendet.`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: cooperation contract terminated`,
      paragraphs: [
        d.kind === 'extraordinary'
          ? `The cooperation contract was terminated extraordinarily by ${partnerEn(d.by)}, effective ${day(d.effectiveOn, 'en')}. Reason: ${String(d.reason)}`
          : `The cooperation contract ended at the end of ${day(d.effectiveOn, 'en')}.`,
        signOffEn,
      ],
    }),
  },
  'amendment-in-force': {
    de: (d) => ({
      subject: `${region(d)}: Vertragsänderung wirksam`,
      paragraphs: [
        `Beide Partner haben die Änderung „${String(d.title)}“ schriftlich bestätigt. Sie gilt ab dem ${day(d.inForceOn, 'de')}.`,
        signOffDe,
      ],
    }),
    en: (d) => ({
      subject: `${region(d)}: contract amendment in force`,
      paragraphs: [
        `Both partners confirmed the amendment "${String(d.title)}" in writing. It applies from ${day(d.inForceOn, 'en')}.`,
        signOffEn,
      ],
    }),
  },
};

/** The programme's templates, keyed `contract-review/<template>` as PROGRAMME_MESSAGES expects. */
export const contractReviewMessages: Record<string, MessageTemplate> = Object.fromEntries(
  Object.entries(messages).map(([name, localised]) => [`${PROGRAMME}/${name}`, template(localised)]),
);
