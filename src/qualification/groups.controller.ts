import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiCalendarFeed } from '../common/calendar-feed.responses.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { answerFeed } from './calendar.js';
import {
  AddEventDto,
  AssignModeratorTandemDto,
  CancelEventDto,
  ChangeEventDto,
  CreateGroupDto,
  CreateModeratorTandemDto,
  EvaluateEventDto,
  RecordAttendanceDto,
  SetCurriculumDto,
} from './dtos.js';
import { GroupsService } from './groups.service.js';
import { ParticipantsService } from './participants.service.js';
import {
  AttendanceResponse,
  ClosedReflectionPhaseResponse,
  EvaluationResultsResponse,
  EventEvaluationResponse,
  GroupResponse,
  ModeratorTandemResponse,
  OverviewResponse,
} from './responses.js';

const uuid = new ParseUUIDPipe();

@ApiTags('qualification: groups and events')
@Controller()
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly participants: ParticipantsService,
  ) {}

  @Post('moderator-tandems')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Ministry or institute: appoint a moderator tandem' })
  @ApiCreatedResponse({ type: ModeratorTandemResponse })
  @ApiWriteProblems(422)
  @Allow('moderators:appoint')
  createModeratorTandem(
    @CurrentActor() actor: Actor,
    @Body() body: CreateModeratorTandemDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.createModeratorTandem(actor, body, key);
  }

  @Post('groups')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Institute: form a qualification group (capacity default 8 tandems)' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiWriteProblems(404)
  @Allow('groups:write')
  createGroup(@CurrentActor() actor: Actor, @Body() body: CreateGroupDto, @IdempotencyKey() key?: string) {
    return this.groups.createGroup(actor, body, key);
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups (a moderator sees its own)' })
  @ApiOkResponse({ type: [GroupResponse] })
  @ApiProblems()
  @Allow('groups:read')
  listGroups(@CurrentActor() actor: Actor) {
    return this.groups.listGroups(actor);
  }

  @Get('groups/:id')
  @ApiOperation({ summary: 'One group: moderators, events, reflection phases, seated tandems and waiting list' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiProblems(404)
  @Allow('groups:read')
  getGroup(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.getGroup(actor, id);
  }

  @Post('groups/:id/curriculum')
  @IdempotencyHeader()
  @ApiOperation({
    summary:
      "Institute: schedule the group's events (three core modules, at most 64 hours); reflection phases between them",
  })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('groups:write')
  setCurriculum(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: SetCurriculumDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.setCurriculum(actor, id, body, key);
  }

  @Post('groups/:id/events')
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'addGroupEvent',
    summary: "Institute: add an event to the group's curriculum, with a reason (members and moderators are told)",
  })
  @ApiCreatedResponse({ type: GroupResponse, description: 'The group with the new event' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  addEvent(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AddEventDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.addEvent(actor, id, body, key);
  }

  @Put('groups/:id/moderator-tandem')
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'assignModeratorTandem',
    summary: 'Institute: assign a moderator tandem the ministry appointed to the group',
  })
  @ApiOkResponse({ type: GroupResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('moderators:assign')
  assignModeratorTandem(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AssignModeratorTandemDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.assignModeratorTandem(actor, id, body, key);
  }

  @Post('events/:id/changes')
  @HttpCode(200)
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'changeEvent',
    summary:
      'Institute: move an event (days, start time, place) before it begins, with a reason; reminders follow, members and moderators are told',
  })
  @ApiOkResponse({ type: GroupResponse, description: "The event's group with the event as moved" })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  changeEvent(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ChangeEventDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.changeEvent(actor, id, body, key);
  }

  @Post('events/:id/cancellation')
  @HttpCode(200)
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'cancelEvent',
    summary: 'Institute: cancel an event before it begins, with a reason; members and moderators are told',
  })
  @ApiOkResponse({ type: GroupResponse, description: "The event's group; the event stays in it as cancelled" })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  cancelEvent(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CancelEventDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.cancelEvent(actor, id, body, key);
  }

  @Get('groups/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({
    operationId: 'getGroupCalendar',
    summary: "iCalendar feed of the group's events (ETag; 304 when If-None-Match names it)",
  })
  @ApiCalendarFeed()
  @ApiProblems(404)
  @Allow('group-calendar:read')
  async groupCalendar(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerFeed(request, response, await this.participants.groupCalendar(actor, id));
  }

  @Post('events/:id/attendance')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ summary: "Institute or the group's moderator: record attendance (also make-ups from other groups)" })
  @ApiOkResponse({ type: AttendanceResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('attendance:write')
  recordAttendance(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: RecordAttendanceDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.recordAttendance(actor, id, body, key);
  }

  @Get('events/:id/attendance')
  @ApiOperation({ operationId: 'getAttendance', summary: 'The attendance recorded for an event' })
  @ApiOkResponse({ type: AttendanceResponse })
  @ApiProblems(404)
  @Allow('attendance:read')
  attendance(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.attendance(actor, id);
  }

  @Post('events/:id/evaluations')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'evaluateEvent', summary: 'Participant who attended: evaluate the event (1-5)' })
  @ApiCreatedResponse({ type: EventEvaluationResponse })
  @ApiWriteProblems(404, 422)
  @Allow('evaluations:write')
  evaluate(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: EvaluateEventDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.groups.evaluate(actor, id, body, key);
  }

  @Get('events/:id/evaluations')
  @ApiOperation({ operationId: 'getEvaluationResults', summary: 'Evaluation results of an event (anonymous)' })
  @ApiOkResponse({ type: EvaluationResultsResponse })
  @ApiProblems(404)
  @Allow('evaluations:read')
  evaluations(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.evaluationResults(actor, id);
  }

  @Post('reflection-phases/:id/closure')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ summary: 'Moderator of the group or institute: close a reflection phase' })
  @ApiOkResponse({ type: ClosedReflectionPhaseResponse })
  @ApiProblems(404, 409, 422)
  @Allow('reflection-phases:close')
  closeReflectionPhase(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.groups.closeReflectionPhase(actor, id, key);
  }

  @Get('overview')
  @ApiOperation({
    operationId: 'getOverview',
    summary: 'Institute or ministry: statewide overview, seats per district proportional to need',
  })
  @ApiOkResponse({ type: OverviewResponse })
  @ApiProblems()
  @Allow('overview:read')
  overview(@CurrentActor() actor: Actor) {
    return this.groups.overview(actor);
  }
}
