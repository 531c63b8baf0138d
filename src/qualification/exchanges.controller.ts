import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { AlumniService } from './alumni.service.js';
import { AnswerInvitationDto, ScheduleExchangeDto } from './dtos.js';
import { ExchangeResponse, InvitationAnswerResponse } from './responses.js';

@ApiTags('qualification: annual exchange')
@Controller()
export class ExchangesController {
  constructor(private readonly alumni: AlumniService) {}

  @Post('exchanges')
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'scheduleExchange',
    summary: "Institute: schedule this year's exchange; every alumni tandem is invited",
  })
  @ApiCreatedResponse({ type: ExchangeResponse })
  @ApiWriteProblems(409, 422)
  @Allow('exchanges:schedule')
  schedule(@CurrentActor() actor: Actor, @Body() body: ScheduleExchangeDto, @IdempotencyKey() key?: string) {
    return this.alumni.schedule(actor, body, key);
  }

  @Get('exchanges')
  @ApiOperation({
    operationId: 'listExchanges',
    summary: 'The exchanges with how many alumni tandems were invited, accepted, declined',
  })
  @ApiOkResponse({ type: [ExchangeResponse] })
  @ApiProblems()
  @Allow('exchanges:read')
  list(@CurrentActor() actor: Actor) {
    return this.alumni.list(actor);
  }

  @Post('exchange-invitations/:id/answer')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'answerExchangeInvitation',
    summary: 'A member of the invited tandem (or its district): accept or decline',
  })
  @ApiOkResponse({ type: InvitationAnswerResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('exchanges:answer')
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AnswerInvitationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.alumni.answer(actor, id, body, key);
  }
}
