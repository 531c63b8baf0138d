import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  KOMMUNE_KINDS,
  PARTNER_SIDES,
  SECONDMENT_FORMS,
  type KommuneKind,
  type PartnerSide,
  type SecondmentForm,
} from '../../workflows/contract-review/contract.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../workflows/contract-review/deadlines.js';
import type { ContractStatus } from './contract.entities.js';

/**
 * What the contract endpoints answer: `ContractView` and `StatewideDeadline` of contracts.service.ts, built from the
 * workflow's context (workflows/contract-review/contract.ts) and its due items (deadlines.ts).
 */

const CONTRACT_STATUSES: ContractStatus[] = ['active', 'review-due', 'notice-given', 'terminated'];
const PARTNERS_OR_BOTH = [...PARTNER_SIDES, 'both'];
const LANGUAGES = ['de', 'en'];

export class BilingualResponse {
  @ApiProperty() de!: string;
  @ApiProperty() en!: string;
}

export class LandResponse {
  @ApiProperty({ example: 'Land Niedersachsen' }) name!: string;
  @ApiProperty({ example: 'Niedersächsisches Kultusministerium' }) representedBy!: string;
}

export class KommuneResponse {
  @ApiProperty({ example: 'Landkreis Emsland' }) name!: string;
  @ApiProperty({ enum: KOMMUNE_KINDS }) kind!: KommuneKind;
}

export class ContractAdminResponse {
  @ApiProperty({ description: 'The actor id the administrator signs in as' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: 'de' | 'en';
  @ApiProperty({ enum: PARTNER_SIDES }) partner!: PartnerSide;
}

/** A letter on record: every act of the contract is in writing. */
export class LetterResponse {
  @ApiProperty({ format: 'date' }) receivedOn!: string;
  @ApiProperty({ example: 'MK 31-81 400/2026-1' }) reference!: string;
}

export class EvaluationResponse extends LetterResponse {
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
}

export class ContractReviewResponse {
  @ApiProperty({ description: 'The review cycle under way, 1 for the first three years' }) cycle!: number;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ type: EvaluationResponse, nullable: true, description: 'The evaluation of this cycle, once recorded' })
  evaluation!: EvaluationResponse | null;
}

export class ReviewDecisionResponse {
  @ApiProperty() cycle!: number;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty({ type: EvaluationResponse }) evaluation!: EvaluationResponse;
  @ApiProperty({ enum: ['continue', 'discontinue'] }) decision!: 'continue' | 'discontinue';
  @ApiProperty({ format: 'date' }) decidedOn!: string;
  @ApiProperty() reference!: string;
}

export class NoticeResponse {
  @ApiProperty({ enum: PARTNERS_OR_BOTH, description: '`both` when the partners decided at a review not to continue' })
  by!: PartnerSide | 'both';
  @ApiProperty({ format: 'date' }) receivedOn!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ format: 'date' }) effectiveOn!: string;
}

export class TerminationResponse {
  @ApiProperty({ enum: ['ordinary', 'extraordinary'] }) kind!: 'ordinary' | 'extraordinary';
  @ApiProperty({ enum: PARTNERS_OR_BOTH }) by!: PartnerSide | 'both';
  @ApiProperty({ format: 'date', description: 'The partners stay bound through this day' }) effectiveOn!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class AmendmentConfirmationsResponse {
  @ApiPropertyOptional({ format: 'date', description: "The day the Land's written confirmation was received" })
  land?: string;
  @ApiPropertyOptional({ format: 'date', description: "The day the Kommune's written confirmation was received" })
  kommune?: string;
}

export class AmendmentResponse {
  @ApiProperty({ example: 'A1' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: PARTNER_SIDES }) proposedBy!: PartnerSide;
  @ApiProperty({ format: 'date' }) proposedOn!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ type: AmendmentConfirmationsResponse }) confirmations!: AmendmentConfirmationsResponse;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The day the later confirmation arrived; null while pending',
  })
  inForceOn!: string | null;
}

export class SecondmentPeriodResponse {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) until!: string;
  @ApiProperty() weeklyHours!: number;
  @ApiProperty() regularWeeklyHours!: number;
  @ApiProperty() reference!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the period takes more than half of the regular hours',
  })
  hoursReason!: string | null;
}

export class CoordinatorQualificationResponse extends LetterResponse {
  @ApiProperty() course!: string;
  @ApiProperty({ enum: ['land'] }) paidBy!: 'land';
}

