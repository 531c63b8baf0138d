/**
 * HTTP endpoints of the tandem qualification: decorators and one service call each. The caller is signed in (bearer
 * token); each route names its permission (src/auth/policy.ts), the services check the caller's scope.
 * Operation ids are the method names (app.ts) unless `@ApiOperation` gives one a client reads better or that stays
 * unique across controllers (`listEnrolments`, not `list`).
 */
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Public, SessionCookie } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limit.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { IdempotencyHeader, IdempotencyKey } from '../common/idempotency.js';
import { ApiCalendarFeed } from '../common/calendar-feed.responses.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
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
import {
  AttendanceResponse, CertificateResponse, CertificateVerificationResponse, ClosedReflectionPhaseResponse, DistrictNeedResponse, DistrictResponse,
  EnrolmentResponse, EvaluationResultsResponse, EventEvaluationResponse, ExchangeResponse, GroupResponse, InvitationAnswerResponse,
  MemberChangeResponse, ModeratorTandemResponse, NetworkResponse, OverviewResponse, PersonCertificateResponse, PersonResponse,
  PersonScheduleResponse, PersonTaskResponse, SchoolOfficeResponse, TandemResponse,
} from './responses.js';

const uuid = new ParseUUIDPipe();

@ApiTags('qualification: directory')
@Controller()
export class DirectoryController {
  constructor(private readonly registration: RegistrationService) {}

  @Get('districts')
  @ApiOperation({ operationId: 'listDistricts', summary: 'The five Bezirksregierungen and their configured need for seats' })
  @ApiOkResponse({ type: [DistrictResponse] })
  @ApiProblems()
  @Allow('districts:read')
  districts() {
    return this.registration.districts();
  }

