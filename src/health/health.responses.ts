import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const CHECK_STATUSES = ['up', 'behind', 'down'];

export class DatabaseCheck {
  @ApiProperty({ enum: CHECK_STATUSES }) status!: 'up' | 'behind' | 'down';
  @ApiProperty({ description: 'A heartbeat row was written and committed just now' }) writable!: boolean;
  @ApiPropertyOptional({ description: 'Why the write failed' }) error?: string;
}

export class SchedulerCheck {
  @ApiProperty({ enum: CHECK_STATUSES }) status!: 'up' | 'behind' | 'down';
  @ApiPropertyOptional({ description: 'Pending timers already due' }) overdueTimers?: number;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) oldestOverdueSince?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) oldestOverdueSeconds?: number | null;
  @ApiProperty({ description: 'Behind once the oldest due timer waited longer than this' }) behindAfterSeconds!: number;
  @ApiPropertyOptional() error?: string;
}

export class OutboxCheck {
  @ApiProperty({ enum: CHECK_STATUSES }) status!: 'up' | 'behind' | 'down';
  @ApiPropertyOptional({ description: 'Messages not yet sent (pending or being sent)' }) unsent?: number;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) oldestUnsentSince?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) oldestUnsentSeconds?: number | null;
  @ApiPropertyOptional({ description: 'Dead-lettered messages waiting to be re-sent' }) deadLetters?: number;
  @ApiProperty({ description: 'Behind once the oldest unsent message waited longer than this' })
  behindAfterSeconds!: number;
  @ApiPropertyOptional() error?: string;
}

export class HealthChecks {
  @ApiProperty({ type: DatabaseCheck }) database!: DatabaseCheck;
  @ApiProperty({ type: SchedulerCheck }) scheduler!: SchedulerCheck;
  @ApiProperty({ type: OutboxCheck }) outbox!: OutboxCheck;
}

export class HealthResponse {
  @ApiProperty({
    enum: ['ok', 'degraded', 'down'],
    description: 'down (503): the database takes no writes; degraded: serving, but timers or mail are behind',
  })
  status!: 'ok' | 'degraded' | 'down';
  @ApiProperty({ format: 'date-time', description: 'The service clock' }) now!: string;
  @ApiProperty({ description: 'This process (host and pid)' }) process!: string;
  @ApiProperty({ description: 'The database type', enum: ['better-sqlite3', 'postgres'] }) database!: string;
  @ApiProperty({ type: HealthChecks }) checks!: HealthChecks;
}
