/**
 * Master data: list, read and correct persons, tandems, Schulämter and networks, each with its correction history.
 * Creating them stays with the qualification's directory (POST /persons, /tandems, /school-offices, /networks).
 */
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import type { Actor } from '../engine/workflow-engine.js';
import { CorrectNameDto, CorrectPersonDto, CorrectTandemDto, DirectoryQuery, PersonsQuery } from './master-data.dto.js';
import { MasterDataService } from './master-data.service.js';

const uuid = new ParseUUIDPipe();

@ApiTags('master data')
@Controller()
export class MasterDataController {
  constructor(private readonly masterData: MasterDataService) {}

  @Get('persons')
  @Allow('directory:read')
  @ApiOperation({ summary: 'Persons by name (a district: its own area), with search' })
  persons(@CurrentActor() actor: Actor, @Query() query: PersonsQuery) {
    return this.masterData.listPersons(actor, query);
  }

  @Get('persons/:id')
  @Allow('person:read')
  @ApiOperation({ summary: 'A person (a district: of its own area; a moderator or participant: itself)' })
  person(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.person(actor, id);
  }

  @IdempotencyHeader()
  @Patch('persons/:id')
  @Allow('persons:write')
  @ApiOperation({ summary: 'Correct a person; a new address, name or language reaches pending reminders and queued mail' })
  correctPerson(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CorrectPersonDto, @IdempotencyKey() key?: string) {
    return this.masterData.correctPerson(actor, id, body, key);
  }

  @Get('persons/:id/history')
  @Allow('person:read')
  @ApiOperation({ summary: 'Every correction of a person: who, when, each field before and after' })
  personHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.personHistory(actor, id);
  }

  @Get('tandems')
  @Allow('directory:read')
  @ApiOperation({ summary: 'Tandems, newest first (a district: of its own area)' })
  tandems(@CurrentActor() actor: Actor, @Query() query: DirectoryQuery) {
    return this.masterData.listTandems(actor, query);
  }

  @Get('tandems/:id')
  @Allow('directory:read')
  tandem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.tandem(actor, id);
  }

  @IdempotencyHeader()
  @Patch('tandems/:id')
  @Allow('tandems:write')
  @ApiOperation({ summary: 'District: correct the network a tandem was formed for (same district, before it is nominated)' })
  correctTandem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CorrectTandemDto, @IdempotencyKey() key?: string) {
    return this.masterData.correctTandem(actor, id, body, key);
  }

  @Get('tandems/:id/history')
  @Allow('directory:read')
  tandemHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.tandemHistory(actor, id);
  }

  @Get('school-offices')
  @Allow('directory:read')
  @ApiOperation({ summary: 'Schulämter by name (a district: its own)' })
  schoolOffices(@CurrentActor() actor: Actor, @Query() query: DirectoryQuery) {
    return this.masterData.listSchoolOffices(actor, query);
  }

  @Get('school-offices/:id')
  @Allow('directory:read')
  schoolOffice(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.schoolOffice(actor, id);
  }

  @IdempotencyHeader()
  @Patch('school-offices/:id')
  @Allow('directory:write')
  @ApiOperation({ summary: 'Rename a Schulamt; its officials\' office follows' })
  correctSchoolOffice(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CorrectNameDto, @IdempotencyKey() key?: string) {
    return this.masterData.correctSchoolOffice(actor, id, body, key);
  }

  @Get('school-offices/:id/history')
  @Allow('directory:read')
  schoolOfficeHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.schoolOfficeHistory(actor, id);
  }

  @Get('networks/:id')
  @Allow('networks:read')
  network(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.network(actor, id);
  }

  @IdempotencyHeader()
  @Patch('networks/:id')
  @Allow('directory:write')
  @ApiOperation({ summary: 'Rename a network; enrolments that copied its name carry the new one' })
  correctNetwork(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CorrectNameDto, @IdempotencyKey() key?: string) {
    return this.masterData.correctNetwork(actor, id, body, key);
  }

  @Get('networks/:id/history')
  @Allow('networks:read')
  networkHistory(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.masterData.networkHistory(actor, id);
  }
}
