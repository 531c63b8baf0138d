import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../common/page-query.js';
import type { OutboxStatus } from '../engine/persistence/entities.js';

export const NOTIFICATION_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, description: '`failed`: dead-lettered, waiting to be re-sent' })
  @IsOptional() @IsIn(NOTIFICATION_STATUSES, { message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ example: 'mail' }) @IsOptional() @IsString() @MaxLength(50)
  kind?: string;

  @ApiPropertyOptional({ description: 'Workflow instance id' }) @IsOptional() @IsUUID()
  instance?: string;
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
