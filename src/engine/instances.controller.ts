import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators.js';
import { InstanceAccessGuard } from '../auth/instance-access.guard.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { CreateInstanceDto, ListInstancesQuery, MigrateInstanceDto, SendEventDto } from './instances.dto.js';
import { DefinitionRegistry } from './registry.js';
import { WorkflowEngine, type Actor } from './workflow-engine.js';

const IdempotencyHeader = () => ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat with the same key returns the first answer' });

@ApiTags('workflow instances')
@Controller()
@UseGuards(InstanceAccessGuard)
export class InstancesController {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly registry: DefinitionRegistry,
  ) {}

  @Get('definitions')
  @ApiOperation({ summary: 'Workflow definitions and their versions' })
  @Allow('definitions:read')
  definitions() {
    return this.registry.list().map((d) => ({ name: d.name, version: d.version, title: d.title }));
  }

  @Post('instances')
  @ApiOperation({ summary: 'Start an instance of a definition (newest version unless given)' })
  @IdempotencyHeader()
  @Allow('instances:write')
  create(@Body() body: CreateInstanceDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.engine.createFromGenericApi({ definition: body.definition, version: body.version, input: body.input ?? {}, actor, idempotencyKey });
  }

  @Get('instances')
  @ApiOperation({ summary: 'List instances, filtered by definition, version and state, in pages' })
  @Allow('instances:read')
  async list(@Query() query: ListInstancesQuery) {
    const { total, items } = await this.engine.list({
      definition: query.definition, version: query.version, state: query.state,
      offset: (query.page - 1) * query.pageSize, limit: query.pageSize,
    });
    return { total, page: query.page, pageSize: query.pageSize, items };
  }

  @Get('instances/:id')
  @ApiOperation({ summary: 'State, context, events accepted now and pending timers' })
  @Allow('instances:read')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.engine.get(id);
  }

  @Post('instances/:id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an event; 409 names the state and the events it accepts' })
  @IdempotencyHeader()
  @Allow('instances:write')
  send(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: SendEventDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.engine.sendFromGenericApi(id, { ...body.payload, type: body.type }, actor, idempotencyKey);
  }

  @Get('instances/:id/journal')
  @ApiOperation({ summary: 'Every accepted event of the instance, oldest first' })
  @Allow('instances:read')
  journal(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.engine.journal(id);
  }

  @Post('instances/:id/migrate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an instance to a newer definition version through its declared migration' })
  @Allow('instances:migrate')
  migrate(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: MigrateInstanceDto, @CurrentActor() actor: Actor) {
    return this.engine.migrate(id, body.toVersion, actor);
  }
}
