import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { ListNotificationsQuery, ResendDeadLettersBody, ResendDeadLettersResult } from './notifications.dto.js';
import { NotificationPageResponse, NotificationResponse } from './notifications.responses.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Outbox messages by status, kind and instance, in pages; status=failed lists the dead letters',
  })
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiProblems()
  @Allow('notifications:read')
  listNotifications(
    @Query() query: ListNotificationsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationPageResponse> {
    return this.notifications.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One outbox message and how its delivery went' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiProblems(404)
  @Allow('notifications:read')
  getNotification(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor): Promise<NotificationResponse> {
    return this.notifications.get(id, actor);
  }

  @Post('resend')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Re-queue every dead-lettered (failed) message matching kind, instance and queuing period, with fresh attempts',
  })
  @ApiOkResponse({ type: ResendDeadLettersResult })
  @ApiWriteProblems(403, 422)
  @Allow('notifications:resend-all')
  resendDeadLetters(
    @Body() body: ResendDeadLettersBody,
    @CurrentActor() actor: Actor,
  ): Promise<ResendDeadLettersResult> {
    return this.notifications.resendDeadLetters(body, actor);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-queue a dead-lettered (failed) message with fresh attempts; 422 for any other status' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiProblems(404, 422)
  @Allow('notifications:resend')
  resendNotification(
    @Param('id', ParseIntPipe) id: number,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationResponse> {
    return this.notifications.resend(id, actor);
  }
}
