import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { CertificatesService } from './certificates.service.js';
import { PlaceEnrolmentDto, RecordInvolvementDto, RegisterEnrolmentDto, WithdrawDto } from './dtos.js';
import { RegistrationService } from './registration.service.js';
import { CertificateResponse, EnrolmentResponse } from './responses.js';

const uuid = new ParseUUIDPipe();

@ApiTags('qualification: enrolments')
@Controller('enrolments')
export class EnrolmentsController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly certificates: CertificatesService,
  ) {}

  @Post()
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'nominateTandem',
    summary: 'District: nominate a tandem of its own area (enrolment starts as nominated)',
  })
  @ApiCreatedResponse({ type: EnrolmentResponse })
  @ApiWriteProblems(404, 422)
  @Allow('enrolments:nominate')
  register(@CurrentActor() actor: Actor, @Body() body: RegisterEnrolmentDto, @IdempotencyKey() key?: string) {
    return this.registration.register(actor, body.tandemId, key);
  }

  @Get()
  @ApiOperation({
    operationId: 'listEnrolments',
    summary: 'Enrolments with status and waiting-list position (a district sees its own)',
  })
  @ApiOkResponse({ type: [EnrolmentResponse] })
  @ApiProblems()
  @Allow('enrolments:read')
  list(@CurrentActor() actor: Actor) {
    return this.registration.list(actor);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getEnrolment',
    summary: 'One enrolment with its status, group and waiting-list position',
  })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiProblems(404)
  @Allow('enrolments:read')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.registration.get(actor, id);
  }

  @Post(':id/involvements')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ summary: 'District: record the involvement of the staff council or the equal-opportunities officer' })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('enrolments:nominate')
  recordInvolvement(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: RecordInvolvementDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.recordInvolvement(actor, id, body, key);
  }

  @Post(':id/submission')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'submitRegistration',
    summary: 'District: submit the registration to the institute (needs both involvements)',
  })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiProblems(404, 409, 422)
  @Allow('enrolments:nominate')
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.registration.submit(actor, id, key);
  }

  @Post(':id/placement')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'placeEnrolment',
    summary: 'Institute: place in a group, or waitlist when the group is full',
  })
  @ApiOkResponse({ type: EnrolmentResponse, description: 'Placed, or waitlisted with its position' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('enrolments:place')
  place(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: PlaceEnrolmentDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.place(actor, id, body.groupId, key);
  }

  @Post(':id/withdrawal')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'withdrawEnrolment',
    summary: 'District or institute: withdraw; the first waiting tandem moves up',
  })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('enrolments:withdraw')
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: WithdrawDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.withdraw(actor, id, body, key);
  }

  @Post(':id/certificates')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Institute: issue the certificates of participation (needs every module attended by both)' })
  @ApiCreatedResponse({ type: [CertificateResponse], description: 'One certificate per member' })
  @ApiProblems(404, 409, 422)
  @Allow('certificates:issue')
  issueCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.certificates.issue(actor, id, key);
  }

  @Get(':id/certificates')
  @ApiOperation({
    operationId: 'listEnrolmentCertificates',
    summary: "The certificates issued to the members of an enrolment's tandem",
  })
  @ApiOkResponse({ type: [CertificateResponse] })
  @ApiProblems()
  @Allow('certificates:read')
  listCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.certificates.forEnrolment(actor, id);
  }
}