export class SecondmentResponse {
  @ApiProperty({ example: 'S1' }) id!: string;
  @ApiProperty({ description: 'The education coordinator' }) coordinator!: string;
  @ApiProperty({
    enum: SECONDMENT_FORMS,
    description: "Abordnung to the Kommune, or Zuweisung to the region's sponsor",
  })
  form!: SecondmentForm;
  @ApiProperty({ type: String, nullable: true, description: 'The sponsor of a Zuweisung' }) sponsor!: string | null;
  @ApiProperty({
    type: [SecondmentPeriodResponse],
    description: 'The first period and each extension; the last one is current',
  })
  periods!: SecondmentPeriodResponse[];
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Set when the partners decided to let it end',
  })
  endedOn!: string | null;
  @ApiProperty({
    type: LetterResponse,
    nullable: true,
    description: "The Kommune's written consent to the choice of coordinator",
  })
  kommuneConsent!: LetterResponse | null;
  @ApiProperty({ type: [CoordinatorQualificationResponse] }) qualifications!: CoordinatorQualificationResponse[];
}

export class AnnualReportResponse extends LetterResponse {
  @ApiProperty({ description: 'The n-th report, due on the n-th anniversary of the start' }) n!: number;
  @ApiProperty({ format: 'date' }) dueOn!: string;
}

export class WrittenActResponse extends LetterResponse {
  @ApiProperty({ example: 'notice' }) kind!: string;
  @ApiProperty({ enum: PARTNERS_OR_BOTH }) partner!: PartnerSide | 'both';
}

export class SchoolAuthorityRepresentativeResponse extends LetterResponse {
  @ApiProperty() name!: string;
}

export class KommuneResourcesResponse extends LetterResponse {
  @ApiProperty({ description: 'Staff of the regional office in full-time equivalents' }) officeStaffFte!: number;
  @ApiProperty({ type: Number, nullable: true }) officeMaterialEuroPerYear!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "The coordinator's administrative expenses" })
  coordinatorExpensesEuroPerYear!: number | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class DeadlineBasisResponse {
  @ApiProperty({ example: 'review-every-three-years' }) rule!: string;
  @ApiProperty({
    type: BilingualResponse,
    description: 'Where the rule comes from: a contract clause, the framework, or a Lotse policy',
  })
  source!: BilingualResponse;
  @ApiProperty({ type: 'object', additionalProperties: true }) inputs!: Record<string, unknown>;
  @ApiProperty({ example: '2019-09-01 + 6 years (review 2 = start + 3 × 2 years)' }) computation!: string;
}

export class NonWorkingDayResponse {
  @ApiProperty({ format: 'date' }) day!: string;
  @ApiProperty({ example: 'Saturday' }) weekday!: string;
  @ApiProperty({
    type: BilingualResponse,
    nullable: true,
    description: 'The public holiday, or null for a weekend day',
  })
  holiday!: BilingualResponse | null;
}

export class WorkingDayShiftResponse {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ enum: ['earlier', 'later'] }) direction!: 'earlier' | 'later';
  @ApiProperty({ type: [NonWorkingDayResponse], description: 'Every day passed over, in order' })
  passedOver!: NonWorkingDayResponse[];
}

export class ReminderResponse {
  @ApiProperty({ example: 'review-due' }) rule!: string;
  @ApiProperty({ example: '-P3M' }) offset!: string;
  @ApiProperty({ enum: ['before', 'after'] }) side!: 'before' | 'after';
  @ApiProperty({ format: 'date', description: "The deadline's day plus the offset" }) offsetDay!: string;
  @ApiProperty({ format: 'date', description: 'The working day it goes out on' }) sendOn!: string;
  @ApiProperty({ description: 'Local date and time it goes out', example: '2026-06-01T08:00' }) at!: string;
  @ApiProperty({ type: WorkingDayShiftResponse, nullable: true }) shift!: WorkingDayShiftResponse | null;
  @ApiProperty({ type: BilingualResponse }) explanation!: BilingualResponse;
  @ApiProperty({ type: [String], description: "Recipients' addresses" }) to!: string[];
}

export class DueItemResponse {
  @ApiProperty({ enum: DEADLINE_KINDS }) kind!: DeadlineKind;
  @ApiProperty({ example: 'review-2029-09-01' }) id!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ description: 'Past its day and still open' }) overdue!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ type: DeadlineBasisResponse }) basis!: DeadlineBasisResponse;
  @ApiProperty({ type: [ReminderResponse], description: 'What the configured policy sends for it, soonest first' })
  reminders!: ReminderResponse[];
}

export class ContractWarningResponse {
  @ApiProperty({ example: 'secondment-over-half-regular-hours' }) rule!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
}

