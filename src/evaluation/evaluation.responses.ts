import { ApiProperty } from '@nestjs/swagger';
import { BilingualResponse, WorkingDayShiftResponse } from '../contracts/contracts.responses.js';

/**
 * What the evaluation's endpoints answer: the report of workflows/evaluation/report.ts (with the day it was computed),
 * `MeetingView` of meetings.service.ts and the exchange evaluation of exchange-evaluations.service.ts.
 */

const LANGUAGES = ['de', 'en'];

/** Responses per rating on the 1-to-5 scale. */
export class RatingDistributionResponse {
  @ApiProperty() '1'!: number;
  @ApiProperty() '2'!: number;
  @ApiProperty() '3'!: number;
  @ApiProperty() '4'!: number;
  @ApiProperty() '5'!: number;
}

/** The figures of a set of responses; never who answered, nor what a comment says. */
export class RatingFiguresResponse {
  @ApiProperty() responses!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean of the ratings (1 poor to 5 very good), two decimals; null without responses',
  })
  meanRating!: number | null;
  @ApiProperty({ type: RatingDistributionResponse }) distribution!: RatingDistributionResponse;
  @ApiProperty({ description: 'Responses that carry a comment' }) comments!: number;
}

export class ReportTotalResponse extends RatingFiguresResponse {
  @ApiProperty({ description: 'Events whose first day falls in the year' }) events!: number;
  @ApiProperty({ description: 'Annual exchanges held in the year' }) exchanges!: number;
}

export class ReportEventResponse extends RatingFiguresResponse {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) groupId!: string;
  @ApiProperty() groupName!: string;
  @ApiProperty({ type: [String], format: 'date' }) days!: string[];
  @ApiProperty() place!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Persons recorded present; null while the attendance is not recorded',
  })
  participants!: number | null;
}

export class ReportModuleResponse extends RatingFiguresResponse {
  @ApiProperty({ example: 'tandem-team' }) module!: string;
  @ApiProperty() title!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty({ type: [ReportEventResponse] }) events!: ReportEventResponse[];
}

export class ReportExchangeResponse extends RatingFiguresResponse {
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() place!: string;
  @ApiProperty() invitedTandems!: number;
  @ApiProperty() acceptedTandems!: number;
  @ApiProperty({ description: 'Members of the tandems that accepted: who may evaluate it' }) participants!: number;
}

export class EvaluationReportResponse {
  @ApiProperty({ example: 2026 }) year!: number;
  @ApiProperty({
    format: 'date',
    description: 'The day the report was computed: it always reflects the evaluations as they are',
  })
  asOf!: string;
  @ApiProperty({ type: ReportTotalResponse, description: 'Every response of the year: all events and the exchange' })
  total!: ReportTotalResponse;
  @ApiProperty({
    type: [ReportModuleResponse],
    description: "The core modules in the decree's order, then further modules",
  })
  modules!: ReportModuleResponse[];
  @ApiProperty({ type: [ReportExchangeResponse] }) exchanges!: ReportExchangeResponse[];
}

export class MeetingRecipientResponse {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: 'de' | 'en';
}

export class MeetingReminderResponse {
  @ApiProperty({ example: 'meeting-upcoming' }) rule!: string;
  @ApiProperty({ example: '-P4W' }) offset!: string;
  @ApiProperty({ format: 'date', description: "The meeting's day plus the offset" }) offsetDay!: string;
  @ApiProperty({ format: 'date', description: 'The working day it goes out on' }) sendOn!: string;
  @ApiProperty({ description: 'Local date and time it goes out', example: '2027-02-11T08:00' }) at!: string;
  @ApiProperty({ type: WorkingDayShiftResponse, nullable: true }) shift!: WorkingDayShiftResponse | null;
  @ApiProperty({ type: BilingualResponse }) explanation!: BilingualResponse;
  @ApiProperty({ type: [String], description: "Recipients' addresses" }) to!: string[];
}

export class MeetingReportLinksResponse {
  @ApiProperty({ example: '/evaluation/reports/2026' }) json!: string;
  @ApiProperty({ example: '/evaluation/reports/2026.csv' }) csv!: string;
  @ApiProperty({ example: '/evaluation/reports/2026.pdf' }) pdf!: string;
}

export class MeetingResponse {
  @ApiProperty({ example: 2026, description: 'The evaluation year whose findings the meeting reflects on' })
  year!: number;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty({ type: String, nullable: true }) place!: string | null;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status!: 'scheduled' | 'cancelled';
  @ApiProperty({ type: [MeetingRecipientResponse] }) recipients!: MeetingRecipientResponse[];
  @ApiProperty({ format: 'uuid', description: 'The evaluation-meeting workflow instance' }) instanceId!: string;
  @ApiProperty({
    type: [MeetingReminderResponse],
    description: 'The reminders still to go out with the report attached; none once cancelled',
  })
  reminders!: MeetingReminderResponse[];
  @ApiProperty({ type: MeetingReportLinksResponse }) report!: MeetingReportLinksResponse;
}

export class ExchangeEvaluationResponse {
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
}

export class ExchangeEvaluationResultsResponse extends RatingFiguresResponse {
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ type: [String], description: 'The comments, without who wrote them' }) commentTexts!: string[];
}
