/** HTTP endpoints of the exchange's evaluation, its participants': decorators and one service call each. */
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { EvaluateExchangeDto } from './dtos.js';
import { ExchangeEvaluationResponse, ExchangeEvaluationResultsResponse } from './evaluation.responses.js';
import { ExchangeEvaluationsService } from './exchange-evaluations.service.js';

const uuid = new ParseUUIDPipe();

@ApiTags('qualification: annual exchange')
@Controller('exchanges')
export class ExchangeEvaluationsController {
  constructor(private readonly evaluations: ExchangeEvaluationsService) {}

  @Post(':id/evaluations')
  @ApiOperation({
    operationId: 'evaluateExchange',
    summary: 'Member of a tandem that accepted: evaluate the exchange (1-5), from its day on, once',
  })
  @ApiCreatedResponse({ type: ExchangeEvaluationResponse })
  @ApiWriteProblems(404, 422)
  @Allow('exchange-evaluations:write')
  evaluate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: EvaluateExchangeDto) {
    return this.evaluations.evaluate(actor, id, body);
  }

  @Get(':id/evaluations')
  @ApiOperation({ operationId: 'getExchangeEvaluations', summary: 'Evaluation results of an exchange (anonymous)' })
  @ApiOkResponse({ type: ExchangeEvaluationResultsResponse })
  @ApiProblems(404)
  @Allow('exchange-evaluations:read')
  results(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.evaluations.results(actor, id);
  }
}
