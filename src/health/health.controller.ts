import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/problem.responses.js';
import { HealthService } from './health.service.js';
import { HealthResponse } from './health.responses.js';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 while the database takes writes (status ok, or degraded when timers or mail fall behind: that is the whole
   * cluster's matter, not this process's); 503 when it does not, so that a load balancer stops sending requests here.
   */
  @Get()
  @ApiOperation({
    summary:
      'Database writable (a real write), timers and mail keeping up, outbox backlog; 503 when the database refuses writes',
  })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database takes no writes' })
  @ApiProblems()
  async getHealth(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const report = await this.health.report();
    if (report.status === 'down') response.status(503);
    return report;
  }
}
