/**
 * A cooperation contract between the Land Niedersachsen (represented by its Kultusministerium) and a Kommune that
 * establishes a Bildungsregion: the data the machine holds, the events it accepts, and the rules that refuse an
 * event. Plain data and pure functions, shared by the machine's guards and the contracts service.
 */
import type { Language, Recipient } from '../shared/mail.js';
import { refused, type Refusal } from '../shared/refusal.js';
import {
  addDays,
  annualReportDueDate,
  isCalendarDay,
  noticeEffectiveDate,
  noticeEffectiveDateProblem,
  possibleNoticeEffectiveDates,
  reviewDueDate,
  secondmentEnd,
} from './dates.js';

export type PartnerSide = 'land' | 'kommune';
/**
 * What the framework calls a Kommune: a Landkreis, a kreisfreie Stadt, a Region (Kommunalverband besonderer Art,
 * such as the Region Hannover), or an association of Kommunen across counties (Verbund, often a registered society).
 */
export type KommuneKind = 'landkreis' | 'kreisfreie_stadt' | 'region' | 'verbund';
export const KOMMUNE_KINDS: KommuneKind[] = ['landkreis', 'kreisfreie_stadt', 'region', 'verbund'];
export const PARTNER_SIDES: PartnerSide[] = ['land', 'kommune'];

export const LAND = { name: 'Land Niedersachsen', representedBy: 'Niedersächsisches Kultusministerium' } as const;
/** Every recipient of this programme is addressed as a contract administrator of one partner. */
export const CONTRACT_ADMIN = 'contract_admin';

/** A person who manages the contract for one partner; `id` is the actor id they act under. */
export interface ContractAdmin {
  id: string;
  name: string;
  email: string;
  language: Language;
  partner: PartnerSide;
}

/** Every act of the contract must be in writing: a letter reference and the day it was received. */
export interface WrittenAct {
  kind:
    | 'contract'
    | 'evaluation'
    | 'review-decision'
    | 'notice'
    | 'extraordinary-termination'
    | 'amendment-proposal'
    | 'amendment-confirmation'
    | 'annual-report'
    | 'secondment'
    | 'secondment-decision'
    | 'coordinator-consent'
    | 'coordinator-qualification'
    | 'school-authority-representative'
    | 'kommune-resources';
  partner: PartnerSide | 'both';
  reference: string;
  receivedOn: string;
}

export interface Evaluation {
  reference: string;
  receivedOn: string;
  summary: string | null;
}

export interface Review {
  cycle: number;
  dueOn: string;
  evaluation: Evaluation;
  decision: 'continue' | 'discontinue';
  decidedOn: string;
  reference: string;
}

export interface Notice {
  /** `both` when the partners decided at a review not to continue. */
  by: PartnerSide | 'both';
  receivedOn: string;
  reference: string;
  effectiveOn: string;
}

export interface Termination {
  kind: 'ordinary' | 'extraordinary';
  by: PartnerSide | 'both';
  effectiveOn: string;
  reference: string;
  reason: string | null;
}

export interface Amendment {
  id: string;
  title: string;
  proposedBy: PartnerSide;
  proposedOn: string;
  reference: string;
  /** Day each partner's written confirmation was received. */
  confirmations: Partial<Record<PartnerSide, string>>;
  /** The day the later confirmation arrived; null while pending. */
  inForceOn: string | null;
}

export interface SecondmentPeriod {
  from: string;
  until: string;
  weeklyHours: number;
  regularWeeklyHours: number;
  reference: string;
  /** Why the period takes more than half of the regular hours (allowed with a reason); null otherwise. */
  hoursReason?: string | null;
}

/**
 * How the Land puts the teacher at the region's disposal: an Abordnung (secondment) to the Kommune, or a Zuweisung
 * (assignment) where the region's sponsor (Träger) is not the Kommune, e.g. a registered society.
 */
export type SecondmentForm = 'abordnung' | 'zuweisung';
export const SECONDMENT_FORMS: SecondmentForm[] = ['abordnung', 'zuweisung'];

/** A letter on record: its reference and the day it was received. */
export interface Letter {
  receivedOn: string;
  reference: string;
}

/** A qualification of the coordinator whose costs the Land bears, with the Land's written commitment. */
export interface CoordinatorQualification extends Letter {
  course: string;
  paidBy: 'land';
}

