/**
 * HTTP endpoints of the evaluation report and the ministry's meetings: decorators and one service call each. The
 * exchange's evaluation, its participants', is in exchange-evaluations.controller.ts.
 */
import { Body, Controller, Delete, Get, Param, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems, ApiWriteProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { ReportQuery, SetMeetingDto, YearParams } from './dtos.js';
import { EvaluationReportService, type ReportFile } from './evaluation-report.service.js';
import { EvaluationReportResponse, MeetingResponse } from './evaluation.responses.js';
import { MeetingsService } from './meetings.service.js';

function download(file: ReportFile): StreamableFile {
  return new StreamableFile(file.content, {
    type: file.contentType,
    disposition: `attachment; filename="${file.filename}"`,
    length: file.content.length,
  });
}

@ApiTags('evaluation: report and ministry meeting')
@Controller('evaluation')
export class EvaluationController {
  constructor(
    private readonly reports: EvaluationReportService,
    private readonly meetings: MeetingsService,
  ) {}

  // The file routes come before `reports/:year`, which would otherwise take `2026.csv` for a year.
  @Get('reports/:year.csv')
  @ApiOperation({
    operationId: 'getEvaluationReportCsv',
    summary:
      'Ministry: the evaluation report of a year as CSV (UTF-8 with BOM; German: `;` and decimal comma, for Excel)',
  })
  @ApiOkResponse({
    description: 'The report as a CSV download',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiProblems()
  @Allow('evaluation-report:read')
  // Linked from the ministry's page: a download the browser fetches with the session cookie.
  @SessionCookie()
  async csv(@Param() params: YearParams, @Query() query: ReportQuery) {
    return download(await this.reports.csv(Number(params.year), query.lang ?? 'de'));
  }

  @Get('reports/:year.pdf')
  @ApiOperation({
    operationId: 'getEvaluationReportPdf',
    summary: 'Ministry: the evaluation report of a year as PDF (PDF/A-2b, tagged)',
  })
  @ApiOkResponse({
    description: 'PDF/A-2b, as a download',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems()
  @Allow('evaluation-report:read')
  // Linked from the ministry's page: a download the browser fetches with the session cookie.
  @SessionCookie()
  async pdf(@Param() params: YearParams, @Query() query: ReportQuery) {
    return download(await this.reports.pdf(Number(params.year), query.lang ?? 'de'));
  }

  @Get('reports/:year')
  @ApiOperation({
    operationId: 'getEvaluationReport',
    summary:
      'Ministry: the evaluation report of a year: per module and event, and the annual exchange (responses, mean, distribution, comments)',
  })
  @ApiOkResponse({ type: EvaluationReportResponse })
  @ApiProblems()
  @Allow('evaluation-report:read')
  // Linked from the ministry's page: a download the browser fetches with the session cookie.
  @SessionCookie()
  report(@Param() params: YearParams) {
    return this.reports.report(Number(params.year));
  }

  @Get('meetings')
  @ApiOperation({
    operationId: 'listEvaluationMeetings',
    summary: 'Ministry: the recorded meetings on the evaluation findings, with their reminders',
  })
  @ApiOkResponse({ type: [MeetingResponse] })
  @ApiProblems()
  @Allow('evaluation-meetings:read')
  listMeetings(@CurrentActor() actor: Actor) {
    return this.meetings.list(actor);
  }

  @Get('meetings/:year')
  @ApiOperation({
    operationId: 'getEvaluationMeeting',
    summary: 'Ministry: the meeting on the findings of a year, with its reminders and why they fall on their days',
  })
  @ApiOkResponse({ type: MeetingResponse })
  @ApiProblems(404)
  @Allow('evaluation-meetings:read')
  meeting(@CurrentActor() actor: Actor, @Param() params: YearParams) {
    return this.meetings.get(actor, Number(params.year));
  }

  @Put('meetings/:year')
  @ApiOperation({
    operationId: 'setEvaluationMeeting',
    summary:
      'Ministry: record (201) or change (200) the meeting on the findings of a year: its day (that year or the next), place and whom to remind',
  })
  @ApiCreatedResponse({ type: MeetingResponse, description: 'Recorded: the year had no meeting' })
  @ApiOkResponse({ type: MeetingResponse, description: 'Changed, or already as asked' })
  @ApiWriteProblems(409, 422)
  @Allow('evaluation-meetings:write')
  async setMeeting(
    @CurrentActor() actor: Actor,
    @Param() params: YearParams,
    @Body() body: SetMeetingDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { created, meeting } = await this.meetings.set(actor, Number(params.year), body);
    response.status(created ? 201 : 200);
    return meeting;
  }

  @Delete('meetings/:year')
  @ApiOperation({
    operationId: 'cancelEvaluationMeeting',
    summary: 'Ministry: cancel the meeting of a year; its pending reminders are dropped',
  })
  @ApiOkResponse({ type: MeetingResponse, description: 'Cancelled, also when it already was' })
  @ApiProblems(404, 409)
  @Allow('evaluation-meetings:write')
  cancelMeeting(@CurrentActor() actor: Actor, @Param() params: YearParams) {
    return this.meetings.cancel(actor, Number(params.year));
  }
}
