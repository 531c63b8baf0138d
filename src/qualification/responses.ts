import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  COUNCIL_OUTCOMES,
  SUPERVISIONS,
  type CouncilOutcome,
  type Supervision,
} from '../../workflows/tandem-qualification/model.js';

/**
 * What the tandem qualification's endpoints answer: the shapes the services build (registration, groups,
 * participants, certificates and alumni services) and the rows they return as they are.
 */

const LANGUAGES = ['de', 'en'];
const ENROLMENT_STATES = [
  'nominated',
  'registered',
  'waitlisted',
  'placed',
  'in_qualification',
  'completed',
  'alumni',
  'withdrawn',
  'reformed',
];

export class DistrictResponse {
  @ApiProperty({ example: 'koeln' }) id!: string;
  @ApiProperty({ example: 'Bezirksregierung Köln' }) name!: string;
  @ApiProperty({ description: 'Relative need for seats; seats are allocated in proportion to it' }) need!: number;
}

export class DistrictNeedResponse {
  @ApiProperty({ example: 'koeln' }) id!: string;
  @ApiProperty() need!: number;
}

export class SchoolOfficeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Schulamt für die Stadt Köln' }) name!: string;
  @ApiProperty({ example: 'koeln' }) districtId!: string;
}

export class NetworkResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Regionales Bildungsnetzwerk Köln' }) name!: string;
  @ApiProperty({ example: 'koeln' }) districtId!: string;
}

export class PersonResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: string;
  @ApiProperty({
    enum: SUPERVISIONS,
    nullable: true,
    description: 'Null outside school supervision (e.g. a moderator)',
  })
  supervision!: Supervision | null;
  @ApiProperty({ type: String, nullable: true }) districtId!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The Schulamt of a lower-supervision official',
  })
  schoolOfficeId!: string | null;
  @ApiProperty({ description: 'The office as a certificate names it' }) office!: string;
}

export class TandemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ format: 'uuid' }) lowerMemberId!: string;
  @ApiProperty({ format: 'uuid' }) upperMemberId!: string;
  @ApiProperty({ format: 'date-time' }) formedAt!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Set when a member changed: the tandem lives on as its successor',
  })
  successorId!: string | null;
}

export class NamedRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class EnrolmentMemberResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SUPERVISIONS, nullable: true }) supervision!: Supervision | null;
  @ApiProperty() office!: string;
}

export class StaffCouncilInvolvementResponse {
  @ApiProperty({ format: 'date', description: "The day of the staff council's outcome" }) on!: string;
  @ApiProperty({
    enum: COUNCIL_OUTCOMES,
    type: String,
    nullable: true,
    description: 'Consent, refusal, or consent deemed given',
  })
  outcome!: CouncilOutcome | null;
}

export class InvolvementsResponse {
  @ApiProperty({
    type: StaffCouncilInvolvementResponse,
    nullable: true,
    description: "The staff council's involvement and its outcome (LPVG NRW § 72)",
  })
  staffCouncil!: StaffCouncilInvolvementResponse | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'When the equal-opportunities officer was involved (LGG NRW § 11)',
  })
  equalOpportunities!: string | null;
}

export class EnrolmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ENROLMENT_STATES, description: "The enrolment's status, as its workflow and its group's stand" })
  status!: string;
  @ApiProperty({ description: "The enrolment workflow's state" }) state!: string;
  @ApiProperty({ example: 'koeln' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) tandemId!: string;
  @ApiProperty({ type: NamedRefResponse, nullable: true }) network!: NamedRefResponse | null;
  @ApiProperty({ type: [EnrolmentMemberResponse] }) members!: EnrolmentMemberResponse[];
  @ApiProperty({ type: InvolvementsResponse }) involvements!: InvolvementsResponse;
  @ApiProperty({ type: NamedRefResponse, nullable: true, description: 'The group it is placed in or waiting for' })
  group!: NamedRefResponse | null;
  @ApiProperty({ type: Number, nullable: true, description: "Position on the group's waiting list, from 1" })
  waitlistPosition!: number | null;
  @ApiProperty({ type: [String], description: 'Modules credited from before a member change' })
  creditedModules!: string[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The enrolment of the tandem before it was re-formed',
  })
  predecessorId!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The tandem that succeeded this one when it was re-formed',
  })
  successorTandemId!: string | null;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
}

