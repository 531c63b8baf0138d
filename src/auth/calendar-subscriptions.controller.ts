import { Body, Controller, Delete, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiCalendarFeed } from '../common/calendar-feed.responses.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import { answerFeed } from '../qualification/calendar.js';
import { Allow, Public } from './auth.decorators.js';
import { CreateCalendarSubscriptionDto } from './auth.dto.js';
import { CalendarSubscriptionResponse, NewCalendarSubscriptionResponse } from './auth.responses.js';
import { CalendarSubscriptionsService } from './calendar-subscriptions.service.js';
import type { SignedInActor } from './policy.js';

@ApiTags('calendar subscriptions')
@Controller()
export class CalendarSubscriptionsController {
  constructor(private readonly subscriptions: CalendarSubscriptionsService) {}

  @Post('calendar-subscriptions')
  @Allow('calendar-subscriptions')
  @ApiOperation({
    summary:
      "A secret feed URL (path) for a calendar app: your own events (participant) or a group's (groupId; institute, its moderators). Shown once.",
  })
  @ApiCreatedResponse({ type: NewCalendarSubscriptionResponse })
  @ApiWriteProblems(404)
  createCalendarSubscription(
    @CurrentActor() actor: SignedInActor,
    @Body() body: CreateCalendarSubscriptionDto,
  ): Promise<NewCalendarSubscriptionResponse> {
    return this.subscriptions.create(actor, body.groupId);
  }

  @Get('calendar-subscriptions')
  @Allow('calendar-subscriptions')
  @ApiOperation({ summary: 'Your calendar subscriptions (without their secret URLs)' })
  @ApiOkResponse({ type: [CalendarSubscriptionResponse] })
  @ApiProblems()
  listCalendarSubscriptions(@CurrentActor() actor: SignedInActor): Promise<CalendarSubscriptionResponse[]> {
    return this.subscriptions.list(actor);
  }

  @Delete('calendar-subscriptions/:id')
  @Allow('calendar-subscriptions')
  @ApiOperation({ summary: 'Revoke a subscription: its URL answers 404 from now on' })
  @ApiOkResponse({
    type: CalendarSubscriptionResponse,
    description: 'The subscription, revoked (also when it already was)',
  })
  @ApiProblems(404)
  revokeCalendarSubscription(
    @CurrentActor() actor: SignedInActor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<CalendarSubscriptionResponse> {
    return this.subscriptions.revoke(actor, id);
  }

  @Get('calendar/:file')
  @Public()
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({
    summary:
      'The iCalendar feed behind a secret subscription URL (no other credentials; ETag, 304 when If-None-Match names it)',
  })
  @ApiCalendarFeed()
  @ApiProblems(404)
  async getCalendarFeed(
    @Param('file') file: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return answerFeed(request, response, await this.subscriptions.feed(file));
  }
}
