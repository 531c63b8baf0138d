import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDay } from '../common/is-calendar-day.js';

/** The year of a report or a meeting, in the path: four digits. */
export class YearParams {
  @ApiProperty({ example: '2026', description: 'The evaluation year, YYYY' })
  @Matches(/^(?!0000)\d{4}$/, { message: 'year must be a year YYYY' })
  year!: string;
}

export class ReportQuery {
  @ApiPropertyOptional({
    enum: ['de', 'en'],
    default: 'de',
    description: 'Language of the CSV or PDF (German unless English is asked for)',
  })
  @IsOptional()
  @IsIn(['de', 'en'])
  lang?: 'de' | 'en';
}

export class MeetingRecipientDto {
  @ApiProperty({ example: 'Dr. Jana Küpper' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jana.kuepper@msb.nrw.example' })
  @IsEmail()
  @MaxLength(200)
  email!: string;

  @ApiPropertyOptional({ enum: ['de', 'en'], default: 'de' })
  @IsOptional()
  @IsIn(['de', 'en'])
  language?: 'de' | 'en';
}

export class SetMeetingDto {
  @ApiProperty({ example: '2027-03-11', description: 'The day of the meeting: in the evaluation year or the next' })
  @IsCalendarDay()
  on!: string;

  @ApiPropertyOptional({ example: 'Düsseldorf, Völklinger Straße 49' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  place?: string;

  @ApiProperty({
    type: [MeetingRecipientDto],
    description: 'Who in the ministry is reminded (4 weeks and 1 week before), with the report attached',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique(
    (recipient: MeetingRecipientDto) =>
      typeof recipient?.email === 'string' ? recipient.email.toLowerCase() : recipient?.email,
    { message: 'recipients must name each address once' },
  )
  // ValidateNested passes a list inside the list: each recipient must be an object itself.
  @IsObject({ each: true, message: 'each recipient must be an object {name, email, language?}' })
  @ValidateNested({ each: true })
  @Type(() => MeetingRecipientDto)
  recipients!: MeetingRecipientDto[];
}

export class EvaluateExchangeDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 (poor) to 5 (very good), as for events' })
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
