import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { DataSource } from 'typeorm';
import { ApiProblems } from '../common/problem.responses.js';
import { Clock } from '../engine/clock.js';
import { HealthResponse } from './health.responses.js';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Up when the database answers (public, for monitoring)' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiProblems()
  async getHealth(): Promise<HealthResponse> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok', database: this.dataSource.options.type, now: this.clock.now().toISOString() };
  }
}
