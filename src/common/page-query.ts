import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Paging of every list endpoint. Both numbers are bounded so that `(page - 1) * pageSize` is a safe integer and a
 * valid OFFSET on SQLite and PostgreSQL: `page=1e300` is a whole number to JavaScript, and would otherwise reach the
 * database as a float (SQLite: "datatype mismatch", a 500).
 */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize: number = 50;
}
