import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsEmail,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  KOMMUNE_KINDS,
  PARTNER_SIDES,
  SECONDMENT_FORMS,
  type KommuneKind,
  type PartnerSide,
  type SecondmentForm,
} from '../../workflows/contract-review/contract.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../workflows/contract-review/deadlines.js';
import { IsCalendarDay } from '../common/is-calendar-day.js';

/**
 * Hours are stored as `real` (float4 on PostgreSQL, which overflows above 3.4e38), so the edge bounds them by the
 * length of a week; what the contract allows within that is its rules' business (422 `secondment-hours`, ...).
 */
const HOURS_IN_A_WEEK = 168;

export class KommuneDto {
  @ApiProperty({ example: 'Landkreis Heidekreis' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    enum: KOMMUNE_KINDS,
    description:
      'landkreis, kreisfreie_stadt, region (Kommunalverband besonderer Art, e.g. Region Hannover) or verbund (an association across counties)',
  })
  @IsIn(KOMMUNE_KINDS)
  kind!: KommuneKind;
}

export class ContractAdminDto {
  @ApiProperty({
    description: 'The actor id this person signs in as (for a contract administrator: the user name)',
    example: 'mk-lange',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id!: string;

  @ApiProperty({ example: 'Petra Lange' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'petra.lange@mk.niedersachsen.example' })
  @IsEmail()
  email!: string;

  @ApiProperty({ enum: ['de', 'en'] })
  @IsIn(['de', 'en'])
  language!: 'de' | 'en';

  @ApiProperty({ enum: PARTNER_SIDES, description: 'The partner this person manages the contract for' })
  @IsIn(PARTNER_SIDES)
  partner!: PartnerSide;
}

export class CreateContractDto {
  @ApiProperty({ example: 'Bildungsregion Heidekreis' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  bildungsregion!: string;

  @ApiProperty({ type: KommuneDto })
  @IsObject()
  @ValidateNested()
  @Type(() => KommuneDto)
  kommune!: KommuneDto;

  @ApiProperty({
    description: 'The steering committee (strategisch koordinierendes Gremium)',
    example: 'Lenkungsgruppe Bildungsregion Heidekreis',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  steeringCommittee!: string;

  @ApiProperty({
    description: 'The regional office (Geschäftsstelle / Bildungsbüro)',
    example: 'Bildungsbüro Heidekreis',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  regionalOffice!: string;

  @ApiProperty({ description: 'Start of the cooperation', example: '2017-08-01' })
  @IsCalendarDay()
  startsOn!: string;

  @ApiProperty({ description: 'Day the signed contract was received', example: '2017-07-10' })
  @IsCalendarDay()
  signedOn!: string;

  @ApiProperty({ description: 'Reference of the signed contract', example: 'MK-31-2017-07' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference!: string;

  @ApiPropertyOptional({
    description:
      'Representative the school authority (NLSchB) named to the steering committee, when the contract names one',
    example: 'Dr. Eva Brandt',
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  schoolAuthorityRepresentative?: string;

  @ApiProperty({
    type: [ContractAdminDto],
    description: 'Contract administrators of both partners; they receive the reminders',
  })
  @ValidateNested({ each: true })
  @Type(() => ContractAdminDto)
  @ArrayMinSize(2)
  admins!: ContractAdminDto[];
}

/**
 * A written act: the letter's reference and the day it was received. Both are optional here on purpose: a missing
 * one is refused by the rule `in-writing` (422), which says what the contract requires.
 */
export class WrittenActDto {
  @ApiPropertyOptional({ description: 'Day the letter was received', example: '2024-03-15' })
  @IsOptional()
  @IsCalendarDay()
  receivedOn?: string;

  @ApiPropertyOptional({ description: 'Reference of the letter', example: 'MK-31-2024-011' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class NoticeDto extends WrittenActDto {
  @ApiPropertyOptional({
    description:
      "A 30 June or 31 December no earlier than the earliest effective date (six months' notice); without it, the earliest",
    example: '2022-12-31',
  })
  @IsOptional()
  @IsCalendarDay()
  effectiveOn?: string;
}

export class EvaluationDto extends WrittenActDto {
  @ApiPropertyOptional({ description: 'Findings of the evaluation and impact review' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;
}

export class ReviewDecisionDto {
  @ApiProperty({
    enum: ['continue', 'discontinue'],
    description: 'discontinue ends the contract like an ordinary notice given on the decision day',
  })
  @IsIn(['continue', 'discontinue'])
  decision!: 'continue' | 'discontinue';

  @ApiPropertyOptional({ description: 'Day of the joint decision', example: '2020-06-15' })
  @IsOptional()
  @IsCalendarDay()
  decidedOn?: string;

  @ApiPropertyOptional({ description: 'Reference of the written decision' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class ExtraordinaryTerminationDto extends WrittenActDto {
  @ApiPropertyOptional({
    description: 'Why the other partner no longer fulfils its obligations',
    example: 'Haushaltssperre 2025',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;
}

export class AmendmentProposalDto extends WrittenActDto {
  @ApiProperty({ example: 'Zweite Bildungskoordination ab 2019' })
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  title!: string;
}

export class SecondmentDto extends WrittenActDto {
  @ApiProperty({ description: 'The seconded teacher (Bildungskoordinator/-in)', example: 'Jana Voss' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  coordinator!: string;

  @ApiProperty({ example: '2017-08-01' })
  @IsCalendarDay()
  from!: string;

  @ApiPropertyOptional({ description: 'Last day; three years when omitted', example: '2020-07-31' })
  @IsOptional()
  @IsCalendarDay()
  until?: string;

  @ApiProperty({
    description: 'Weekly hours seconded; as a rule up to half of the regular hours, more with hoursReason',
    example: 12.5,
  })
  @IsNumber()
  @Max(HOURS_IN_A_WEEK)
  weeklyHours!: number;

  @ApiProperty({ description: "The teacher's regular weekly teaching hours (Regelstundenzahl)", example: 25 })
  @IsNumber()
  @Max(HOURS_IN_A_WEEK)
  regularWeeklyHours!: number;

  @ApiPropertyOptional({
    description: 'Why more than half of the regular hours; required then',
    example: 'Zwei Landkreise im Verbund',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  hoursReason?: string;

  @ApiPropertyOptional({
    enum: SECONDMENT_FORMS,
    description:
      "abordnung (to the Kommune, the default) or zuweisung (where the region's sponsor is not the Kommune; name the sponsor)",
  })
  @IsOptional()
  @IsIn(SECONDMENT_FORMS)
  form?: SecondmentForm;

  @ApiPropertyOptional({
    description: "The region's sponsor (Träger) the teacher is assigned to; with form zuweisung only",
    example: 'Bildungsregion Süd e. V.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sponsor?: string;

  @ApiPropertyOptional({
    type: WrittenActDto,
    description: "The Kommune's written consent to the choice of coordinator, when already given",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WrittenActDto)
  kommuneConsent?: WrittenActDto;
}

export class SecondmentDecisionDto extends WrittenActDto {
  @ApiProperty({ enum: ['extend', 'end'] })
  @IsIn(['extend', 'end'])
  decision!: 'extend' | 'end';

  @ApiPropertyOptional({ description: 'New last day (extend only)', example: '2023-07-31' })
  @IsOptional()
  @IsCalendarDay()
  until?: string;

  @ApiPropertyOptional({ description: 'Weekly hours from the extension on; unchanged when omitted' })
  @IsOptional()
  @IsNumber()
  @Max(HOURS_IN_A_WEEK)
  weeklyHours?: number;

  @ApiPropertyOptional({ description: 'Regular weekly hours from the extension on; unchanged when omitted' })
  @IsOptional()
  @IsNumber()
  @Max(HOURS_IN_A_WEEK)
  regularWeeklyHours?: number;

  @ApiPropertyOptional({
    description: 'Why the extension takes more than half of the regular hours; the current reason is kept when omitted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  hoursReason?: string;
}

export class CoordinatorQualificationDto extends WrittenActDto {
  @ApiProperty({
    description: 'The qualification whose costs the Land bears',
    example: 'Qualifizierung Bildungskoordination 2025/26',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  course!: string;
}

export class SchoolAuthorityRepresentativeDto extends WrittenActDto {
  @ApiProperty({
    description: 'The representative the school authority (NLSchB) names to the steering committee',
    example: 'Dr. Eva Brandt',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;
}

/** What the Kommune puts into the regional office at its own cost; amounts in euros per year. */
export class KommuneResourcesDto extends WrittenActDto {
  @ApiProperty({
    description: 'Staff of the regional office paid by the Kommune, in full-time equivalents',
    example: 2.5,
  })
  @IsNumber()
  officeStaffFte!: number;

  @ApiPropertyOptional({ description: 'Material costs of the regional office, euros per year', example: 18000 })
  @IsOptional()
  @IsNumber()
  officeMaterialEuroPerYear?: number;

  @ApiPropertyOptional({
    description: "The coordinator's material administrative expenses the Kommune bears, euros per year",
    example: 3000,
  })
  @IsOptional()
  @IsNumber()
  coordinatorExpensesEuroPerYear?: number;

  @ApiPropertyOptional({ example: 'Haushaltsbeschluss 2026' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class DeadlinesQuery {
  @ApiPropertyOptional({ enum: DEADLINE_KINDS })
  @IsOptional()
  @IsIn(DEADLINE_KINDS)
  kind?: DeadlineKind;

  @ApiPropertyOptional({ description: 'Only deadlines on or before this day', example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDay()
  until?: string;
}

/** The notice calculator's question: when a notice received on a day takes effect, and by when to give one for a day. */
export class NoticeCalculatorQuery {
  @ApiPropertyOptional({
    description: 'A notice received on this day: when does it take effect?',
    example: '2026-07-01',
  })
  @IsOptional()
  @IsCalendarDay()
  receivedOn?: string;

  @ApiPropertyOptional({
    description: 'A 30 June or 31 December: what is the last day to give notice for it?',
    example: '2027-06-30',
  })
  @IsOptional()
  @IsCalendarDay()
  effectiveOn?: string;
}
