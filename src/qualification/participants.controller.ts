import { Controller, Get, Header, Param, ParseUUIDPipe, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Public, SessionCookie } from '../auth/auth.decorators.js';
import { RateLimited } from '../auth/rate-limit.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiCalendarFeed } from '../common/calendar-feed.responses.js';
import { ApiProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { answerFeed } from './calendar.js';
import { CertificatesService } from './certificates.service.js';
import { ParticipantsService } from './participants.service.js';
import {
  CertificateVerificationResponse,
  PersonCertificateResponse,
  PersonScheduleResponse,
  PersonTaskResponse,
} from './responses.js';

const uuid = new ParseUUIDPipe();

@ApiTags('qualification: participants and certificates')
@Controller()
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly certificates: CertificatesService,
  ) {}

  @Get('persons/:id/schedule')
  @ApiOperation({
    operationId: 'getPersonSchedule',
    summary: "A person's events: own group and make-ups, with attendance",
  })
  @ApiOkResponse({ type: PersonScheduleResponse })
  @ApiProblems(404)
  @Allow('person-data:read')
  schedule(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.schedule(actor, id);
  }

  @Get('persons/:id/tasks')
  @ApiOperation({
    operationId: 'listPersonTasks',
    summary: "A person's open tasks: reflection phases and exchange invitations to answer",
  })
  @ApiOkResponse({ type: [PersonTaskResponse] })
  @ApiProblems(404)
  @Allow('person-data:read')
  tasks(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.tasks(actor, id);
  }

  @Get('persons/:id/certificates')
  @ApiOperation({
    operationId: 'listPersonCertificates',
    summary: "A person's certificates, each with the path of its PDF",
  })
  @ApiOkResponse({ type: [PersonCertificateResponse] })
  @ApiProblems(404)
  @Allow('person-data:read')
  personCertificates(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.participants.certificates(actor, id);
  }

  @Get('persons/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiOperation({
    operationId: 'getPersonCalendar',
    summary: "iCalendar feed of a person's events, own group and make-ups (ETag; 304 when If-None-Match names it)",
  })
  @ApiCalendarFeed()
  @ApiProblems(404)
  @Allow('person-data:read')
  async personCalendar(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answerFeed(request, response, await this.participants.personCalendar(actor, id));
  }

  @Get('certificates/:id/pdf')
  @ApiOperation({
    operationId: 'getCertificatePdf',
    summary: 'The certificate of participation as PDF (its holder or the institute)',
  })
  @ApiOkResponse({
    description: 'PDF/A-2b',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
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
  @ApiOperation({
    operationId: 'verifyCertificate',
    summary: 'Public: confirm a certificate by its verification code (no contact data)',
  })
  verify(@Param('code') code: string) {
    return this.certificates.verify(code);
  }
}
