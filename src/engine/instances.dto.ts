import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class CreateInstanceDto {
  @ApiProperty({ example: 'sample-deadline' })
  @IsString() @Matches(/^[a-z][a-z0-9-]*$/)
  definition!: string;

  @ApiPropertyOptional({ description: 'Definition version; the newest when omitted' })
  @IsOptional() @IsInt() @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Input of the machine (its initial context)', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  input?: Record<string, unknown>;
}

export class SendEventDto {
  @ApiProperty({ example: 'APPROVE' })
  @IsString() @Matches(/^[A-Za-z][A-Za-z0-9_.-]*$/)
  type!: string;

  @ApiPropertyOptional({ description: 'Event data', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  payload?: Record<string, unknown>;
}

export class MigrateInstanceDto {
  @ApiProperty()
  @IsInt() @Min(1)
  toVersion!: number;
}

export class ListInstancesQuery {
  @ApiPropertyOptional() @IsOptional() @IsString()
  definition?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'State, matching its sub-states too' }) @IsOptional() @IsString()
  state?: string;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  pageSize: number = 50;
}