  @Put('districts/:id/need')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'setDistrictNeed', summary: 'Institute: set a district\'s need; seats are allocated in proportion to it' })
  @ApiOkResponse({ type: DistrictNeedResponse })
  @ApiWriteProblems(404)
  @Allow('districts:plan')
  setNeed(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SetNeedDto, @IdempotencyKey() key?: string) {
    return this.registration.setNeed(actor, id, body.need, key);
  }

  @Post('school-offices')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Create a Schulamt in a district (a district only in its own area)' })
  @ApiCreatedResponse({ type: SchoolOfficeResponse })
  @ApiWriteProblems(404)
  @Allow('directory:write')
  createSchoolOffice(@CurrentActor() actor: Actor, @Body() body: CreateSchoolOfficeDto, @IdempotencyKey() key?: string) {
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
  @ApiOperation({ summary: 'Create a person: school supervision official (lower at a Schulamt, upper at a district) or moderator' })
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
  @ApiOperation({ operationId: 'changeTandemMember', summary: 'District: a member changes; re-formation (new enrolment) unless an exemption reason is given' })
  @ApiCreatedResponse({ type: MemberChangeResponse })
  @ApiWriteProblems(404, 409, 422)
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
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'nominateTandem', summary: 'District: nominate a tandem of its own area (enrolment starts as nominated)' })
  @ApiCreatedResponse({ type: EnrolmentResponse })
  @ApiWriteProblems(404, 422)
  @Allow('enrolments:nominate')
  register(@CurrentActor() actor: Actor, @Body() body: RegisterEnrolmentDto, @IdempotencyKey() key?: string) {
    return this.registration.register(actor, body.tandemId, key);
  }

  @Get()
  @ApiOperation({ operationId: 'listEnrolments', summary: 'Enrolments with status and waiting-list position (a district sees its own)' })
  @ApiOkResponse({ type: [EnrolmentResponse] })
  @ApiProblems()
  @Allow('enrolments:read')
  list(@CurrentActor() actor: Actor) {
    return this.registration.list(actor);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getEnrolment', summary: 'One enrolment with its status, group and waiting-list position' })
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
  recordInvolvement(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RecordInvolvementDto, @IdempotencyKey() key?: string) {
    return this.registration.recordInvolvement(actor, id, body, key);
  }

  @Post(':id/submission')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ operationId: 'submitRegistration', summary: 'District: submit the registration to the institute (needs both involvements)' })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiProblems(404, 409, 422)
  @Allow('enrolments:nominate')
  submit(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.registration.submit(actor, id, key);
  }

  @Post(':id/placement')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ operationId: 'placeEnrolment', summary: 'Institute: place in a group, or waitlist when the group is full' })
  @ApiOkResponse({ type: EnrolmentResponse, description: 'Placed, or waitlisted with its position' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('enrolments:place')
  place(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: PlaceEnrolmentDto, @IdempotencyKey() key?: string) {
    return this.registration.place(actor, id, body.groupId, key);
  }

  @Post(':id/withdrawal')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ operationId: 'withdrawEnrolment', summary: 'District or institute: withdraw; the first waiting tandem moves up' })
  @ApiOkResponse({ type: EnrolmentResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('enrolments:withdraw')
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: WithdrawDto, @IdempotencyKey() key?: string) {
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
  @ApiOperation({ operationId: 'listEnrolmentCertificates', summary: 'The certificates issued to the members of an enrolment\'s tandem' })
  @ApiOkResponse({ type: [CertificateResponse] })
  @ApiProblems()
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
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Ministry or institute: appoint a moderator tandem' })
  @ApiCreatedResponse({ type: ModeratorTandemResponse })
  @ApiWriteProblems(422)
  @Allow('moderators:appoint')
  createModeratorTandem(@CurrentActor() actor: Actor, @Body() body: CreateModeratorTandemDto, @IdempotencyKey() key?: string) {
    return this.groups.createModeratorTandem(actor, body, key);
  }

  @Post('groups')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Institute: form a qualification group (capacity default 8 tandems)' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiWriteProblems(404)
  @Allow('groups:write')
  createGroup(@CurrentActor() actor: Actor, @Body() body: CreateGroupDto, @IdempotencyKey() key?: string) {
    return this.groups.createGroup(actor, body, key);
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups (a moderator sees its own)' })
  @ApiOkResponse({ type: [GroupResponse] })
  @ApiProblems()
  @Allow('groups:read')
  listGroups(@CurrentActor() actor: Actor) {
    return this.groups.listGroups(actor);
  }

  @Get('groups/:id')
  @ApiOperation({ summary: 'One group: moderators, events, reflection phases, seated tandems and waiting list' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiProblems(404)
  @Allow('groups:read')
  getGroup(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.getGroup(actor, id);
  }

  @Post('groups/:id/curriculum')
  @IdempotencyHeader()
  @ApiOperation({ summary: 'Institute: schedule the group\'s events (three core modules, at most 64 hours); reflection phases between them' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('groups:write')
  setCurriculum(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: SetCurriculumDto, @IdempotencyKey() key?: string) {
    return this.groups.setCurriculum(actor, id, body, key);
  }

  @Post('groups/:id/events')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'addGroupEvent', summary: 'Institute: add an event to the group\'s curriculum, with a reason (members and moderators are told)' })
  @ApiCreatedResponse({ type: GroupResponse, description: 'The group with the new event' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  addEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AddEventDto, @IdempotencyKey() key?: string) {
    return this.groups.addEvent(actor, id, body, key);
  }

  @Put('groups/:id/moderator-tandem')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'assignModeratorTandem', summary: 'Institute: assign a moderator tandem the ministry appointed to the group' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('moderators:assign')
  assignModeratorTandem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AssignModeratorTandemDto, @IdempotencyKey() key?: string) {
    return this.groups.assignModeratorTandem(actor, id, body, key);
  }

  @Post('events/:id/changes')
  @HttpCode(200)
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'changeEvent', summary: 'Institute: move an event (days, start time, place) before it begins, with a reason; reminders follow, members and moderators are told' })
  @ApiOkResponse({ type: GroupResponse, description: 'The event\'s group with the event as moved' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  changeEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: ChangeEventDto, @IdempotencyKey() key?: string) {
    return this.groups.changeEvent(actor, id, body, key);
  }

  @Post('events/:id/cancellation')
  @HttpCode(200)
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'cancelEvent', summary: 'Institute: cancel an event before it begins, with a reason; members and moderators are told' })
  @ApiOkResponse({ type: GroupResponse, description: 'The event\'s group; the event stays in it as cancelled' })
  @ApiWriteProblems(404, 409, 422)
  @Allow('events:change')
  cancelEvent(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: CancelEventDto, @IdempotencyKey() key?: string) {
    return this.groups.cancelEvent(actor, id, body, key);
  }

  @Get('groups/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({ operationId: 'getGroupCalendar', summary: 'iCalendar feed of the group\'s events (ETag; 304 when If-None-Match names it)' })
  @ApiCalendarFeed()
  @ApiProblems(404)
  @Allow('group-calendar:read')
  async groupCalendar(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return answerFeed(request, response, await this.participants.groupCalendar(actor, id));
  }

  @Post('events/:id/attendance')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ summary: 'Institute or the group\'s moderator: record attendance (also make-ups from other groups)' })
  @ApiOkResponse({ type: AttendanceResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('attendance:write')
  recordAttendance(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: RecordAttendanceDto, @IdempotencyKey() key?: string) {
    return this.groups.recordAttendance(actor, id, body, key);
  }

  @Get('events/:id/attendance')
  @ApiOperation({ operationId: 'getAttendance', summary: 'The attendance recorded for an event' })
  @ApiOkResponse({ type: AttendanceResponse })
  @ApiProblems(404)
  @Allow('attendance:read')
  attendance(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.attendance(actor, id);
  }

  @Post('events/:id/evaluations')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'evaluateEvent', summary: 'Participant who attended: evaluate the event (1-5)' })
  @ApiCreatedResponse({ type: EventEvaluationResponse })
  @ApiWriteProblems(404, 422)
  @Allow('evaluations:write')
  evaluate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: EvaluateEventDto, @IdempotencyKey() key?: string) {
    return this.groups.evaluate(actor, id, body, key);
  }

  @Get('events/:id/evaluations')
  @ApiOperation({ operationId: 'getEvaluationResults', summary: 'Evaluation results of an event (anonymous)' })
  @ApiOkResponse({ type: EvaluationResultsResponse })
  @ApiProblems(404)
  @Allow('evaluations:read')
  evaluations(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.groups.evaluationResults(actor, id);
  }

  @Post('reflection-phases/:id/closure')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ summary: 'Moderator of the group or institute: close a reflection phase' })
  @ApiOkResponse({ type: ClosedReflectionPhaseResponse })
  @ApiProblems(404, 409, 422)
  @Allow('reflection-phases:close')
  closeReflectionPhase(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @IdempotencyKey() key?: string) {
    return this.groups.closeReflectionPhase(actor, id, key);
  }

  @Get('overview')
  @ApiOperation({ operationId: 'getOverview', summary: 'Institute or ministry: statewide overview, seats per district proportional to need' })
  @ApiOkResponse({ type: OverviewResponse })
  @ApiProblems()
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
  @ApiOperation({ operationId: 'getPersonSchedule', summary: 'A person\'s events: own group and make-ups, with attendance' })
  @ApiOkResponse({ type: PersonScheduleResponse })
  @ApiProblems(404)
  @Allow('person-data:read')
  schedule(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.schedule(actor, id);
  }

  @Get('persons/:id/tasks')
  @ApiOperation({ operationId: 'listPersonTasks', summary: 'A person\'s open tasks: reflection phases and exchange invitations to answer' })
  @ApiOkResponse({ type: [PersonTaskResponse] })
  @ApiProblems(404)
  @Allow('person-data:read')
  tasks(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.tasks(actor, id);
  }

  @Get('persons/:id/certificates')
  @ApiOperation({ operationId: 'listPersonCertificates', summary: 'A person\'s certificates, each with the path of its PDF' })
  @ApiOkResponse({ type: [PersonCertificateResponse] })
  @ApiProblems(404)
  @Allow('person-data:read')
  personCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.certificates(actor, id);
  }

  @Get('persons/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({ operationId: 'getPersonCalendar', summary: 'iCalendar feed of a person\'s events, own group and make-ups (ETag; 304 when If-None-Match names it)' })
  @ApiCalendarFeed()
  @ApiProblems(404)
  @Allow('person-data:read')
  async personCalendar(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return answerFeed(request, response, await this.participants.personCalendar(actor, id));
  }

  @Get('certificates/:id/pdf')
  @ApiOperation({ operationId: 'getCertificatePdf', summary: 'The certificate of participation as PDF (its holder or the institute)' })
  @ApiOkResponse({ description: 'PDF/A-2b', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(404)
  @Allow('person-data:read')
  @SessionCookie()
  async pdf(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    const { filename, content } = await this.certificates.pdf(actor, id);
    return new StreamableFile(content, { type: 'application/pdf', disposition: `inline; filename="${filename}"` });
  }

  @Get('certificates/verify/:code')
  @ApiOkResponse({ type: CertificateVerificationResponse })
  @ApiProblems(404)
  @Public()
  @RateLimited('verification')
  @ApiOperation({ operationId: 'verifyCertificate', summary: 'Public: confirm a certificate by its verification code (no contact data)' })
  verify(@Param('code') code: string) {
    return this.certificates.verify(code);
  }
}

@ApiTags('qualification: annual exchange')
@Controller()
export class ExchangesController {
  constructor(private readonly alumni: AlumniService) {}

  @Post('exchanges')
  @IdempotencyHeader()
  @ApiOperation({ operationId: 'scheduleExchange', summary: 'Institute: schedule this year\'s exchange; every alumni tandem is invited' })
  @ApiCreatedResponse({ type: ExchangeResponse })
  @ApiWriteProblems(409, 422)
  @Allow('exchanges:schedule')
  schedule(@CurrentActor() actor: Actor, @Body() body: ScheduleExchangeDto, @IdempotencyKey() key?: string) {
    return this.alumni.schedule(actor, body, key);
  }

  @Get('exchanges')
  @ApiOperation({ operationId: 'listExchanges', summary: 'The exchanges with how many alumni tandems were invited, accepted, declined' })
  @ApiOkResponse({ type: [ExchangeResponse] })
  @ApiProblems()
  @Allow('exchanges:read')
  list(@CurrentActor() actor: Actor) {
    return this.alumni.list(actor);
  }

  @Post('exchange-invitations/:id/answer')
  @IdempotencyHeader()
  @HttpCode(200)
  @ApiOperation({ operationId: 'answerExchangeInvitation', summary: 'A member of the invited tandem (or its district): accept or decline' })
  @ApiOkResponse({ type: InvitationAnswerResponse })
  @ApiWriteProblems(404, 409, 422)
  @Allow('exchanges:answer')
  answer(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() body: AnswerInvitationDto, @IdempotencyKey() key?: string) {
    return this.alumni.answer(actor, id, body, key);
  }
}
