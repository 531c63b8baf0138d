import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../common/page-query.js';
import type { OutboxStatus } from '../engine/persistence/entities.js';

export const NOTIFICATION_STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, description: '`failed`: dead-lettered, waiting to be re-sent' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES, { message: `status must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ example: 'mail' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  kind?: string;

  @ApiPropertyOptional({ description: 'Workflow instance id' })
  @IsOptional()
  @IsUUID()
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

/** A calendar day (read in the configured time zone) or an instant with its offset. */
const DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_OR_INSTANT_MESSAGE = 'must be a calendar day (YYYY-MM-DD) or an instant with offset (2026-03-12T07:00:00Z)';

/** Which dead letters to re-send at once: every filter given must match; none given means all of them. */
export class ResendDeadLettersBody {
  @ApiPropertyOptional({ example: 'mail' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  kind?: string;

  @ApiPropertyOptional({ description: 'Workflow instance id' })
  @IsOptional()
  @IsUUID()
  instance?: string;

  @ApiPropertyOptional({
    example: '2026-03-13',
    description: 'Queued at or after this day (00:00 in the configured zone) or instant',
  })
  @IsOptional()
  @Matches(DAY_OR_INSTANT, { message: `queuedFrom ${DAY_OR_INSTANT_MESSAGE}` })
  queuedFrom?: string;

  @ApiPropertyOptional({
    example: '2026-03-16',
    description: 'Queued before this day (00:00 in the configured zone) or instant',
  })
  @IsOptional()
  @Matches(DAY_OR_INSTANT, { message: `queuedBefore ${DAY_OR_INSTANT_MESSAGE}` })
  queuedBefore?: string;
}

export class ResendDeadLettersResult {
  @ApiProperty({ description: 'How many dead letters went back into the queue with fresh attempts' })
  requeued!: number;
}
