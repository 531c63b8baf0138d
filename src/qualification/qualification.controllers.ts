/**
 * HTTP endpoints of the tandem qualification: decorators and one service call each. The caller is signed in (bearer
 * token); each route names its permission (src/auth/policy.ts), the services check the caller's scope.
 */
import { Body, Controller, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Public } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limit.js';
import { CurrentActor } from '../common/actor.decorator.js';
import type { Actor } from '../engine/workflow-engine.js';
import { AlumniService } from './alumni.service.js';
import { answerFeed } from './calendar.js';
import { CertificatesService } from './certificates.service.js';
import {
  AddEventDto, AnswerInvitationDto, AssignModeratorTandemDto, CancelEventDto, ChangeEventDto, ChangeMemberDto, CreateGroupDto, CreateModeratorTandemDto,
  CreateNetworkDto, CreatePersonDto, CreateSchoolOfficeDto, CreateTandemDto, EvaluateEventDto, PlaceEnrolmentDto, RecordAttendanceDto,
  RecordInvolvementDto, RegisterEnrolmentDto, ScheduleExchangeDto, SetCurriculumDto, SetNeedDto, WithdrawDto,
} from './dtos.js';
import { GroupsService } from './groups.service.js';
import { ParticipantsService } from './participants.service.js';
import { RegistrationService } from './registration.service.js';

const uuid = new ParseUUIDPipe();
/** Every write takes an Idempotency-Key: a client that did not get the answer may send the same request again. */
const Idempotent = () => ApiHeader({
  name: 'Idempotency-Key', required: false,
  description: 'A repeat of the same request under the same key returns the first answer and writes nothing; another request under a used key is refused (422 idempotency-key-reused)',
});
const IdempotencyKey = () => Headers('idempotency-key');

@ApiTags('qualification: directory')
@Controller()
export class DirectoryController {
  constructor(private readonly registration: RegistrationService) {}

  @Get('districts')
  @ApiOperation({ summary: 'The five Bezirksregierungen and their configured need for seats' })
  @Allow('districts:read')
  districts() {
    return this.registration.districts();
  }

  @Put('districts/:id/need')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: set a district\'s need; seats are allocated in proportion to it' })
  @Allow('districts:plan')
  setNeed(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SetNeedDto, @IdempotencyKey() key?: string) {
    return this.registration.setNeed(actor, id, body.need, key);
  }

  @Post('school-offices')
  @Idempotent()
  @ApiOperation({ summary: 'Create a Schulamt in a district (a district only in its own area)' })
  @Allow('directory:write')
  createSchoolOffice(@CurrentActor() actor: Actor, @Body() body: CreateSchoolOfficeDto, @IdempotencyKey() key?: string) {
    return this.registration.createSchoolOffice(actor, body, key);
  }

  @Post('networks')
  @Idempotent()
  @ApiOperation({ summary: 'Create a Regionales Bildungsnetzwerk in a district (a district only in its own area)' })
  @Allow('directory:write')
  createNetwork(@CurrentActor() actor: Actor, @Body() body: CreateNetworkDto, @IdempotencyKey() key?: string) {
    return this.registration.createNetwork(actor, body, key);
  }

  @Get('networks')
  @ApiOperation({ summary: 'Networks (a district sees its own)' })
  @Allow('networks:read')
  networks(@CurrentActor() actor: Actor) {
    return this.registration.networks(actor);
  }

  @Post('persons')
  @Idempotent()
  @ApiOperation({ summary: 'Create a person: school supervision official (lower at a Schulamt, upper at a district) or moderator' })
  @Allow('persons:write')
  createPerson(@CurrentActor() actor: Actor, @Body() body: CreatePersonDto, @IdempotencyKey() key?: string) {
    return this.registration.createPerson(actor, body, key);
  }

  @Post('tandems')
  @Idempotent()
  @ApiOperation({ summary: 'District: form a tandem (one lower, one upper member) for a network of its own area' })
  @Allow('tandems:write')
  createTandem(@CurrentActor() actor: Actor, @Body() body: CreateTandemDto, @IdempotencyKey() key?: string) {
    return this.registration.createTandem(actor, body, key);
  }

  @Post('tandems/:id/member-change')
  @Idempotent()
  @ApiOperation({ summary: 'District: a member changes; re-formation (new enrolment) unless an exemption reason is given' })
  @Allow('tandems:write')
  changeMember(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: ChangeMemberDto, @IdempotencyKey() key?: string) {
    return this.registration.changeMember(actor, id, body, key);
  }
}

