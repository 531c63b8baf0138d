import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import {
  ChangeMemberDto,
  CreateNetworkDto,
  CreatePersonDto,
  CreateSchoolOfficeDto,
  CreateTandemDto,
  SetNeedDto,
} from './dtos.js';
import { RegistrationService } from './registration.service.js';
import {
  DistrictNeedResponse,
  DistrictResponse,
  MemberChangeResponse,
  NetworkResponse,
  PersonResponse,
  SchoolOfficeResponse,
  TandemResponse,
} from './responses.js';

@ApiTags('qualification: directory')
@Controller()
export class DirectoryController {
  constructor(private readonly registration: RegistrationService) {}

  @Get('districts')
  @ApiOperation({
    operationId: 'listDistricts',
    summary: 'The five Bezirksregierungen and their configured need for seats',
  })
  @ApiOkResponse({ type: [DistrictResponse] })
  @ApiProblems()
  @Allow('districts:read')
  districts() {
    return this.registration.districts();
  }

  @Put('districts/:id/need')
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'setDistrictNeed',
    summary: "Institute: set a district's need; seats are allocated in proportion to it",
  })
  @ApiOkResponse({ type: DistrictNeedResponse })
  @ApiWriteProblems(404)
  @Allow('districts:plan')
  setNeed(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: SetNeedDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.setNeed(actor, id, body.need, key);
  }

  @Post('school-offices')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Create a Schulamt in a district (a district only in its own area)' })
  @ApiCreatedResponse({ type: SchoolOfficeResponse })
  @ApiWriteProblems(404)
  @Allow('directory:write')
  createSchoolOffice(
    @CurrentActor() actor: Actor,
    @Body() body: CreateSchoolOfficeDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.createSchoolOffice(actor, body, key);
  }

  @Post('networks')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Create a Regionales Bildungsnetzwerk in a district (a district only in its own area)' })
  @ApiCreatedResponse({ type: NetworkResponse })
  @ApiWriteProblems(404)
  @Allow('directory:write')
  createNetwork(@CurrentActor() actor: Actor, @Body() body: CreateNetworkDto, @IdempotencyKey() key?: string) {
    return this.registration.createNetwork(actor, body, key);
  }

  @Get('networks')
  @ApiOperation({ operationId: 'listNetworks', summary: 'Networks (a district sees its own)' })
  @ApiOkResponse({ type: [NetworkResponse] })
  @ApiProblems()
  @Allow('networks:read')
  networks(@CurrentActor() actor: Actor) {
    return this.registration.networks(actor);
  }

  @Post('persons')
  @IdempotencyHeader()
  @ApiOperation({
    summary: 'Create a person: school supervision official (lower at a Schulamt, upper at a district) or moderator',
  })
  @ApiCreatedResponse({ type: PersonResponse })
  @ApiWriteProblems(404, 422)
  @Allow('persons:write')
  createPerson(@CurrentActor() actor: Actor, @Body() body: CreatePersonDto, @IdempotencyKey() key?: string) {
    return this.registration.createPerson(actor, body, key);
  }

  @Post('tandems')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'District: form a tandem (one lower, one upper member) for a network of its own area' })
  @ApiCreatedResponse({ type: TandemResponse })
  @ApiWriteProblems(404, 422)
  @Allow('tandems:write')
  createTandem(@CurrentActor() actor: Actor, @Body() body: CreateTandemDto, @IdempotencyKey() key?: string) {
    return this.registration.createTandem(actor, body, key);
  }

  @Post('tandems/:id/member-change')
  @IdempotencyHeader()
  @ApiOperation({
    operationId: 'changeTandemMember',
    summary: 'District: a member changes; re-formation (new enrolment) unless an exemption reason is given',
  })
  @ApiCreatedResponse({ type: MemberChangeResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('tandems:write')
  changeMember(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChangeMemberDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.registration.changeMember(actor, id, body, key);
  }
}
