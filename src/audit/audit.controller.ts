import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { AuditLog } from './audit-log.js';
import { AuditQuery } from './audit.dto.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Allow('audit:read')
  @ApiOperation({ summary: 'Ministry: the audit log, oldest first, by person (about or by them), period (calendar days) and action' })
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }
}