/** An education coordinator (Bildungskoordinator/-in), a teacher seconded by the Land to the regional office. */
export interface Secondment {
  id: string;
  coordinator: string;
  /** Absent on secondments recorded before the form was: those are Abordnungen. */
  form?: SecondmentForm;
  /** The sponsor the teacher is assigned to (Zuweisung only). */
  sponsor?: string | null;
  /** The first period and each extension; the last one is current. */
  periods: SecondmentPeriod[];
  /** Set when the partners decided to let it end with the current period. */
  endedOn: string | null;
  /** The Kommune's written consent to the choice of coordinator. */
  kommuneConsent?: Letter | null;
  qualifications?: CoordinatorQualification[];
}

/** The representative the school authority (NLSchB) names to the steering committee on the Land's behalf. */
export interface SchoolAuthorityRepresentative extends Letter {
  name: string;
}

/**
 * What the Kommune puts into the regional office, at its own cost: staff and material, including the coordinator's
 * material administrative expenses (sächliche Verwaltungsausgaben). Amounts are euros per year.
 */
export interface KommuneResources extends Letter {
  officeStaffFte: number;
  officeMaterialEuroPerYear: number | null;
  coordinatorExpensesEuroPerYear: number | null;
  note: string | null;
}

export interface AnnualReport {
  n: number;
  dueOn: string;
  receivedOn: string;
  reference: string;
}

export interface ContractContext {
  contractId: string;
  bildungsregion: string;
  kommune: { name: string; kind: KommuneKind };
  steeringCommittee: string;
  regionalOffice: string;
  startsOn: string;
  admins: ContractAdmin[];
  /** The review cycle under way, 1 for the first three years. */
  cycle: number;
  reviewDueOn: string;
  /** The evaluation and impact review of the current cycle. */
  evaluation: Evaluation | null;
  reviews: Review[];
  notice: Notice | null;
  termination: Termination | null;
  amendments: Amendment[];
  secondments: Secondment[];
  annualReports: AnnualReport[];
  writtenActs: WrittenAct[];
  /** Each naming in turn, the last one current; absent on contracts recorded before it was kept. */
  schoolAuthorityRepresentatives?: SchoolAuthorityRepresentative[];
  /** Each written commitment in turn, the last one current; absent as above. */
  kommuneResources?: KommuneResources[];
}

export type ContractInput = Pick<
  ContractContext,
  'contractId' | 'bildungsregion' | 'kommune' | 'steeringCommittee' | 'regionalOffice' | 'startsOn' | 'admins'
> & {
  /** The signed contract itself. */
  signedOn: string;
  reference: string;
  /** The NLSchB's representative in the steering committee, when the contract already names one. */
  schoolAuthorityRepresentative?: string;
};

/** Letter reference and date of receipt; optional in the types because a missing one is refused by rule. */
interface InWriting {
  reference?: string;
  receivedOn?: string;
}

