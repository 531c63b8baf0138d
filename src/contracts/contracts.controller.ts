import { applyDecorators, Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../common/actor.decorator.js';
import type { Actor } from '../engine/workflow-engine.js';
import {
  AmendmentProposalDto, CreateContractDto, DeadlinesQuery, EvaluationDto, ExtraordinaryTerminationDto, ReviewDecisionDto, SecondmentDecisionDto,
  SecondmentDto, WrittenActDto,
} from './contracts.dto.js';
import { ContractsService } from './contracts.service.js';

const Caller = () => applyDecorators(
  ApiHeader({ name: 'X-Actor-Id', required: true, description: 'The contract administrator acting; decides the partner they act for' }),
  ApiHeader({ name: 'X-Actor-Role', required: true, description: 'contract_admin' }),
);
const Refusals = 'Refused with application/problem+json naming the rule: 422 rule broken, 409 conflicts with the record, 403 not an administrator of this contract.';
const ContractId = () => Param('id', new ParseUUIDPipe());
const Idempotent = () => ApiHeader({
  name: 'Idempotency-Key', required: false,
  description: 'A repeat of the same request under the same key returns the first answer and writes nothing; another request under a used key is refused (422 idempotency-key-reused)',
});
const IdempotencyKey = () => Headers('idempotency-key');

@ApiTags('contracts (Bildungsregion Niedersachsen)')
@Caller()
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Create a cooperation contract between the Land and a Kommune; its first review is due three years after the start' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateContractDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.create(actor, body, idempotencyKey);
  }

  @Get('deadlines')
  @ApiOperation({ summary: 'Open deadlines of all contracts in the state, soonest first, optionally of one kind' })
  deadlines(@CurrentActor() actor: Actor, @Query() query: DeadlinesQuery) {
    return this.contracts.deadlines(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contract with what is due next, and by when' })
  get(@CurrentActor() actor: Actor, @ContractId() id: string) {
    return this.contracts.get(actor, id);
  }

  @Post(':id/evaluations')
  @Idempotent()
  @ApiOperation({ summary: 'Record the evaluation and impact review of the current cycle', description: Refusals })
  recordEvaluation(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: EvaluationDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordEvaluation(actor, id, body, idempotencyKey);
  }

  @Post(':id/review-decisions')
  @Idempotent()
  @ApiOperation({ summary: 'Decide the review: continue for three more years, or discontinue (ends like a notice given that day)', description: Refusals })
  decideReview(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: ReviewDecisionDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.decideReview(actor, id, body, idempotencyKey);
  }

  @Post(':id/notices')
  @Idempotent()
  @ApiOperation({ summary: 'Record a written ordinary notice by the caller\'s partner; effective 31 December or 30 June', description: Refusals })
  giveNotice(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.giveNotice(actor, id, body, idempotencyKey);
  }

  @Post(':id/extraordinary-terminations')
  @Idempotent()
  @ApiOperation({ summary: 'Record an extraordinary termination with its reason; effective on receipt', description: Refusals })
  terminate(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: ExtraordinaryTerminationDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.terminateExtraordinarily(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments')
  @Idempotent()
  @ApiOperation({ summary: 'Propose an amendment; it takes effect once both partners confirmed it', description: Refusals })
  proposeAmendment(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: AmendmentProposalDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.proposeAmendment(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments/:amendmentId/confirmations')
  @Idempotent()
  @ApiParam({ name: 'amendmentId', example: 'A1' })
  @ApiOperation({ summary: 'Confirm an amendment in writing for the caller\'s partner', description: Refusals })
  confirmAmendment(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('amendmentId') amendmentId: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.confirmAmendment(actor, id, amendmentId, body, idempotencyKey);
  }

  @Post(':id/annual-reports')
  @Idempotent()
  @ApiOperation({ summary: 'Record the regional office\'s annual report to the steering committee', description: Refusals })
  recordAnnualReport(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordAnnualReport(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments')
  @Idempotent()
  @ApiOperation({ summary: 'Second a teacher as education coordinator (three years unless given; at most half the regular hours)', description: Refusals })
  second(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: SecondmentDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.secondCoordinator(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/decisions')
  @Idempotent()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: 'Decide the end of a secondment: extend it or let it end', description: Refusals })
  decideSecondment(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('secondmentId') secondmentId: string, @Body() body: SecondmentDecisionDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.decideSecondmentEnd(actor, id, secondmentId, body, idempotencyKey);
  }
}
