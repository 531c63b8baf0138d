import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { LotseConfig } from '../../config/configuration.js';
import { personsActingIn, recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { InstanceAccessGuard } from '../auth/instance-access.guard.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { CreateInstanceDto, ListInstancesQuery, MigrateInstanceDto, SendEventDto } from './instances.dto.js';
import {
  DefinitionResponse,
  InstanceDetailsResponse,
  InstancePageResponse,
  InstanceResponse,
  JournalEntryResponse,
} from './instances.responses.js';
import { DefinitionRegistry } from './registry.js';
import { stateDiagramSvg, stateGraph } from './state-diagram.js';
import { WorkflowEngine } from './workflow-engine.js';
import type { Actor } from '../common/actor.js';

@ApiTags('workflow instances')
@Controller()
@UseGuards(InstanceAccessGuard)
export class InstancesController {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly registry: DefinitionRegistry,
    private readonly config: LotseConfig,
  ) {}

  @Get('definitions')
  @ApiOperation({ summary: 'Workflow definitions and their versions' })
  @ApiOkResponse({ type: [DefinitionResponse] })
  @ApiProblems()
  @Allow('definitions:read')
  listDefinitions(): DefinitionResponse[] {
    return this.registry.list().map((d) => ({ name: d.name, version: d.version, title: d.title }));
  }

  @Post('instances')
  @ApiOperation({ summary: 'Start an instance of a definition (newest version unless given)' })
  @ApiCreatedResponse({ type: InstanceResponse })
  @ApiWriteProblems(404, 422)
  @IdempotencyHeader()
  @Allow('instances:write')
  startInstance(
    @Body() body: CreateInstanceDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<InstanceResponse> {
    return this.engine.createFromGenericApi({
      definition: body.definition,
      version: body.version,
      input: body.input ?? {},
      actor,
      idempotencyKey,
    });
  }

  @Get('instances')
  @ApiOperation({ summary: 'List instances, filtered by definition, version and state, in pages' })
  @ApiOkResponse({ type: InstancePageResponse })
  @ApiProblems()
  @Allow('instances:read')
  async listInstances(@Query() query: ListInstancesQuery): Promise<InstancePageResponse> {
    const { total, items } = await this.engine.list({
      definition: query.definition,
      version: query.version,
      state: query.state,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return { total, page: query.page, pageSize: query.pageSize, items };
  }

  @Get('instances/:id')
  @ApiOperation({ summary: 'State, context, events accepted now and pending timers' })
  @ApiOkResponse({ type: InstanceDetailsResponse })
  @ApiProblems(404)
  @Allow('instances:read')
  getInstance(@Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceDetailsResponse> {
    return this.engine.get(id);
  }

  @Post('instances/:id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an event; 409 names the state and the events it accepts' })
  @ApiOkResponse({ type: InstanceResponse })
  @ApiWriteProblems(404, 409, 422)
  @IdempotencyHeader()
  @Allow('instances:write')
  sendEvent(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SendEventDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<InstanceResponse> {
    return this.engine.sendFromGenericApi(id, { ...body.payload, type: body.type }, actor, idempotencyKey);
  }

  @Get('instances/:id/journal')
  @ApiOperation({ summary: 'Every accepted event of the instance, oldest first' })
  @ApiOkResponse({ type: [JournalEntryResponse] })
  @ApiProblems(404)
  @Allow('instances:read')
  getJournal(@Param('id', new ParseUUIDPipe()) id: string): Promise<JournalEntryResponse[]> {
    return this.engine.journal(id);
  }

  @Get('instances/:id/diagram.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({
    operationId: 'getInstanceDiagram',
    summary:
      "The instance's workflow as a state diagram (SVG) with its current state marked, and its journal as a timeline",
  })
  @ApiOkResponse({
    description: 'An SVG image, drawn from the definition version the instance runs on',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  @ApiProblems(404)
  @Allow('instances:read')
  @SessionCookie()
  async getInstanceDiagram(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    const instance = await this.engine.get(id);
    const definition = this.registry.get(instance.definition, instance.version);
    const journal = await this.engine.journal(id);
    await recordShown(personsActingIn(journal));
    return stateDiagramSvg(stateGraph(definition.machine), {
      title: `${definition.title} (${definition.name} v${definition.version}): Zustand ${instance.state}`,
      current: instance.state,
      journal,
      formatInstant: (iso) =>
        DateTime.fromISO(iso).setZone(this.config.timeZone).setLocale('de').toFormat('dd.MM.yyyy HH:mm'),
    });
  }

  @Post('instances/:id/migrate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an instance to a newer definition version through its declared migration' })
  @ApiOkResponse({ type: InstanceResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('instances:migrate')
  migrateInstance(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: MigrateInstanceDto,
    @CurrentActor() actor: Actor,
  ): Promise<InstanceResponse> {
    return this.engine.migrate(id, body.toVersion, actor);
  }
}