export class MemberChangeResponse {
  @ApiProperty({ type: TandemResponse, description: 'The successor tandem' }) tandem!: TandemResponse;
  @ApiProperty({
    type: EnrolmentResponse,
    nullable: true,
    description: 'Its enrolment: the same one (exemption) or a new one (re-formation); null without an open enrolment',
  })
  enrolment!: EnrolmentResponse | null;
  @ApiPropertyOptional({
    type: EnrolmentResponse,
    description: 'On re-formation: the enrolment that ended as reformed',
  })
  reformed?: EnrolmentResponse;
}

export class CertificateResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'ABCD-EFGH-JKMN' }) code!: string;
  @ApiProperty({ format: 'date' }) firstDay!: string;
  @ApiProperty({ format: 'date' }) lastDay!: string;
  @ApiProperty() hours!: number;
  @ApiProperty({ type: [String], description: 'Module titles as the certificate prints them' }) modules!: string[];
  @ApiProperty({ type: [String], description: 'Titles of the modules credited from before a member change' })
  creditedModules!: string[];
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: string;
  @ApiProperty({ format: 'uri' }) verificationUrl!: string;
}

export class ModeratorTandemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) firstMemberId!: string;
  @ApiProperty({ format: 'uuid' }) secondMemberId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who appointed it' }) appointedBy!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) appointedOn!: string | null;
}

/** An event of a group's curriculum as scheduled. */
export class ScheduledEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) groupId!: string;
  @ApiProperty({ example: 'tandem-team' }) module!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Tandem und Team' }) title!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Tandem and team' }) titleEn?: string | null;
  @ApiProperty({ type: [String], format: 'date', description: 'Calendar days, ascending' }) days!: string[];
  @ApiProperty({ example: '09:00' }) startTime!: string;
  @ApiProperty() hours!: number;
  @ApiProperty() place!: string;
  @ApiPropertyOptional({ description: 'Raised on every change (iCalendar SEQUENCE)' }) sequence?: number;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it was scheduled or last changed',
  })
  changedAt?: string | null;
}

export class GroupEventResponse extends ScheduledEventResponse {
  @ApiProperty({ enum: ['scheduled', 'cancelled'], description: 'A cancelled event stays in the schedule' }) status!:
    'scheduled' | 'cancelled';
  @ApiProperty({ type: String, nullable: true, description: 'Why it was added, moved or cancelled' }) changeReason!:
    string | null;
  @ApiProperty() attendanceRecorded!: boolean;
}

export class ReflectionPhaseResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) afterEventId!: string;
  @ApiProperty({ format: 'uuid' }) beforeEventId!: string;
  @ApiProperty({ format: 'date' }) dueOn!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who closed it' }) closedBy!: string | null;
}

export class ClosedReflectionPhaseResponse extends ReflectionPhaseResponse {
  @ApiProperty({ format: 'date-time' }) override closedAt!: string;
  @ApiProperty({ description: 'Who closed it' }) override closedBy!: string;
}

export class GroupMemberResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class GroupTandemResponse {
  @ApiProperty({ format: 'uuid' }) enrolmentId!: string;
  @ApiProperty({ format: 'uuid' }) tandemId!: string;
  @ApiProperty({ enum: ENROLMENT_STATES }) status!: string;
  @ApiProperty({ type: [GroupMemberResponse] }) members!: GroupMemberResponse[];
}

export class GroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Seats (tandems)' }) capacity!: number;
  @ApiProperty({ description: "The group workflow's state" }) state!: string;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty({ format: 'uuid', description: 'The moderator tandem that runs it' }) moderatorTandemId!: string;
  @ApiProperty({ type: [GroupMemberResponse] }) moderators!: GroupMemberResponse[];
  @ApiProperty({ type: [GroupEventResponse] }) events!: GroupEventResponse[];
  @ApiProperty({ type: [ReflectionPhaseResponse] }) reflectionPhases!: ReflectionPhaseResponse[];
  @ApiProperty({ type: [GroupTandemResponse], description: 'Seated tandems' }) tandems!: GroupTandemResponse[];
  @ApiProperty({ type: [GroupTandemResponse], description: 'First come, first served' })
  waitingList!: GroupTandemResponse[];
}

