/** Request bodies of the qualification API, validated at the edge (unknown fields are refused). */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COUNCIL_OUTCOMES, type CouncilOutcome } from '../../workflows/tandem-qualification/model.js';
import { IsCalendarDay } from '../common/is-calendar-day.js';

export class CreateSchoolOfficeDto {
  @ApiProperty({ example: 'Schulamt für die Stadt Köln' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'koeln', description: 'District code; a district may only give its own' })
  @IsString()
  @MaxLength(20)
  districtId!: string;
}

export class CreateNetworkDto {
  @ApiProperty({ example: 'Regionales Bildungsnetzwerk Stadt Köln' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'koeln' })
  @IsString()
  @MaxLength(20)
  districtId!: string;
}

export class CreatePersonDto {
  @ApiProperty({ example: 'Dr. Anna Beispiel' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'anna.beispiel@example.org', maxLength: 200 })
  @IsEmail()
  @MaxLength(200)
  email!: string;

  @ApiPropertyOptional({ enum: ['de', 'en'], default: 'de' })
  @IsOptional()
  @IsIn(['de', 'en'])
  language?: 'de' | 'en';

  @ApiPropertyOptional({
    enum: ['lower', 'upper'],
    description: 'untere (Schulamt) or obere Schulaufsicht (Bezirksregierung); none for moderators',
  })
  @IsOptional()
  @IsIn(['lower', 'upper'])
  supervision?: 'lower' | 'upper';

  @ApiPropertyOptional({ example: 'koeln' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  districtId?: string;

  @ApiPropertyOptional({ description: 'The Schulamt of a lower-supervision official' })
  @IsOptional()
  @IsUUID()
  schoolOfficeId?: string;

  @ApiPropertyOptional({ example: 'Bezirksregierung Köln, Dezernat 41' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  office?: string;
}

export class CreateTandemDto {
  @ApiProperty()
  @IsUUID()
  networkId!: string;

  @ApiProperty({ description: 'Member from the lower school supervision' })
  @IsUUID()
  lowerMemberId!: string;

  @ApiProperty({ description: 'Member from the upper school supervision' })
  @IsUUID()
  upperMemberId!: string;
}

export class ChangeMemberDto {
  @ApiProperty()
  @IsUUID()
  leavingPersonId!: string;

  @ApiProperty()
  @IsUUID()
  joiningPersonId!: string;

  @ApiPropertyOptional({
    description:
      'Given: the enrolment continues with the new member (exemption from re-formation). Absent: re-formation.',
  })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  exemptionReason?: string;
}

export class RegisterEnrolmentDto {
  @ApiProperty()
  @IsUUID()
  tandemId!: string;
}

export class RecordInvolvementDto {
  @ApiProperty({
    enum: ['staff-council', 'equal-opportunities'],
    description: 'LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16 / LGG NRW § 11 Abs. 1',
  })
  @IsIn(['staff-council', 'equal-opportunities'])
  body!: 'staff-council' | 'equal-opportunities';

  @ApiProperty({
    example: '2026-01-12',
    description: 'The day of the outcome (staff council) or of the involvement (equal-opportunities officer)',
  })
  @IsCalendarDay()
  on!: string;

  @ApiPropertyOptional({
    enum: COUNCIL_OUTCOMES,
    description:
      'Staff council only, and required there: consent, refusal, or consent deemed given after the statutory period. A refusal blocks submission.',
  })
  @ValidateIf((o: RecordInvolvementDto) => o.body === 'staff-council' || o.outcome !== undefined)
  @IsIn(COUNCIL_OUTCOMES)
  outcome?: CouncilOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class PlaceEnrolmentDto {
  @ApiProperty()
  @IsUUID()
  groupId!: string;
}

export class WithdrawDto {
  @ApiProperty({ example: 'Wechsel in eine andere Funktion' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class CreateModeratorTandemDto {
  @ApiProperty()
  @IsUUID()
  firstMemberId!: string;

  @ApiProperty()
  @IsUUID()
  secondMemberId!: string;
}

export class CreateGroupDto {
  @ApiProperty({ example: 'Gruppe West 2026' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ default: 8, description: 'Maximum number of tandems' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  capacity?: number;

  @ApiProperty()
  @IsUUID()
  moderatorTandemId!: string;
}

export class CurriculumEventDto {
  @ApiProperty({
    example: 'tandem-team',
    description: 'Core modules: tandem-team, regional-education-management, cooperation-interfaces',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  module!: string;

  @ApiPropertyOptional({
    example: 'Datengestützte Steuerung',
    description:
      "The module's title on certificates and in calendars; needed for modules other than the three core modules",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({
    example: 'Data-informed steering',
    description: 'The English title (certificates and mail in English); the German one when absent',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  titleEn?: string;

  @ApiProperty({ example: ['2026-03-02', '2026-03-03'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsCalendarDay({ each: true })
  days!: string[];

  @ApiPropertyOptional({ example: '09:00', default: '09:00' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:mm' })
  startTime?: string;

  @ApiProperty({ example: 16 })
  @IsInt()
  @Min(1)
  @Max(80)
  hours!: number;

  @ApiProperty({ example: 'QUA-LiS NRW, Soest' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  place!: string;
}

/** Why an event changes: members and moderators are told. */
const Reason = () =>
  applyDecorators(
    ApiProperty({
      example: 'Raum nicht verfügbar; Ersatztermin abgestimmt',
      description: 'Told to members and moderators with the change',
    }),
    IsString(),
    MinLength(3),
    MaxLength(1000),
  );

export class AddEventDto extends CurriculumEventDto {
  @Reason()
  reason!: string;
}

export class ChangeEventDto {
  @ApiPropertyOptional({ example: ['2026-05-04', '2026-05-05'], description: 'New days; the event keeps its hours' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsCalendarDay({ each: true })
  days?: string[];

  @ApiPropertyOptional({ example: '10:00' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:mm' })
  startTime?: string;

  @ApiPropertyOptional({ example: 'Dortmund' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  place?: string;

  @Reason()
  reason!: string;
}

export class CancelEventDto {
  @Reason()
  reason!: string;
}

export class AssignModeratorTandemDto {
  @ApiProperty({ description: 'A moderator tandem the ministry appointed' })
  @IsUUID()
  moderatorTandemId!: string;
}

export class SetCurriculumDto {
  @ApiProperty({ type: [CurriculumEventDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CurriculumEventDto)
  events!: CurriculumEventDto[];

  @ApiPropertyOptional({ default: 7 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  reflectionDueDaysBeforeNextEvent?: number;
}

export class AttendanceEntryDto {
  @ApiProperty()
  @IsUUID()
  personId!: string;

  @ApiProperty()
  @IsBoolean()
  present!: boolean;
}

export class RecordAttendanceDto {
  @ApiProperty({ type: [AttendanceEntryDto], description: 'One entry per person' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique((entry: AttendanceEntryDto) => entry?.personId, { message: 'entries must name each person once' })
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryDto)
  entries!: AttendanceEntryDto[];
}

export class EvaluateEventDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class SetNeedDto {
  @ApiProperty({ description: 'Relative need for seats (e.g. number of networks waiting for a qualification)' })
  @IsInt()
  @Min(0)
  @Max(1000)
  need!: number;
}

export class ScheduleExchangeDto {
  @ApiProperty({ example: '2027-06-10' })
  @IsCalendarDay()
  on!: string;

  @ApiProperty({ example: 'Düsseldorf' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  place!: string;
}

export class AnswerInvitationDto {
  @ApiProperty()
  @IsBoolean()
  accept!: boolean;
}