/** A cooperation contract with everything on record, and what is due next and by when. */
export class ContractResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Its contract-review workflow instance' }) instanceId!: string;
  @ApiProperty({ type: LandResponse }) land!: LandResponse;
  @ApiProperty({ example: 'Bildungsregion Emsland' }) bildungsregion!: string;
  @ApiProperty({ type: KommuneResponse }) kommune!: KommuneResponse;
  @ApiProperty() steeringCommittee!: string;
  @ApiProperty() regionalOffice!: string;
  @ApiProperty({ format: 'date' }) startsOn!: string;
  @ApiProperty({ type: [ContractAdminResponse] }) admins!: ContractAdminResponse[];
  @ApiProperty({ enum: CONTRACT_STATUSES }) status!: ContractStatus;
  @ApiProperty({ description: 'The workflow state', example: 'active.running' }) state!: string;
  @ApiProperty({
    type: ContractReviewResponse,
    nullable: true,
    description: 'The review under way; null once notice is given',
  })
  review!: ContractReviewResponse | null;
  @ApiProperty({ type: [ReviewDecisionResponse] }) reviews!: ReviewDecisionResponse[];
  @ApiProperty({ type: NoticeResponse, nullable: true }) notice!: NoticeResponse | null;
  @ApiProperty({ type: TerminationResponse, nullable: true }) termination!: TerminationResponse | null;
  @ApiProperty({ type: [AmendmentResponse] }) amendments!: AmendmentResponse[];
  @ApiProperty({ type: [SecondmentResponse] }) secondments!: SecondmentResponse[];
  @ApiProperty({ type: [AnnualReportResponse] }) annualReports!: AnnualReportResponse[];
  @ApiProperty({ type: [WrittenActResponse] }) writtenActs!: WrittenActResponse[];
  @ApiProperty({ type: SchoolAuthorityRepresentativeResponse, nullable: true, description: 'The current one' })
  schoolAuthorityRepresentative!: SchoolAuthorityRepresentativeResponse | null;
  @ApiProperty({ type: [SchoolAuthorityRepresentativeResponse], description: 'Each naming in turn' })
  schoolAuthorityRepresentatives!: SchoolAuthorityRepresentativeResponse[];
  @ApiProperty({ type: KommuneResourcesResponse, nullable: true, description: 'The current commitment' })
  kommuneResources!: KommuneResourcesResponse | null;
  @ApiProperty({ type: [KommuneResourcesResponse], description: 'Each commitment in turn' })
  kommuneResourcesHistory!: KommuneResourcesResponse[];
  @ApiProperty({ type: [DueItemResponse], description: 'Everything owed, soonest first' }) due!: DueItemResponse[];
  @ApiProperty({ type: DueItemResponse, nullable: true, description: 'The first of due' })
  nextDue!: DueItemResponse | null;
  @ApiPropertyOptional({
    type: [ContractWarningResponse],
    description: 'In the answer to a write: what was recorded that the texts allow only as an exception',
  })
  warnings?: ContractWarningResponse[];
}

/** An open deadline of one contract, in the list across contracts. */
export class ContractDeadlineResponse {
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty() bildungsregion!: string;
  @ApiProperty({ description: "The Kommune's name" }) kommune!: string;
  @ApiProperty({ enum: CONTRACT_STATUSES }) status!: ContractStatus;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

class BilingualSentence {
  @ApiProperty() de!: string;
  @ApiProperty() en!: string;
}

class NoticeReceivedAnswer {
  @ApiProperty({ format: 'date', description: 'The day the notice was received' }) on!: string;
  @ApiProperty({
    format: 'date',
    description: "The earliest day it takes effect (six months' notice to 30 June or 31 December)",
  })
  takesEffectOn!: string;
  @ApiProperty({ type: [String], description: 'Later days the notice may name instead' }) laterDates!: string[];
  @ApiProperty({ type: BilingualSentence }) sentence!: BilingualSentence;
}

class NoticeEffectiveAnswer {
  @ApiProperty({ format: 'date', description: 'The 30 June or 31 December asked about' }) on!: string;
  @ApiProperty({ format: 'date', description: 'The last day a written notice must be received to take effect then' })
  lastDayToGiveNotice!: string;
  @ApiProperty({ type: BilingualSentence }) sentence!: BilingualSentence;
}

/** The notice calculator's answer: each question asked, answered; the other one null. */
export class NoticeCalculationResponse {
  @ApiProperty({ type: NoticeReceivedAnswer, nullable: true }) received!: NoticeReceivedAnswer | null;
  @ApiProperty({ type: NoticeEffectiveAnswer, nullable: true }) effective!: NoticeEffectiveAnswer | null;
}
