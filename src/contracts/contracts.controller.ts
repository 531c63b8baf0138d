import { applyDecorators, Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ContractAccessGuard } from '../auth/contract-access.guard.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import {
  AmendmentProposalDto,
  CoordinatorQualificationDto,
  CreateContractDto,
  DeadlinesQuery,
  EvaluationDto,
  ExtraordinaryTerminationDto,
  KommuneResourcesDto,
  NoticeCalculatorQuery,
  NoticeDto,
  ReviewDecisionDto,
  SchoolAuthorityRepresentativeDto,
  SecondmentDecisionDto,
  SecondmentDto,
  WrittenActDto,
} from './contracts.dto.js';
import { ContractDeadlineResponse, ContractResponse, NoticeCalculationResponse } from './contracts.responses.js';
import { ContractsService } from './contracts.service.js';

const Refusals =
  'Refused with application/problem+json naming the rule: 400 malformed (a date that is no calendar day), 422 rule broken, 409 conflicts with the record, 403 not an administrator of this contract.';
const ContractId = () => Param('id', new ParseUUIDPipe());
/** A written act on a contract: the contract as recorded now, or a refusal that changed nothing. */
const ChangesContract = () =>
  applyDecorators(
    ApiCreatedResponse({
      type: ContractResponse,
      description: 'The contract as recorded now, with the warnings of this write',
    }),
    ApiWriteProblems(404, 409, 422),
  );