export class AttendanceEntryResponse {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty() present!: boolean;
}

export class AttendanceResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() module!: string;
  @ApiProperty({ type: [String], format: 'date' }) days!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) recordedAt!: string | null;
  @ApiProperty({ type: [AttendanceEntryResponse] }) entries!: AttendanceEntryResponse[];
}

export class EventEvaluationResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
}

export class EvaluationResultsResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() module!: string;
  @ApiProperty() responses!: number;
  @ApiProperty({ type: Number, nullable: true }) averageRating!: number | null;
  @ApiProperty({ type: [String] }) comments!: string[];
}

export class DistrictOverviewResponse {
  @ApiProperty({ example: 'koeln' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() need!: number;
  @ApiProperty({ description: 'Its share of all group seats, in proportion to need' }) allocatedSeats!: number;
  @ApiProperty() seatsTaken!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Its tandems by enrolment status',
  })
  byStatus!: Record<string, number>;
}

export class ModuleEvaluationResponse {
  @ApiProperty({ example: '2026' }) year!: string;
  @ApiProperty() module!: string;
  @ApiProperty() title!: string;
  @ApiProperty() responses!: number;
  @ApiProperty() averageRating!: number;
}

export class OverviewResponse {
  @ApiProperty() totalSeats!: number;
  @ApiProperty({ description: 'Number of groups' }) groups!: number;
  @ApiProperty({ type: [DistrictOverviewResponse] }) districts!: DistrictOverviewResponse[];
  @ApiProperty({ type: [ModuleEvaluationResponse], description: 'Evaluation results per year and module' })
  evaluation!: ModuleEvaluationResponse[];
}

export class PersonEventResponse extends GroupEventResponse {
  @ApiProperty() groupName!: string;
  @ApiProperty({ description: 'An event of another group, attended to make up a module' }) makeUp!: boolean;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Null until attendance is recorded' }) attended!:
    boolean | null;
}

export class EnrolmentStatusResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ENROLMENT_STATES }) status!: string;
}

export class PersonScheduleResponse {
  @ApiProperty({ type: GroupMemberResponse }) person!: GroupMemberResponse;
  @ApiProperty({ type: EnrolmentStatusResponse, nullable: true, description: 'The newest enrolment' })
  enrolment!: EnrolmentStatusResponse | null;
  @ApiProperty({
    type: [PersonEventResponse],
    description: "Own group's events and make-ups, in date order; titles in the person's language",
  })
  events!: PersonEventResponse[];
}

export class PersonTaskResponse {
  @ApiProperty({ enum: ['reflection', 'exchange-answer'] }) kind!: string;
  @ApiProperty({ format: 'uuid', description: 'The reflection phase, or the exchange invitation to answer' })
  id!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dueOn!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where the exchange is held' }) place?:
    string | null;
}

export class PersonCertificateResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty() hours!: number;
  @ApiProperty({ format: 'date' }) firstDay!: string;
  @ApiProperty({ format: 'date' }) lastDay!: string;
  @ApiProperty({ type: [String], description: 'Module titles as the certificate prints them' }) modules!: string[];
  @ApiProperty({ type: [String], description: 'Titles of the modules credited from before a member change' })
  creditedModules!: string[];
  @ApiProperty({ description: "Its PDF's path", example: '/certificates/0b7f5c5e-3f7c-4c1e-9d55-4f3a3b8e2a10/pdf' })
  pdf!: string;
}

export class CertificateVerificationResponse {
  @ApiProperty({ enum: [true] }) valid!: boolean;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() programme!: string;
  @ApiProperty({ format: 'date' }) firstDay!: string;
  @ApiProperty({ format: 'date' }) lastDay!: string;
  @ApiProperty() hours!: number;
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty() issuer!: string;
}

export class ExchangeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ description: 'Alumni tandems invited' }) invited!: number;
  @ApiProperty() accepted!: number;
  @ApiProperty() declined!: number;
  @ApiProperty() pending!: number;
}

export class InvitationAnswerResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ enum: ['accepted', 'declined'] }) answer!: 'accepted' | 'declined';
}
