/**
 * The lists clerks keep elsewhere as files: `GET /exports/{list}.csv` or `.xlsx`, each in the scope of its JSON list.
 */
import { applyDecorators, Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems } from '../common/problem.responses.js';
import { CSV_TYPE, XLSX_TYPE, type SpreadsheetFile } from '../common/spreadsheet.js';
import type { Actor } from '../common/actor.js';
import { AttendanceExportQuery, ExportFormatParams } from './exports.dto.js';
import { ExportsService } from './exports.service.js';

/** A file to save: its type, its length and a name a clerk recognises. */
export function download(file: Pick<SpreadsheetFile, 'filename' | 'contentType' | 'content'>): StreamableFile {
  return new StreamableFile(file.content, {
    type: file.contentType,
    disposition: `attachment; filename="${file.filename}"`,
    length: file.content.length,
  });
}

const SpreadsheetDownload = (summary: string, operationId: string) =>
  applyDecorators(
    ApiOperation({ operationId, summary }),
    ApiOkResponse({
      description: 'The list as a download (Content-Disposition names the file)',
      content: {
        [CSV_TYPE.split(';')[0]]: { schema: { type: 'string' } },
        [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
      },
    }),
    ApiProblems(),
  );

@ApiTags('exports (CSV and XLSX)')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('enrolments.:format')
  @SpreadsheetDownload(
    "Enrolments with status, group, waiting-list position and the staff council's and equal-opportunities officer's involvement (a district its own)",
    'exportEnrolments',
  )
  @Allow('enrolments:read')
  @SessionCookie()
  async enrolments(@CurrentActor() actor: Actor, @Param() params: ExportFormatParams) {
    return download(await this.exports.enrolments(actor, params.format));
  }

  @Get('attendance.:format')
  @SpreadsheetDownload(
    "Attendance: each seated tandem against each event, both members' presence and whether the event counts (a moderator its own groups)",
    'exportAttendance',
  )
  @Allow('attendance:read')
  @SessionCookie()
  async attendance(
    @CurrentActor() actor: Actor,
    @Param() params: ExportFormatParams,
    @Query() query: AttendanceExportQuery,
  ) {
    return download(await this.exports.attendance(actor, params.format, query.groupId));
  }

  @Get('deadlines.:format')
  @SpreadsheetDownload(
    "Upcoming and overdue deadlines of both programmes in the caller's scope, soonest first",
    'exportDeadlines',
  )
  @Allow('deadlines:read')
  @SessionCookie()
  async deadlines(@CurrentActor() actor: Actor, @Param() params: ExportFormatParams) {
    return download(await this.exports.deadlines(actor, params.format));
  }

  @Get('certificates.:format')
  @SpreadsheetDownload('Every certificate issued, with its verification code and address', 'exportCertificates')
  @Allow('certificates:read')
  @SessionCookie()
  async certificates(@Param() params: ExportFormatParams) {
    return download(await this.exports.certificates(params.format));
  }
}
