import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCalendarDay } from '../common/is-calendar-day.js';
import { PageQuery } from '../common/page-query.js';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Rows about this person (whose data was read or changed) or done by them: a person id or an actor id',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  person?: string;

  @ApiPropertyOptional({
    description: 'First calendar day of the period (in TIME_ZONE), included',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({
    description: 'Last calendar day of the period (in TIME_ZONE), included',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsCalendarDay()
  to?: string;

  @ApiPropertyOptional({ example: 'personal-data.read' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z-]+\.[a-z-]+$/, { message: 'action is written like person.corrected' })
  action?: string;
}