@ApiTags('contracts (Bildungsregion Niedersachsen)')
@Controller('contracts')
@UseGuards(ContractAccessGuard)
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @IdempotencyHeader()
  @ApiOperation({
    summary:
      'Create a cooperation contract between the Land and a Kommune; its first review is due three years after the start',
  })
  @ApiCreatedResponse({ type: ContractResponse })
  @ApiWriteProblems(422)
  @Allow('contracts:write')
  createContract(
    @CurrentActor() actor: Actor,
    @Body() body: CreateContractDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.create(actor, body, idempotencyKey);
  }

  @Get('deadlines')
  @ApiOperation({ summary: 'Open deadlines of all contracts in the state, soonest first, optionally of one kind' })
  @ApiOkResponse({ type: [ContractDeadlineResponse] })
  @ApiProblems()
  @Allow('contracts:read')
  listContractDeadlines(
    @CurrentActor() actor: Actor,
    @Query() query: DeadlinesQuery,
  ): Promise<ContractDeadlineResponse[]> {
    return this.contracts.deadlines(actor, query);
  }

  @Get('notice-calculator')
  @ApiOperation({
    operationId: 'calculateNotice',
    summary:
      'Notice calculator: a notice received on day X takes effect on …; the last day to give notice for a 30 June or 31 December is …',
    description:
      'Ask with receivedOn, effectiveOn or both; 422 notice-to-30-june-or-31-december when effectiveOn is another day. Reads and stores nothing.',
  })
  @ApiOkResponse({ type: NoticeCalculationResponse })
  @ApiProblems(422)
  @Allow('contracts:read')
  calculateNotice(@Query() query: NoticeCalculatorQuery): NoticeCalculationResponse {
    return this.contracts.calculateNotice(query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One contract with what is due next and by when, each date with the rule that made it and its reminders',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiProblems(404)
  @Allow('contracts:read')
  getContract(@CurrentActor() actor: Actor, @ContractId() id: string): Promise<ContractResponse> {
    return this.contracts.get(actor, id);
  }

  @Post(':id/evaluations')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Record the evaluation and impact review of the current cycle', description: Refusals })
  @ChangesContract()
  @Allow('contracts:write')
  recordEvaluation(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: EvaluationDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.recordEvaluation(actor, id, body, idempotencyKey);
  }

  @Post(':id/review-decisions')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Decide the review: continue for three more years, or discontinue (ends like a notice given that day)',
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  decideReview(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: ReviewDecisionDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.decideReview(actor, id, body, idempotencyKey);
  }

  @Post(':id/notices')
  @IdempotencyHeader()
  @ApiOperation({
    summary:
      "Record a written ordinary notice by the caller's partner; effective on the 30 June or 31 December it names, or the earliest",
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  giveNotice(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: NoticeDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.giveNotice(actor, id, body, idempotencyKey);
  }

  @Post(':id/extraordinary-terminations')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Record an extraordinary termination with its reason; effective on receipt',
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  terminateExtraordinarily(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: ExtraordinaryTerminationDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.terminateExtraordinarily(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Propose an amendment; it takes effect once both partners confirmed it',
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  proposeAmendment(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: AmendmentProposalDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.proposeAmendment(actor, id, body, idempotencyKey);
  }

  @Post(':id/amendments/:amendmentId/confirmations')
  @IdempotencyHeader()
  @ApiParam({ name: 'amendmentId', example: 'A1' })
  @ApiOperation({ summary: "Confirm an amendment in writing for the caller's partner", description: Refusals })
  @ChangesContract()
  @Allow('contracts:write')
  confirmAmendment(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Param('amendmentId') amendmentId: string,
    @Body() body: WrittenActDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.confirmAmendment(actor, id, amendmentId, body, idempotencyKey);
  }

  @Post(':id/annual-reports')
  @IdempotencyHeader()
  @ApiOperation({
    summary: "Record the regional office's annual report to the steering committee",
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  recordAnnualReport(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: WrittenActDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.recordAnnualReport(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments')
  @IdempotencyHeader()
  @ApiOperation({
    summary:
      'Second (Abordnung) or assign (Zuweisung) a teacher as education coordinator: three years unless given; up to half the regular hours, more with a reason',
    description: `${Refusals} The answer's warnings name what the texts allow only as an exception.`,
  })
  @ChangesContract()
  @Allow('contracts:write')
  secondCoordinator(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: SecondmentDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.secondCoordinator(actor, id, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/decisions')
  @IdempotencyHeader()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: 'Decide the end of a secondment: extend it or let it end', description: Refusals })
  @ChangesContract()
  @Allow('contracts:write')
  decideSecondment(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Param('secondmentId') secondmentId: string,
    @Body() body: SecondmentDecisionDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.decideSecondmentEnd(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/kommune-consents')
  @IdempotencyHeader()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({ summary: "Record the Kommune's written consent to the choice of coordinator", description: Refusals })
  @ChangesContract()
  @Allow('contracts:write')
  recordCoordinatorConsent(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Param('secondmentId') secondmentId: string,
    @Body() body: WrittenActDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.recordCoordinatorConsent(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/secondments/:secondmentId/qualifications')
  @IdempotencyHeader()
  @ApiParam({ name: 'secondmentId', example: 'S1' })
  @ApiOperation({
    summary: 'Record a qualification of the coordinator whose costs the Land bears',
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  recordCoordinatorQualification(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Param('secondmentId') secondmentId: string,
    @Body() body: CoordinatorQualificationDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.recordCoordinatorQualification(actor, id, secondmentId, body, idempotencyKey);
  }

  @Post(':id/school-authority-representatives')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Record the representative the school authority (NLSchB) names to the steering committee',
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  nameSchoolAuthorityRepresentative(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: SchoolAuthorityRepresentativeDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.nameSchoolAuthorityRepresentative(actor, id, body, idempotencyKey);
  }

  @Post(':id/kommune-resources')
  @IdempotencyHeader()
  @ApiOperation({
    summary:
      "Record what the Kommune commits to the regional office at its cost: staff, material, the coordinator's administrative expenses",
    description: Refusals,
  })
  @ChangesContract()
  @Allow('contracts:write')
  recordKommuneResources(
    @CurrentActor() actor: Actor,
    @ContractId() id: string,
    @Body() body: KommuneResourcesDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<ContractResponse> {
    return this.contracts.recordKommuneResources(actor, id, body, idempotencyKey);
  }
}