@ApiTags('qualification: enrolments')
@Controller('enrolments')
export class EnrolmentsController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly certificates: CertificatesService,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'District: nominate a tandem of its own area (enrolment starts as nominated)' })
  @Allow('enrolments:nominate')
  register(@CurrentActor() actor: Actor, @Body() body: RegisterEnrolmentDto, @IdempotencyKey() key?: string) {
    return this.registration.register(actor, body.tandemId, key);
  }

  @Get()
  @ApiOperation({ summary: 'Enrolments with status and waiting-list position (a district sees its own)' })
  @Allow('enrolments:read')
  list(@CurrentActor() actor: Actor) {
    return this.registration.list(actor);
  }

  @Get(':id')
  @Allow('enrolments:read')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.registration.get(actor, id);
  }

  @Post(':id/involvements')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'District: record the staff council\'s outcome (consent, refusal, deemed consent) or the equal-opportunities officer\'s involvement' })
  @Allow('enrolments:nominate')
  recordInvolvement(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RecordInvolvementDto, @IdempotencyKey() key?: string) {
    return this.registration.recordInvolvement(actor, id, body, key);
  }

  @Post(':id/submission')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'District: submit the registration to the institute (needs both involvements)' })
  @Allow('enrolments:nominate')
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.registration.submit(actor, id, key);
  }

  @Post(':id/placement')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Institute: place in a group, or waitlist when the group is full' })
  @Allow('enrolments:place')
  place(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: PlaceEnrolmentDto, @IdempotencyKey() key?: string) {
    return this.registration.place(actor, id, body.groupId, key);
  }

  @Post(':id/withdrawal')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'District or institute: withdraw; the first waiting tandem moves up' })
  @Allow('enrolments:withdraw')
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: WithdrawDto, @IdempotencyKey() key?: string) {
    return this.registration.withdraw(actor, id, body, key);
  }

  @Post(':id/certificates')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: issue the certificates of participation (needs every module attended by both)' })
  @Allow('certificates:issue')
  issueCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.certificates.issue(actor, id, key);
  }

  @Get(':id/certificates')
  @Allow('certificates:read')
  listCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.certificates.forEnrolment(actor, id);
  }
}

@ApiTags('qualification: groups and events')
@Controller()
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly participants: ParticipantsService,
  ) {}

  @Post('moderator-tandems')
  @Idempotent()
  @ApiOperation({ summary: 'Ministry: appoint a moderator tandem (the institute assigns it to groups)' })
  @Allow('moderators:appoint')
  createModeratorTandem(@CurrentActor() actor: Actor, @Body() body: CreateModeratorTandemDto, @IdempotencyKey() key?: string) {
    return this.groups.createModeratorTandem(actor, body, key);
  }

  @Post('groups')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: form a qualification group (capacity default 8 tandems)' })
  @Allow('groups:write')
  createGroup(@CurrentActor() actor: Actor, @Body() body: CreateGroupDto, @IdempotencyKey() key?: string) {
    return this.groups.createGroup(actor, body, key);
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups (a moderator sees its own)' })
  @Allow('groups:read')
  listGroups(@CurrentActor() actor: Actor) {
    return this.groups.listGroups(actor);
  }

  @Get('groups/:id')
  @Allow('groups:read')
  getGroup(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.getGroup(actor, id);
  }

  @Post('groups/:id/curriculum')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: schedule the group\'s events (three core modules, at most 64 hours); reflection phases between them' })
  @Allow('groups:write')
  setCurriculum(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: SetCurriculumDto, @IdempotencyKey() key?: string) {
    return this.groups.setCurriculum(actor, id, body, key);
  }

  @Post('groups/:id/events')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: add an event to the group\'s curriculum, with a reason (members and moderators are told)' })
  @Allow('events:change')
  addEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AddEventDto, @IdempotencyKey() key?: string) {
    return this.groups.addEvent(actor, id, body, key);
  }

  @Put('groups/:id/moderator-tandem')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: assign a moderator tandem the ministry appointed to the group' })
  @Allow('moderators:assign')
  assignModeratorTandem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AssignModeratorTandemDto, @IdempotencyKey() key?: string) {
    return this.groups.assignModeratorTandem(actor, id, body, key);
  }

  @Post('events/:id/changes')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Institute: move an event (days, start time, place) before it begins, with a reason; reminders follow, members and moderators are told' })
  @Allow('events:change')
  changeEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: ChangeEventDto, @IdempotencyKey() key?: string) {
    return this.groups.changeEvent(actor, id, body, key);
  }

  @Post('events/:id/cancellation')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Institute: cancel an event before it begins, with a reason; members and moderators are told' })
  @Allow('events:change')
  cancelEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CancelEventDto, @IdempotencyKey() key?: string) {
    return this.groups.cancelEvent(actor, id, body, key);
  }

  @Get('groups/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({ summary: 'iCalendar feed of the group\'s events, cancelled ones marked (ETag; 304 when If-None-Match names it)' })
  @Allow('group-calendar:read')
  async groupCalendar(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return answerFeed(request, response, await this.participants.groupCalendar(actor, id));
  }

  @Post('events/:id/attendance')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Institute or the group\'s moderator: record attendance (also make-ups from other groups)' })
  @Allow('attendance:write')
  recordAttendance(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RecordAttendanceDto, @IdempotencyKey() key?: string) {
    return this.groups.recordAttendance(actor, id, body, key);
  }

  @Get('events/:id/attendance')
  @Allow('attendance:read')
  attendance(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.attendance(actor, id);
  }

  @Post('events/:id/evaluations')
  @Idempotent()
  @ApiOperation({ summary: 'Participant who attended: evaluate the event (1-5)' })
  @Allow('evaluations:write')
  evaluate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: EvaluateEventDto, @IdempotencyKey() key?: string) {
    return this.groups.evaluate(actor, id, body, key);
  }

  @Get('events/:id/evaluations')
  @ApiOperation({ summary: 'Evaluation results of an event (anonymous)' })
  @Allow('evaluations:read')
  evaluations(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.evaluationResults(actor, id);
  }

  @Post('reflection-phases/:id/closure')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Moderator of the group or institute: close a reflection phase' })
  @Allow('reflection-phases:close')
  closeReflectionPhase(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.groups.closeReflectionPhase(actor, id, key);
  }

  @Get('overview')
  @ApiOperation({ summary: 'Institute or ministry: statewide overview, seats per district proportional to need' })
  @Allow('overview:read')
  overview(@CurrentActor() actor: Actor) {
    return this.groups.overview(actor);
  }
}

