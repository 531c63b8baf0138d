import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsEmail, IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { KOMMUNE_KINDS, PARTNER_SIDES, type KommuneKind, type PartnerSide } from '../../workflows/contract-review/contract.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../workflows/contract-review/deadlines.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayMessage = { message: '$property must be a calendar day YYYY-MM-DD' };

export class KommuneDto {
  @ApiProperty({ example: 'Landkreis Heidekreis' })
  @IsString() @MinLength(2) @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: KOMMUNE_KINDS, description: 'Landkreis, kreisfreie Stadt, or an association across counties' })
  @IsIn(KOMMUNE_KINDS)
  kind!: KommuneKind;
}

export class ContractAdminDto {
  @ApiProperty({ description: 'The actor id this person signs in as (for a contract administrator: the user name)', example: 'mk-lange' })
  @IsString() @MinLength(1) @MaxLength(200)
  id!: string;

  @ApiProperty({ example: 'Petra Lange' })
  @IsString() @MinLength(2) @MaxLength(200)
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
  @IsString() @MinLength(2) @MaxLength(200)
  bildungsregion!: string;

  @ApiProperty({ type: KommuneDto })
  @ValidateNested() @Type(() => KommuneDto)
  kommune!: KommuneDto;

  @ApiProperty({ description: 'The steering committee (strategisch koordinierendes Gremium)', example: 'Lenkungsgruppe Bildungsregion Heidekreis' })
  @IsString() @MinLength(2) @MaxLength(200)
  steeringCommittee!: string;

  @ApiProperty({ description: 'The regional office (Geschäftsstelle / Bildungsbüro)', example: 'Bildungsbüro Heidekreis' })
  @IsString() @MinLength(2) @MaxLength(200)
  regionalOffice!: string;

  @ApiProperty({ description: 'Start of the cooperation', example: '2017-08-01' })
  @Matches(DAY, dayMessage)
  startsOn!: string;

  @ApiProperty({ description: 'Day the signed contract was received', example: '2017-07-10' })
  @Matches(DAY, dayMessage)
  signedOn!: string;

  @ApiProperty({ description: 'Reference of the signed contract', example: 'MK-31-2017-07' })
  @IsString() @MinLength(1) @MaxLength(200)
  reference!: string;

  @ApiProperty({ type: [ContractAdminDto], description: 'Contract administrators of both partners; they receive the reminders' })
  @ValidateNested({ each: true }) @Type(() => ContractAdminDto) @ArrayMinSize(2)
  admins!: ContractAdminDto[];
}

/**
 * A written act: the letter's reference and the day it was received. Both are optional here on purpose: a missing
 * one is refused by the rule `in-writing` (422), which says what the contract requires.
 */
export class WrittenActDto {
  @ApiPropertyOptional({ description: 'Day the letter was received', example: '2024-03-15' })
  @IsOptional() @Matches(DAY, dayMessage)
  receivedOn?: string;

  @ApiPropertyOptional({ description: 'Reference of the letter', example: 'MK-31-2024-011' })
  @IsOptional() @IsString() @MaxLength(200)
  reference?: string;
}

export class EvaluationDto extends WrittenActDto {
  @ApiPropertyOptional({ description: 'Findings of the evaluation and impact review' })
  @IsOptional() @IsString() @MaxLength(4000)
  summary?: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['continue', 'discontinue'], description: 'discontinue ends the contract like an ordinary notice given on the decision day' })
  @IsIn(['continue', 'discontinue'])
  decision!: 'continue' | 'discontinue';

  @ApiPropertyOptional({ description: 'Day of the joint decision', example: '2020-06-15' })
  @IsOptional() @Matches(DAY, dayMessage)
  decidedOn?: string;

  @ApiPropertyOptional({ description: 'Reference of the written decision' })
  @IsOptional() @IsString() @MaxLength(200)
  reference?: string;
}

export class ExtraordinaryTerminationDto extends WrittenActDto {
  @ApiPropertyOptional({ description: 'Why the other partner no longer fulfils its obligations', example: 'Haushaltssperre 2025' })
  @IsOptional() @IsString() @MaxLength(4000)
  reason?: string;
}

export class AmendmentProposalDto extends WrittenActDto {
  @ApiProperty({ example: 'Zweite Bildungskoordination ab 2019' })
  @IsString() @MinLength(2) @MaxLength(500)
  title!: string;
}

export class SecondmentDto extends WrittenActDto {
  @ApiProperty({ description: 'The seconded teacher (Bildungskoordinator/-in)', example: 'Jana Voss' })
  @IsString() @MinLength(2) @MaxLength(200)
  coordinator!: string;

  @ApiProperty({ example: '2017-08-01' })
  @Matches(DAY, dayMessage)
  from!: string;

  @ApiPropertyOptional({ description: 'Last day; three years when omitted', example: '2020-07-31' })
  @IsOptional() @Matches(DAY, dayMessage)
  until?: string;

  @ApiProperty({ description: 'Weekly hours seconded; at most half of the regular hours', example: 12.5 })
  @IsNumber()
  weeklyHours!: number;

  @ApiProperty({ description: 'The teacher\'s regular weekly teaching hours (Regelstundenzahl)', example: 25 })
  @IsNumber()
  regularWeeklyHours!: number;
}

export class SecondmentDecisionDto extends WrittenActDto {
  @ApiProperty({ enum: ['extend', 'end'] })
  @IsIn(['extend', 'end'])
  decision!: 'extend' | 'end';

  @ApiPropertyOptional({ description: 'New last day (extend only)', example: '2023-07-31' })
  @IsOptional() @Matches(DAY, dayMessage)
  until?: string;

  @ApiPropertyOptional({ description: 'Weekly hours from the extension on; unchanged when omitted' })
  @IsOptional() @IsNumber()
  weeklyHours?: number;

  @ApiPropertyOptional({ description: 'Regular weekly hours from the extension on; unchanged when omitted' })
  @IsOptional() @IsNumber()
  regularWeeklyHours?: number;
}

export class DeadlinesQuery {
  @ApiPropertyOptional({ enum: DEADLINE_KINDS })
  @IsOptional() @IsIn(DEADLINE_KINDS)
  kind?: DeadlineKind;

  @ApiPropertyOptional({ description: 'Only deadlines on or before this day', example: '2026-12-31' })
  @IsOptional() @Matches(DAY, dayMessage)
  until?: string;
}
