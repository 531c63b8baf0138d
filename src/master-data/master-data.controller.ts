/**
 * Master data: list, read and correct persons, tandems, Schulämter and networks, each with its correction history.
 * Creating them stays with the qualification's directory (POST /persons, /tandems, /school-offices, /networks).
 */
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { CorrectNameDto, CorrectPersonDto, CorrectTandemDto, DirectoryQuery, PersonsQuery } from './master-data.dto.js';
import {
  CorrectedNetworkResponse,
  CorrectedPersonResponse,
  CorrectionResponse,
  MasterNetworkResponse,
  MasterPersonPageResponse,
  MasterPersonResponse,
  MasterSchoolOfficePageResponse,
  MasterSchoolOfficeResponse,
  MasterTandemPageResponse,
  MasterTandemResponse,
} from './master-data.responses.js';
import { MasterDataService } from './master-data.service.js';

const uuid = new ParseUUIDPipe();

@ApiTags('master data')
@Controller()
export class MasterDataController {
  constructor(private readonly masterData: MasterDataService) {}

  @Get('persons')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'listPersons', summary: 'Persons by name (a district: its own area), with search' })
  @ApiOkResponse({ type: MasterPersonPageResponse })
  @ApiProblems()
  persons(@CurrentActor() actor: Actor, @Query() query: PersonsQuery) {
    return this.masterData.listPersons(actor, query);
  }

  @Get('persons/:id')
  @Allow('person:read')
  @ApiOperation({
    operationId: 'getPerson',
    summary: 'A person (a district: of its own area; a moderator or participant: itself)',
  })
  @ApiOkResponse({ type: MasterPersonResponse })
  @ApiProblems(404)
  person(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.person(actor, id);
  }

  @IdempotencyHeader()
  @Patch('persons/:id')
  @Allow('persons:write')
  @ApiOperation({
    operationId: 'correctPerson',
    summary: 'Correct a person; a new address, name or language reaches pending reminders and queued mail',
  })
  @ApiOkResponse({ type: CorrectedPersonResponse })
  @ApiWriteProblems(404, 409, 422)
  correctPerson(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CorrectPersonDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.masterData.correctPerson(actor, id, body, key);
  }

  @Get('persons/:id/history')
  @Allow('person:read')
  @ApiOperation({
    operationId: 'getPersonHistory',
    summary: 'Every correction of a person: who, when, each field before and after',
  })
  @ApiOkResponse({ type: [CorrectionResponse] })
  @ApiProblems(404)
  personHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.personHistory(actor, id);
  }

  @Get('tandems')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'listTandems', summary: 'Tandems, newest first (a district: of its own area)' })
  @ApiOkResponse({ type: MasterTandemPageResponse })
  @ApiProblems()
  tandems(@CurrentActor() actor: Actor, @Query() query: DirectoryQuery) {
    return this.masterData.listTandems(actor, query);
  }

  @Get('tandems/:id')
  @Allow('directory:read')
  @ApiOperation({
    operationId: 'getTandem',
    summary: 'A tandem: its network and members (a district: of its own area)',
  })
  @ApiOkResponse({ type: MasterTandemResponse })
  @ApiProblems(404)
  tandem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.tandem(actor, id);
  }

  @IdempotencyHeader()
  @Patch('tandems/:id')
  @Allow('tandems:write')
  @ApiOperation({
    operationId: 'correctTandem',
    summary: 'District: correct the network a tandem was formed for (same district, before it is nominated)',
  })
  @ApiOkResponse({ type: MasterTandemResponse })
  @ApiWriteProblems(404, 422)
  correctTandem(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CorrectTandemDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.masterData.correctTandem(actor, id, body, key);
  }

  @Get('tandems/:id/history')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'getTandemHistory', summary: 'Every correction of a tandem' })
  @ApiOkResponse({ type: [CorrectionResponse] })
  @ApiProblems(404)
  tandemHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.tandemHistory(actor, id);
  }

  @Get('school-offices')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'listSchoolOffices', summary: 'Schulämter by name (a district: its own)' })
  @ApiOkResponse({ type: MasterSchoolOfficePageResponse })
  @ApiProblems()
  schoolOffices(@CurrentActor() actor: Actor, @Query() query: DirectoryQuery) {
    return this.masterData.listSchoolOffices(actor, query);
  }

  @Get('school-offices/:id')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'getSchoolOffice', summary: 'A Schulamt (a district: of its own area)' })
  @ApiOkResponse({ type: MasterSchoolOfficeResponse })
  @ApiProblems(404)
  schoolOffice(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.schoolOffice(actor, id);
  }

  @IdempotencyHeader()
  @Patch('school-offices/:id')
  @Allow('directory:write')
  @ApiOperation({ operationId: 'correctSchoolOffice', summary: "Rename a Schulamt; its officials' office follows" })
  @ApiOkResponse({ type: MasterSchoolOfficeResponse })
  @ApiWriteProblems(404)
  correctSchoolOffice(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CorrectNameDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.masterData.correctSchoolOffice(actor, id, body, key);
  }

  @Get('school-offices/:id/history')
  @Allow('directory:read')
  @ApiOperation({ operationId: 'getSchoolOfficeHistory', summary: 'Every correction of a Schulamt' })
  @ApiOkResponse({ type: [CorrectionResponse] })
  @ApiProblems(404)
  schoolOfficeHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.schoolOfficeHistory(actor, id);
  }

  @Get('networks/:id')
  @Allow('networks:read')
  @ApiOperation({ operationId: 'getNetwork', summary: 'A network (a district: of its own area)' })
  @ApiOkResponse({ type: MasterNetworkResponse })
  @ApiProblems(404)
  network(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.network(actor, id);
  }

  @IdempotencyHeader()
  @Patch('networks/:id')
  @Allow('directory:write')
  @ApiOperation({
    operationId: 'correctNetwork',
    summary: 'Rename a network; enrolments that copied its name carry the new one',
  })
  @ApiOkResponse({ type: CorrectedNetworkResponse })
  @ApiWriteProblems(404, 409)
  correctNetwork(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: CorrectNameDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.masterData.correctNetwork(actor, id, body, key);
  }

  @Get('networks/:id/history')
  @Allow('networks:read')
  @ApiOperation({ operationId: 'getNetworkHistory', summary: 'Every correction of a network' })
  @ApiOkResponse({ type: [CorrectionResponse] })
  @ApiProblems(404)
  networkHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.networkHistory(actor, id);
  }
}