@ApiTags('qualification: participants and certificates')
@Controller()
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly certificates: CertificatesService,
  ) {}

  @Get('persons/:id/schedule')
  @Allow('person-data:read')
  schedule(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.schedule(actor, id);
  }

  @Get('persons/:id/tasks')
  @Allow('person-data:read')
  tasks(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.tasks(actor, id);
  }

  @Get('persons/:id/certificates')
  @Allow('person-data:read')
  personCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.certificates(actor, id);
  }

  @Get('persons/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({ summary: 'iCalendar feed of a person\'s events, own group and make-ups (ETag; 304 when If-None-Match names it)' })
  @Allow('person-data:read')
  async personCalendar(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return answerFeed(request, response, await this.participants.personCalendar(actor, id));
  }

  @Get('certificates/:id/pdf')
  @ApiOperation({ summary: 'The certificate of participation as PDF/A (its holder, the institute or the ministry)' })
  @Allow('person-data:read')
  async pdf(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    const { filename, content } = await this.certificates.pdf(actor, id);
    return new StreamableFile(content, { type: 'application/pdf', disposition: `inline; filename="${filename}"` });
  }

  @Get('certificates/verify/:code')
  @ApiOperation({ summary: 'Public: confirm a certificate by its verification code (no contact data)' })
  @Public()
  @RateLimited('verification')
  verify(@Param('code') code: string) {
    return this.certificates.verify(code);
  }
}

@ApiTags('qualification: annual exchange')
@Controller()
export class ExchangesController {
  constructor(private readonly alumni: AlumniService) {}

  @Post('exchanges')
  @Idempotent()
  @ApiOperation({ summary: 'Institute: schedule this year\'s exchange; every alumni tandem is invited' })
  @Allow('exchanges:schedule')
  schedule(@CurrentActor() actor: Actor, @Body() body: ScheduleExchangeDto, @IdempotencyKey() key?: string) {
    return this.alumni.schedule(actor, body, key);
  }

  @Get('exchanges')
  @Allow('exchanges:read')
  list(@CurrentActor() actor: Actor) {
    return this.alumni.list(actor);
  }

  @Post('exchange-invitations/:id/answer')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'A member of the invited tandem (or its district): accept or decline' })
  @Allow('exchanges:answer')
  answer(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AnswerInvitationDto, @IdempotencyKey() key?: string) {
    return this.alumni.answer(actor, id, body, key);
  }
}
