import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/problem.responses.js';
import { AuditLog } from './audit-log.js';
import { AuditQuery } from './audit.dto.js';
import { AuditPageResponse } from './audit.responses.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Allow('audit:read')
  @ApiOperation({
    operationId: 'listAuditLog',
    summary: 'Ministry: the audit log, oldest first, by person (about or by them), period (calendar days) and action',
  })
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiProblems(422)
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }
}
