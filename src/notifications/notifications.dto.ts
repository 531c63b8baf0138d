import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import type { OutboxStatus } from '../engine/persistence/entities.js';

export const NOTIFICATION_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];

export class ListNotificationsQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, description: '`failed`: dead-lettered, waiting to be re-sent' })
  @IsOptional() @IsIn(NOTIFICATION_STATUSES, { message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ example: 'mail' }) @IsOptional() @IsString()
  kind?: string;

  @ApiPropertyOptional({ description: 'Workflow instance id' }) @IsOptional() @IsUUID()
  instance?: string;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  pageSize: number = 50;
}

/** One outbox message as operators see it: what, to whom, and how delivery went. */
export interface NotificationView {
  id: number;
  key: string;
  kind: string;
  instanceId: string | null;
  status: OutboxStatus;
  attempts: number;
  template: string | null;
  recipient: string | null;
  lastError: string | null;
  /** Pending: when the next attempt may start; sending: when its claim expires. */
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}