export type ContractEvent =
  | ({ type: 'RECORD_EVALUATION'; summary?: string } & InWriting)
  | ({ type: 'DECIDE_REVIEW'; decision: 'continue' | 'discontinue' } & InWriting)
  | ({ type: 'GIVE_NOTICE'; partner: PartnerSide; effectiveOn?: string } & InWriting)
  | ({ type: 'TERMINATE_EXTRAORDINARILY'; partner: PartnerSide; reason?: string } & InWriting)
  | ({ type: 'PROPOSE_AMENDMENT'; amendmentId: string; title: string; partner: PartnerSide } & InWriting)
  | ({ type: 'CONFIRM_AMENDMENT'; amendmentId: string; partner: PartnerSide } & InWriting)
  | ({ type: 'RECORD_ANNUAL_REPORT' } & InWriting)
  | ({
      type: 'SECOND_COORDINATOR';
      secondmentId: string;
      coordinator: string;
      form?: SecondmentForm;
      sponsor?: string;
      from: string;
      until: string;
      weeklyHours: number;
      regularWeeklyHours: number;
      hoursReason?: string;
      kommuneConsent?: InWriting;
    } & InWriting)
  | ({
      type: 'DECIDE_SECONDMENT_END';
      secondmentId: string;
      decision: 'extend' | 'end';
      until?: string;
      weeklyHours?: number;
      regularWeeklyHours?: number;
      hoursReason?: string;
    } & InWriting)
  | ({ type: 'RECORD_COORDINATOR_CONSENT'; secondmentId: string } & InWriting)
  | ({ type: 'RECORD_COORDINATOR_QUALIFICATION'; secondmentId: string; course: string } & InWriting)
  | ({ type: 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE'; name: string } & InWriting)
  | ({
      type: 'RECORD_KOMMUNE_RESOURCES';
      officeStaffFte: number;
      officeMaterialEuroPerYear?: number;
      coordinatorExpensesEuroPerYear?: number;
      note?: string;
    } & InWriting)
  | { type: 'due.termination' };

export type ClientEvent = Exclude<ContractEvent, { type: `due.${string}` }>;

export function initialContext(input: ContractInput): ContractContext {
  return {
    contractId: input.contractId,
    bildungsregion: input.bildungsregion,
    kommune: input.kommune,
    steeringCommittee: input.steeringCommittee,
    regionalOffice: input.regionalOffice,
    startsOn: input.startsOn,
    admins: input.admins,
    cycle: 1,
    reviewDueOn: reviewDueDate(input.startsOn, 1),
    evaluation: null,
    reviews: [],
    notice: null,
    termination: null,
    amendments: [],
    secondments: [],
    annualReports: [],
    writtenActs: [{ kind: 'contract', partner: 'both', reference: input.reference, receivedOn: input.signedOn }],
    schoolAuthorityRepresentatives: input.schoolAuthorityRepresentative?.trim()
      ? [{ name: input.schoolAuthorityRepresentative.trim(), receivedOn: input.signedOn, reference: input.reference }]
      : [],
    kommuneResources: [],
  };
}

/** Refusal of creating a contract, or null. */
export function inputRefusal(input: ContractInput): Refusal | null {
  for (const [field, day] of [
    ['startsOn', input.startsOn],
    ['signedOn', input.signedOn],
  ] as const) {
    if (!isCalendarDay(day))
      return refused('calendar-day', `${field} ${day} is not a calendar day YYYY-MM-DD`, { [field]: day });
  }
  const sides = new Set(input.admins.map((admin) => admin.partner));
  if (!sides.has('land') || !sides.has('kommune')) {
    return refused(
      'contract-admins-of-both-partners',
      'name at least one contract administrator of the Land and one of the Kommune',
    );
  }
  return null;
}

function writingRefusal(event: InWriting, what: string): Refusal | null {
  const missing = [...(event.receivedOn ? [] : ['receivedOn']), ...(event.reference?.trim() ? [] : ['reference'])];
  if (missing.length) {
    return refused(
      'in-writing',
      `${what} must be in writing: give the date of receipt and the reference of the letter`,
      { missing },
    );
  }
  if (!isCalendarDay(event.receivedOn))
    return refused('in-writing', `${what}: date of receipt ${event.receivedOn} is not a calendar day YYYY-MM-DD`, {
      receivedOn: event.receivedOn,
    });
  return null;
}

/**
 * The framework seconds a teacher "as a rule" for up to half of the regular hours; the 2016 survey counts full
 * positions too. So more than half is allowed when a reason is recorded, and never more than the regular hours.
 */
function hoursRefusal(
  weeklyHours: number,
  regularWeeklyHours: number,
  hoursReason: string | undefined,
): Refusal | null {
  if (!(weeklyHours > 0) || !(regularWeeklyHours > 0)) {
    return refused('secondment-hours', 'weekly hours and regular weekly hours must be positive', {
      weeklyHours,
      regularWeeklyHours,
    });
  }
  if (weeklyHours > regularWeeklyHours) {
    return refused(
      'secondment-hours',
      `${weeklyHours} hours are more than the regular ${regularWeeklyHours} hours, a full position`,
      { weeklyHours, regularWeeklyHours },
    );
  }
  if (weeklyHours * 2 > regularWeeklyHours && !hoursReason?.trim()) {
    return refused(
      'secondment-over-half-needs-reason',
      `as a rule a teacher is seconded for up to half of the regular hours; ${weeklyHours} of ${regularWeeklyHours} hours is more, which needs a recorded reason (hoursReason)`,
      { weeklyHours, regularWeeklyHours, half: regularWeeklyHours / 2 },
    );
  }
  return null;
}

function formRefusal(form: SecondmentForm | undefined, sponsor: string | undefined): Refusal | null {
  if (form === 'zuweisung' && !sponsor?.trim()) {
    return refused(
      'assignment-names-sponsor',
      "a Zuweisung (assignment) goes to the region's sponsor where that is not the Kommune: name the sponsor",
    );
  }
  if (form !== 'zuweisung' && sponsor?.trim()) {
    return refused(
      'secondment-form',
      'an Abordnung (secondment) goes to the Kommune; a sponsor other than the Kommune makes it a Zuweisung (form: zuweisung)',
      { sponsor },
    );
  }
  return null;
}

function secondmentOf(context: ContractContext, secondmentId: string): Secondment | Refusal {
  return (
    context.secondments.find((s) => s.id === secondmentId) ??
    refused('secondment-exists', `no secondment ${secondmentId} is recorded`, { secondmentId })
  );
}

const isRefusal = (value: Secondment | Refusal): value is Refusal => 'rule' in value;

/**
 * Why `event` may not happen to the contract now, or null. `today` (the caller's calendar day) adds the rule that
 * a letter cannot have been received in the future; the machine's guards, which know no clock, leave it out.
 */
export function refusal(context: ContractContext, event: ClientEvent, today?: string): Refusal | null {
  if (context.termination) {
    return refused(
      'contract-terminated',
      `the contract ended on ${context.termination.effectiveOn}; nothing more can be recorded`,
      { effectiveOn: context.termination.effectiveOn },
      409,
    );
  }
  const writing = writingRefusal(event, describe(event.type));
  if (writing) return writing;
  const receivedOn = event.receivedOn!;
  if (today && receivedOn > today)
    return refused('received-not-in-future', `the date of receipt ${receivedOn} lies after today (${today})`, {
      receivedOn,
      today,
    });
  const signedOn = context.writtenActs[0].receivedOn;
  if (receivedOn < signedOn) {
    return refused(
      'received-after-signing',
      `the date of receipt ${receivedOn} lies before the contract was signed on ${signedOn}`,
      { receivedOn, signedOn },
    );
  }
  switch (event.type) {
    case 'RECORD_EVALUATION': {
      // An evaluation received before the last decision was that review's basis, not the next one's.
      const decidedOn = context.reviews.at(-1)?.decidedOn;
      return decidedOn && receivedOn < decidedOn
        ? refused(
            'evaluation-after-previous-review',
            `an evaluation received on ${receivedOn} precedes the decision of the previous review on ${decidedOn}; the review due ${context.reviewDueOn} needs an evaluation of its own cycle`,
            { receivedOn, previousDecisionOn: decidedOn, reviewDueOn: context.reviewDueOn },
          )
        : null;
    }
    case 'DECIDE_REVIEW':
      if (!context.evaluation) {
        return refused(
          'review-needs-evaluation',
          `the review due ${context.reviewDueOn} cannot be decided before an evaluation and impact review is recorded`,
          { reviewDueOn: context.reviewDueOn },
        );
      }
      if (receivedOn < context.evaluation.receivedOn) {
        return refused(
          'decision-after-evaluation',
          `a decision dated ${receivedOn} cannot rest on the evaluation received on ${context.evaluation.receivedOn}`,
          { decidedOn: receivedOn, evaluationReceivedOn: context.evaluation.receivedOn },
        );
      }
      return context.notice
        ? refused(
            'notice-pending',
            `notice was given for ${context.notice.effectiveOn}; the contract will not continue`,
            { effectiveOn: context.notice.effectiveOn },
            409,
          )
        : null;
    case 'GIVE_NOTICE':
      if (context.notice)
        return refused(
          'notice-pending',
          `notice was already given for ${context.notice.effectiveOn}`,
          { effectiveOn: context.notice.effectiveOn },
          409,
        );
      return event.effectiveOn === undefined ? null : effectiveDateRefusal(receivedOn, event.effectiveOn);
    case 'TERMINATE_EXTRAORDINARILY':
      return event.reason?.trim()
        ? null
        : refused(
            'extraordinary-termination-needs-reason',
            'an extraordinary termination must state why the other partner no longer fulfils its obligations',
          );
    case 'PROPOSE_AMENDMENT':
      return context.amendments.some((a) => a.id === event.amendmentId)
        ? refused(
            'amendment-id-unique',
            `an amendment ${event.amendmentId} was already proposed`,
            { amendmentId: event.amendmentId },
            409,
          )
        : null;
    case 'CONFIRM_AMENDMENT': {
      const amendment = context.amendments.find((a) => a.id === event.amendmentId);
      if (!amendment)
        return refused('amendment-exists', `no amendment ${event.amendmentId} was proposed`, {
          amendmentId: event.amendmentId,
        });
      const confirmedOn = amendment.confirmations[event.partner];
      if (confirmedOn) {
        return refused(
          'amendment-confirmed-once-per-partner',
          `the ${event.partner} already confirmed amendment ${amendment.id} on ${confirmedOn}`,
          { amendmentId: amendment.id, partner: event.partner, confirmedOn },
          409,
        );
      }
      return receivedOn < amendment.proposedOn
        ? refused('confirmed-after-proposal', `a confirmation cannot precede the proposal of ${amendment.proposedOn}`)
        : null;
    }
    case 'SECOND_COORDINATOR':
      if (context.secondments.some((s) => s.id === event.secondmentId)) {
        return refused(
          'secondment-id-unique',
          `a secondment ${event.secondmentId} is already recorded`,
          { secondmentId: event.secondmentId },
          409,
        );
      }
      if (!isCalendarDay(event.from) || !isCalendarDay(event.until) || event.until < event.from) {
        return refused(
          'secondment-period',
          `a secondment runs from a day to a later day, not ${event.from} to ${event.until}`,
          { from: event.from, until: event.until },
        );
      }
      return (
        formRefusal(event.form, event.sponsor) ??
        (event.kommuneConsent ? consentRefusal(event.kommuneConsent, signedOn, today) : null) ??
        hoursRefusal(event.weeklyHours, event.regularWeeklyHours, event.hoursReason)
      );
    case 'DECIDE_SECONDMENT_END': {
      const secondment = secondmentOf(context, event.secondmentId);
      if (isRefusal(secondment)) return secondment;
      if (secondment.endedOn)
        return refused(
          'secondment-end-decided',
          `the secondment of ${secondment.coordinator} already ends on ${secondment.endedOn}`,
          { endedOn: secondment.endedOn },
          409,
        );
      if (event.decision === 'end') return null;
      const current = currentPeriod(secondment);
      if (!isCalendarDay(event.until) || event.until <= current.until) {
        return refused('secondment-period', `an extension must run past the current end ${current.until}`, {
          until: event.until ?? null,
          currentUntil: current.until,
        });
      }
      return hoursRefusal(
        event.weeklyHours ?? current.weeklyHours,
        event.regularWeeklyHours ?? current.regularWeeklyHours,
        extensionReason(event, current),
      );
    }
    case 'RECORD_COORDINATOR_CONSENT': {
      const secondment = secondmentOf(context, event.secondmentId);
      if (isRefusal(secondment)) return secondment;
      const given = secondment.kommuneConsent;
      return given
        ? refused(
            'coordinator-consent-once',
            `the Kommune's consent to ${secondment.coordinator} is already recorded (${given.reference}, ${given.receivedOn})`,
            { consent: given },
            409,
          )
        : null;
    }
    case 'RECORD_COORDINATOR_QUALIFICATION': {
      const secondment = secondmentOf(context, event.secondmentId);
      if (isRefusal(secondment)) return secondment;
      return event.course?.trim()
        ? null
        : refused('qualification-names-course', 'name the qualification whose costs the Land bears');
    }
    case 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE':
      return event.name?.trim()
        ? null
        : refused('representative-named', 'name the representative of the school authority (NLSchB)');
    case 'RECORD_KOMMUNE_RESOURCES': {
      const amounts = {
        officeStaffFte: event.officeStaffFte,
        officeMaterialEuroPerYear: event.officeMaterialEuroPerYear,
        coordinatorExpensesEuroPerYear: event.coordinatorExpensesEuroPerYear,
      };
      const negative = Object.entries(amounts)
        .filter(([, amount]) => amount !== undefined && !(amount >= 0))
        .map(([field]) => field);
      return negative.length
        ? refused('resources-not-negative', `staff and amounts cannot be negative: ${negative.join(', ')}`, {
            fields: negative,
          })
        : null;
    }
    default:
      return null;
  }
}

function describe(type: ClientEvent['type']): string {
  return {
    RECORD_EVALUATION: 'an evaluation',
    DECIDE_REVIEW: 'a review decision',
    GIVE_NOTICE: 'a notice',
    TERMINATE_EXTRAORDINARILY: 'an extraordinary termination',
    PROPOSE_AMENDMENT: 'an amendment',
    CONFIRM_AMENDMENT: 'a confirmation',
    RECORD_ANNUAL_REPORT: 'an annual report',
    SECOND_COORDINATOR: 'a secondment',
    DECIDE_SECONDMENT_END: 'a secondment decision',
    RECORD_COORDINATOR_CONSENT: "the Kommune's consent to the choice of coordinator",
    RECORD_COORDINATOR_QUALIFICATION: "the Land's commitment to pay the coordinator's qualification",
    NAME_SCHOOL_AUTHORITY_REPRESENTATIVE: "the naming of the school authority's representative",
    RECORD_KOMMUNE_RESOURCES: "the Kommune's resources",
  }[type];
}

/** The Kommune's consent given with the secondment: under the same rules as any letter on record. */
function consentRefusal(consent: InWriting, signedOn: string, today: string | undefined): Refusal | null {
  const writing = writingRefusal(consent, "the Kommune's consent to the choice of coordinator");
  if (writing) return writing;
  const receivedOn = consent.receivedOn!;
  if (today && receivedOn > today)
    return refused('received-not-in-future', `the Kommune's consent is dated ${receivedOn}, after today (${today})`, {
      receivedOn,
      today,
    });
  return receivedOn < signedOn
    ? refused(
        'received-after-signing',
        `the Kommune's consent of ${receivedOn} lies before the contract was signed on ${signedOn}`,
        { receivedOn, signedOn },
      )
    : null;
}

/** Rule names of a named effective date that does not work, by problem. */
function effectiveDateRefusal(receivedOn: string, effectiveOn: string): Refusal | null {
  const problem = noticeEffectiveDateProblem(receivedOn, effectiveOn);
  if (!problem) return null;
  const possible = possibleNoticeEffectiveDates(receivedOn);
  const details = { receivedOn, effectiveOn, earliestEffectiveOn: possible[0], possibleEffectiveDates: possible };
  if (problem === 'not-a-calendar-day')
    return refused(
      'notice-effective-calendar-day',
      `effective date ${effectiveOn} is not a calendar day YYYY-MM-DD`,
      details,
    );
  if (problem === 'not-30-june-or-31-december') {
    return refused(
      'notice-to-30-june-or-31-december',
      `a notice takes effect on 30 June or 31 December only, not on ${effectiveOn}`,
      details,
    );
  }
  return refused(
    'notice-period-six-months',
    `a notice received on ${receivedOn} takes effect on ${possible[0]} at the earliest (six months' notice to 30 June or 31 December), not on ${effectiveOn}`,
    details,
  );
}

export interface Warning {
  rule: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * What an accepted event records that the texts allow only "as a rule": said in the answer, never refused. Call it
 * for an event that `refusal` accepted.
 */
export function warnings(context: ContractContext, event: ClientEvent): Warning[] {
  const found: Warning[] = [];
  const hours = (weeklyHours: number, regularWeeklyHours: number, hoursReason: string | undefined) => {
    if (weeklyHours * 2 > regularWeeklyHours) {
      found.push({
        rule: 'secondment-over-half-regular-hours',
        message: `${weeklyHours} of ${regularWeeklyHours} hours is more than the usual half; recorded with the reason: ${hoursReason!.trim()}`,
        details: { weeklyHours, regularWeeklyHours, hoursReason: hoursReason!.trim() },
      });
    }
  };
  if (event.type === 'SECOND_COORDINATOR') {
    hours(event.weeklyHours, event.regularWeeklyHours, event.hoursReason);
    const usualEnd = secondmentEnd(event.from);
    if (event.until !== usualEnd) {
      found.push({
        rule: 'secondment-usually-three-years',
        message: `a secondment runs for three years as a rule (${event.from} to ${usualEnd}); this one runs to ${event.until}`,
        details: { from: event.from, until: event.until, usualUntil: usualEnd },
      });
    }
    if (!event.kommuneConsent) {
      found.push({
        rule: 'coordinator-consent-pending',
        message: `the Kommune's consent to the choice of ${event.coordinator} is not recorded yet`,
      });
    }
  }
  if (event.type === 'DECIDE_SECONDMENT_END' && event.decision === 'extend') {
    const current = context.secondments.find((s) => s.id === event.secondmentId);
    if (current) {
      const period = currentPeriod(current);
      hours(
        event.weeklyHours ?? period.weeklyHours,
        event.regularWeeklyHours ?? period.regularWeeklyHours,
        extensionReason(event, period),
      );
    }
  }
  return found;
}

/** An extension keeps the current period's reason for its hours unless the decision gives a new one. */
function extensionReason(
  event: Extract<ClientEvent, { type: 'DECIDE_SECONDMENT_END' }>,
  current: SecondmentPeriod,
): string | undefined {
  return event.hoursReason?.trim() || current.hoursReason || undefined;
}

export function currentPeriod(secondment: Secondment): SecondmentPeriod {
  return secondment.periods[secondment.periods.length - 1];
}

/** The recipients of every message of a contract: the administrators of both partners. */
export function recipientsOf(context: ContractContext): Recipient[] {
  return context.admins.map((admin) => ({
    name: admin.name,
    email: admin.email,
    language: admin.language,
    role: CONTRACT_ADMIN,
  }));
}

/** What the contract becomes after an accepted event: the pure counterpart of the machine's actions. */
export const apply = {
  evaluation(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'RECORD_EVALUATION' }>,
  ): Partial<ContractContext> {
    return {
      evaluation: { reference: event.reference!, receivedOn: event.receivedOn!, summary: event.summary ?? null },
      writtenActs: [...context.writtenActs, act('evaluation', 'kommune', event)],
    };
  },

  /** Continue: the next three-year cycle, anchored to the start. Discontinue: an ordinary notice given by both
   * partners on the decision day. */
  review(context: ContractContext, event: Extract<ClientEvent, { type: 'DECIDE_REVIEW' }>): Partial<ContractContext> {
    const review: Review = {
      cycle: context.cycle,
      dueOn: context.reviewDueOn,
      evaluation: context.evaluation!,
      decision: event.decision,
      decidedOn: event.receivedOn!,
      reference: event.reference!,
    };
    const next: Partial<ContractContext> = {
      reviews: [...context.reviews, review],
      writtenActs: [...context.writtenActs, act('review-decision', 'both', event)],
    };
    if (event.decision === 'discontinue') {
      return {
        ...next,
        notice: {
          by: 'both',
          receivedOn: event.receivedOn!,
          reference: event.reference!,
          effectiveOn: noticeEffectiveDate(event.receivedOn!),
        },
      };
    }
    return {
      ...next,
      cycle: context.cycle + 1,
      reviewDueOn: reviewDueDate(context.startsOn, context.cycle + 1),
      evaluation: null,
    };
  },

  /** Effective on the day the partner named, or without one on the earliest possible day. */
  notice(context: ContractContext, event: Extract<ClientEvent, { type: 'GIVE_NOTICE' }>): Partial<ContractContext> {
    return {
      notice: {
        by: event.partner,
        receivedOn: event.receivedOn!,
        reference: event.reference!,
        effectiveOn: noticeEffectiveDate(event.receivedOn!, event.effectiveOn),
      },
      writtenActs: [...context.writtenActs, act('notice', event.partner, event)],
    };
  },

  ordinaryTermination(context: ContractContext): Partial<ContractContext> {
    const notice = context.notice!;
    return {
      termination: {
        kind: 'ordinary',
        by: notice.by,
        effectiveOn: notice.effectiveOn,
        reference: notice.reference,
        reason: null,
      },
    };
  },

  extraordinaryTermination(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'TERMINATE_EXTRAORDINARILY' }>,
  ): Partial<ContractContext> {
    return {
      termination: {
        kind: 'extraordinary',
        by: event.partner,
        effectiveOn: event.receivedOn!,
        reference: event.reference!,
        reason: event.reason!.trim(),
      },
      writtenActs: [...context.writtenActs, act('extraordinary-termination', event.partner, event)],
    };
  },

  proposal(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'PROPOSE_AMENDMENT' }>,
  ): Partial<ContractContext> {
    const amendment: Amendment = {
      id: event.amendmentId,
      title: event.title,
      proposedBy: event.partner,
      proposedOn: event.receivedOn!,
      reference: event.reference!,
      confirmations: {},
      inForceOn: null,
    };
    return {
      amendments: [...context.amendments, amendment],
      writtenActs: [...context.writtenActs, act('amendment-proposal', event.partner, event)],
    };
  },

  /** An amendment is in force once both partners confirmed it in writing, from the later confirmation. */
  confirmation(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'CONFIRM_AMENDMENT' }>,
  ): Partial<ContractContext> {
    const amendments = context.amendments.map((amendment) => {
      if (amendment.id !== event.amendmentId) return amendment;
      const confirmations = { ...amendment.confirmations, [event.partner]: event.receivedOn! };
      const both = PARTNER_SIDES.every((side) => confirmations[side]);
      return {
        ...amendment,
        confirmations,
        inForceOn: both ? [confirmations.land!, confirmations.kommune!].sort()[1] : null,
      };
    });
    return { amendments, writtenActs: [...context.writtenActs, act('amendment-confirmation', event.partner, event)] };
  },

  /** A report fulfils the earliest one outstanding: the n-th report is due on the n-th anniversary. */
  annualReport(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'RECORD_ANNUAL_REPORT' }>,
  ): Partial<ContractContext> {
    const n = context.annualReports.length + 1;
    return {
      annualReports: [
        ...context.annualReports,
        { n, dueOn: nextAnnualReportDue(context), receivedOn: event.receivedOn!, reference: event.reference! },
      ],
      writtenActs: [...context.writtenActs, act('annual-report', 'kommune', event)],
    };
  },

  secondment(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'SECOND_COORDINATOR' }>,
  ): Partial<ContractContext> {
    const consent = event.kommuneConsent ? letter(event.kommuneConsent) : null;
    const secondment: Secondment = {
      id: event.secondmentId,
      coordinator: event.coordinator,
      form: event.form ?? 'abordnung',
      sponsor: event.sponsor?.trim() || null,
      endedOn: null,
      periods: [
        {
          from: event.from,
          until: event.until,
          weeklyHours: event.weeklyHours,
          regularWeeklyHours: event.regularWeeklyHours,
          reference: event.reference!,
          hoursReason: reasonIfOverHalf(event.weeklyHours, event.regularWeeklyHours, event.hoursReason),
        },
      ],
      kommuneConsent: consent,
      qualifications: [],
    };
    return {
      secondments: [...context.secondments, secondment],
      writtenActs: [
        ...context.writtenActs,
        act('secondment', 'land', event),
        ...(consent ? [act('coordinator-consent', 'kommune', consent)] : []),
      ],
    };
  },

  secondmentDecision(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'DECIDE_SECONDMENT_END' }>,
  ): Partial<ContractContext> {
    const secondments = context.secondments.map((secondment) => {
      if (secondment.id !== event.secondmentId) return secondment;
      const current = currentPeriod(secondment);
      if (event.decision === 'end') return { ...secondment, endedOn: current.until };
      const weeklyHours = event.weeklyHours ?? current.weeklyHours;
      const regularWeeklyHours = event.regularWeeklyHours ?? current.regularWeeklyHours;
      const extension: SecondmentPeriod = {
        from: addDays(current.until, 1),
        until: event.until!,
        weeklyHours,
        regularWeeklyHours,
        reference: event.reference!,
        hoursReason: reasonIfOverHalf(weeklyHours, regularWeeklyHours, extensionReason(event, current)),
      };
      return { ...secondment, periods: [...secondment.periods, extension] };
    });
    return { secondments, writtenActs: [...context.writtenActs, act('secondment-decision', 'both', event)] };
  },

  coordinatorConsent(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'RECORD_COORDINATOR_CONSENT' }>,
  ): Partial<ContractContext> {
    return {
      secondments: context.secondments.map((s) =>
        s.id === event.secondmentId ? { ...s, kommuneConsent: letter(event) } : s,
      ),
      writtenActs: [...context.writtenActs, act('coordinator-consent', 'kommune', event)],
    };
  },

  /** The Land bears the costs of the coordinator's qualification (model contract, the Land's contributions). */
  coordinatorQualification(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'RECORD_COORDINATOR_QUALIFICATION' }>,
  ): Partial<ContractContext> {
    const qualification: CoordinatorQualification = { course: event.course.trim(), paidBy: 'land', ...letter(event) };
    return {
      secondments: context.secondments.map((s) =>
        s.id === event.secondmentId ? { ...s, qualifications: [...(s.qualifications ?? []), qualification] } : s,
      ),
      writtenActs: [...context.writtenActs, act('coordinator-qualification', 'land', event)],
    };
  },

  schoolAuthorityRepresentative(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE' }>,
  ): Partial<ContractContext> {
    return {
      schoolAuthorityRepresentatives: [
        ...(context.schoolAuthorityRepresentatives ?? []),
        { name: event.name.trim(), ...letter(event) },
      ],
      writtenActs: [...context.writtenActs, act('school-authority-representative', 'land', event)],
    };
  },

  kommuneResources(
    context: ContractContext,
    event: Extract<ClientEvent, { type: 'RECORD_KOMMUNE_RESOURCES' }>,
  ): Partial<ContractContext> {
    const resources: KommuneResources = {
      officeStaffFte: event.officeStaffFte,
      officeMaterialEuroPerYear: event.officeMaterialEuroPerYear ?? null,
      coordinatorExpensesEuroPerYear: event.coordinatorExpensesEuroPerYear ?? null,
      note: event.note?.trim() || null,
      ...letter(event),
    };
    return {
      kommuneResources: [...(context.kommuneResources ?? []), resources],
      writtenActs: [...context.writtenActs, act('kommune-resources', 'kommune', event)],
    };
  },
};

function reasonIfOverHalf(weeklyHours: number, regularWeeklyHours: number, reason: string | undefined): string | null {
  return weeklyHours * 2 > regularWeeklyHours ? reason!.trim() : null;
}

function letter(event: InWriting): Letter {
  return { receivedOn: event.receivedOn!, reference: event.reference!.trim() };
}

export function nextAnnualReportDue(context: ContractContext): string {
  return annualReportDueDate(context.startsOn, context.annualReports.length + 1);
}

function act(kind: WrittenAct['kind'], partner: WrittenAct['partner'], event: InWriting): WrittenAct {
  return { kind, partner, reference: event.reference!.trim(), receivedOn: event.receivedOn! };
}
