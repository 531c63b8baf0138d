import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

/** Versions and names are stored in columns of these sizes (integer, varchar(100)). */
const MAX_VERSION = 2_147_483_647;
const MAX_NAME = 100;

export class CreateInstanceDto {
  @ApiProperty({ example: 'sample-deadline' })
  @IsString()
  @MaxLength(MAX_NAME)
  @Matches(/^[a-z][a-z0-9-]*$/)
  definition!: string;

  @ApiPropertyOptional({ description: 'Definition version; the newest when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;

  @ApiPropertyOptional({
    description: 'Input of the machine (its initial context)',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;
}

export class SendEventDto {
  @ApiProperty({ example: 'APPROVE' })
  @IsString()
  @MaxLength(MAX_NAME)
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]*$/)
  type!: string;

  @ApiPropertyOptional({ description: 'Event data', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

export class MigrateInstanceDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  toVersion!: number;
}

export class ListInstancesQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  definition?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version?: number;

  @ApiPropertyOptional({ description: 'State, matching its sub-states too' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  state?: string;
}
