import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { ExportFormat } from './exports.service.js';

/** The file type, as the path's extension: `.csv` (German Excel) or `.xlsx`. */
export class ExportFormatParams {
  @ApiProperty({
    enum: ['csv', 'xlsx'],
    description: 'csv: UTF-8 with BOM, `;`, days DD.MM.YYYY; xlsx: real date cells',
  })
  @IsIn(['csv', 'xlsx'], { message: 'format must be csv or xlsx' })
  format!: ExportFormat;
}

export class AttendanceExportQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this group (default: every group the caller may see)' })
  @IsOptional()
  @IsUUID()
  groupId?: string;
}
