import { ApiProperty } from '@nestjs/swagger';
import type { OutboxStatus } from '../engine/persistence/entities.js';
import { NOTIFICATION_STATUSES, type NotificationView } from './notifications.dto.js';

/** One outbox message as operators see it (NotificationView): what, to whom, and how delivery went. */
export class NotificationResponse implements NotificationView {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'Unique per effect: <instance>:<effect key>' }) key!: string;
  @ApiProperty({ example: 'mail' }) kind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) instanceId!: string | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, description: '`failed`: dead-lettered, waiting to be re-sent' })
  status!: OutboxStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, example: 'contract-review/review-due' }) template!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The recipient's address (mail)" }) recipient!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Pending: when the next attempt may start; sending: when its claim expires',
  })
  nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
}

export class NotificationPageResponse {
  @ApiProperty({ description: 'Messages matching the filter, on all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
}
