import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import type { Actor } from '../engine/workflow-engine.js';
import { ListNotificationsQuery } from './notifications.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Outbox messages by status, kind and instance, in pages; status=failed lists the dead letters' })
  @Allow('notifications:read')
  list(@Query() query: ListNotificationsQuery, @CurrentActor() actor: Actor) {
    return this.notifications.list(query, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One outbox message and how its delivery went' })
  @Allow('notifications:read')
  get(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.notifications.get(id, actor);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-queue a dead-lettered (failed) message with fresh attempts; 422 for any other status' })
  @Allow('notifications:resend')
  resend(@Param('id', ParseIntPipe) id: number, @CurrentActor() actor: Actor) {
    return this.notifications.resend(id, actor);
  }
}
