import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { ContractAccessGuard } from '../auth/contract-access.guard.js';
import { CurrentActor } from '../common/actor.decorator.js';
import type { Actor } from '../engine/workflow-engine.js';
import {
  AmendmentProposalDto, CoordinatorQualificationDto, CreateContractDto, DeadlinesQuery, EvaluationDto, ExtraordinaryTerminationDto, KommuneResourcesDto,
  NoticeDto, ReviewDecisionDto, SchoolAuthorityRepresentativeDto, SecondmentDecisionDto, SecondmentDto, WrittenActDto,
} from './contracts.dto.js';
import { ContractsService } from './contracts.service.js';

const Refusals = 'Refused with application/problem+json naming the rule: 400 malformed (a date that is no calendar day), 422 rule broken, 409 conflicts with the record, 403 not an administrator of this contract.';
const ContractId = () => Param('id', new ParseUUIDPipe());
const Idempotent = () => ApiHeader({
  name: 'Idempotency-Key', required: false,
  description: 'A repeat of the same request under the same key returns the first answer and writes nothing; another request under a used key is refused (422 idempotency-key-reused)',
});
const IdempotencyKey = () => Headers('idempotency-key');

@ApiTags('contracts (Bildungsregion Niedersachsen)')
@Controller('contracts')
@UseGuards(ContractAccessGuard)
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Create a cooperation contract between the Land and a Kommune; its first review is due three years after the start' })
  @Allow('contracts:write')
  create(@CurrentActor() actor: Actor, @Body() body: CreateContractDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.create(actor, body, idempotencyKey);
  }

  @Get('deadlines')
  @ApiOperation({ summary: 'Open deadlines of all contracts in the state, soonest first, optionally of one kind' })
  @Allow('contracts:read')
  deadlines(@CurrentActor() actor: Actor, @Query() query: DeadlinesQuery) {
    return this.contracts.deadlines(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contract with what is due next and by when, each date with the rule that made it and its reminders' })
  @Allow('contracts:read')
  get(@CurrentActor() actor: Actor, @ContractId() id: string) {
    return this.contracts.get(actor, id);
  }

  @Post(':id/evaluations')
  @Idempotent()
  @ApiOperation({ summary: 'Record the evaluation and impact review of the current cycle', description: Refusals })
  @Allow('contracts:write')
  recordEvaluation(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: EvaluationDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordEvaluation(actor, id, body, idempotencyKey);
  }

  @Post(':id/review-decisions')
  @Idempotent()
  @ApiOperation({ summary: 'Decide the review: continue for three more years, or discontinue (ends like a notice given that day)', description: Refusals })
  @Allow('contracts:write')
  decideReview(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: ReviewDecisionDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.decideReview(actor, id, body, idempotencyKey);
  }

  @Post(':id/notices')
  @Idempotent()
  @ApiOperation({ summary: 'Record a written ordinary notice by the caller\'s partner; effective on the 30 June or 31 December it names, or the earliest', description: Refusals })
  @Allow('contracts:write')
  giveNotice(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: NoticeDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.giveNotice(actor, id, body, idempotencyKey);
  }

  @Post(':id/extraordinary-terminations')
  @Idempotent()
  @ApiOperation({ summary: 'Record an extraordinary termination with its reason; effective on receipt', description: Refusals })
  @Allow('contracts:write')
  terminate(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: ExtraordinaryTerminationDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.terminateExtraordinarily(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments')
  @Idempotent()
  @ApiOperation({ summary: 'Propose an amendment; it takes effect once both partners confirmed it', description: Refusals })
  @Allow('contracts:write')
  proposeAmendment(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: AmendmentProposalDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.proposeAmendment(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments/:amendmentId/confirmations')
  @Idempotent()
  @ApiParam({ name: 'amendmentId', example: 'A1' })
  @ApiOperation({ summary: 'Confirm an amendment in writing for the caller\'s partner', description: Refusals })
  @Allow('contracts:write')
  confirmAmendment(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('amendmentId') amendmentId: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.confirmAmendment(actor, id, amendmentId, body, idempotencyKey);
  }

  @Post(':id/annual-reports')
  @Idempotent()
  @ApiOperation({ summary: 'Record the regional office\'s annual report to the steering committee', description: Refusals })
  @Allow('contracts:write')
  recordAnnualReport(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordAnnualReport(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments')
  @Idempotent()
  @ApiOperation({
    summary: 'Second (Abordnung) or assign (Zuweisung) a teacher as education coordinator: three years unless given; up to half the regular hours, more with a reason',
    description: `${Refusals} The answer's warnings name what the texts allow only as an exception.`,
  })
  @Allow('contracts:write')
  second(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: SecondmentDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.secondCoordinator(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/decisions')
  @Idempotent()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: 'Decide the end of a secondment: extend it or let it end', description: Refusals })
  @Allow('contracts:write')
  decideSecondment(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('secondmentId') secondmentId: string, @Body() body: SecondmentDecisionDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.decideSecondmentEnd(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/kommune-consents')
  @Idempotent()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: 'Record the Kommune\'s written consent to the choice of coordinator', description: Refusals })
  @Allow('contracts:write')
  recordConsent(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('secondmentId') secondmentId: string, @Body() body: WrittenActDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordCoordinatorConsent(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/qualifications')
  @Idempotent()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: 'Record a qualification of the coordinator whose costs the Land bears', description: Refusals })
  @Allow('contracts:write')
  recordQualification(@CurrentActor() actor: Actor, @ContractId() id: string, @Param('secondmentId') secondmentId: string, @Body() body: CoordinatorQualificationDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordCoordinatorQualification(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/school-authority-representatives')
  @Idempotent()
  @ApiOperation({ summary: 'Record the representative the school authority (NLSchB) names to the steering committee', description: Refusals })
  @Allow('contracts:write')
  nameRepresentative(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: SchoolAuthorityRepresentativeDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.nameSchoolAuthorityRepresentative(actor, id, body, idempotencyKey);
  }

  @Post(':id/kommune-resources')
  @Idempotent()
  @ApiOperation({ summary: 'Record what the Kommune commits to the regional office at its cost: staff, material, the coordinator\'s administrative expenses', description: Refusals })
  @Allow('contracts:write')
  recordResources(@CurrentActor() actor: Actor, @ContractId() id: string, @Body() body: KommuneResourcesDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.contracts.recordKommuneResources(actor, id, body, idempotencyKey);
  }
}
