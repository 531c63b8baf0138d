import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { HealthService, type HealthReport } from './health.service.js';

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
  @ApiOperation({ summary: 'Database writable (a real write), timers and mail keeping up, outbox backlog; 503 when the database refuses writes' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'down') response.status(503);
    return report;
  }
}
