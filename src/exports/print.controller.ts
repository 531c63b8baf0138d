/**
 * Print-ready papers of a group: its roster and an event's sign-in sheet, as PDF, for whom may see the group.
 */
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ApiProblems } from '../common/problem.responses.js';
import type { Actor } from '../common/actor.js';
import { download } from './exports.controller.js';
import { ExportsService } from './exports.service.js';

const Pdf = () =>
  ApiOkResponse({
    description: 'A4 PDF to print, as a download',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  });

@ApiTags('qualification: groups and events')
@Controller()
export class PrintController {
  constructor(private readonly exports: ExportsService) {}

  @Get('groups/:id/roster.pdf')
  @ApiOperation({
    operationId: 'getGroupRosterPdf',
    summary:
      "The group's roster to print: its tandems with both members, its moderators and its events (a moderator its own groups)",
  })
  @Pdf()
  @ApiProblems(404)
  @Allow('groups:read')
  @SessionCookie()
  async roster(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return download(await this.exports.roster(actor, id));
  }

  @Get('events/:id/sign-in-sheet.pdf')
  @ApiOperation({
    operationId: 'getEventSignInSheetPdf',
    summary:
      "The event's sign-in sheet to print: title, days, place, one row per person with a signature field per day",
  })
  @Pdf()
  @ApiProblems(404)
  @Allow('attendance:read')
  @SessionCookie()
  async signInSheet(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string) {
    return download(await this.exports.signInSheet(actor, id));
  }
}
