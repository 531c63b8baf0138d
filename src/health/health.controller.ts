import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { DataSource } from 'typeorm';
import { Clock } from '../engine/clock.js';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Up when the database answers. */
  @Get()
  async health(): Promise<{ status: string; database: string; now: string }> {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok', database: this.dataSource.options.type, now: this.clock.now().toISOString() };
  }
}
