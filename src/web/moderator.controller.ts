import { Controller, Get, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { GroupsService } from '../qualification/groups.service.js';
import { day, days, GROUP_STATE, moduleName, status } from './format.js';
import type { Form } from './forms.js';
import type { GroupView } from './group-pages.js';
import { GroupWorkController } from './group-work.controller.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { DisplayNameInterceptor } from './display-name.interceptor.js';

/** A moderator's pages: the own groups, their attendance and reflection phases (the services keep to the own groups). */
@ApiExcludeController()
@Controller('app/moderation')
@UseFilters(WebErrorFilter)
@UseInterceptors(DisplayNameInterceptor)
@SessionCookie()
export class ModeratorController extends GroupWorkController {
  protected readonly base = '/app/moderation';

  constructor(protected readonly groups: GroupsService) {
    super();
  }

  @Get('gruppen')
  @Allow('attendance:write')
  async ownGroups(
    @CurrentActor() actor: SignedInActor,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const groups = await this.groups.listGroups(actor);
    sendPage(
      response,
      layout({
        title: 'Meine Gruppen',
        actor,
        path: request.path,
        main: html`<h1>Meine Gruppen</h1>
        ${
          groups.length === 0
            ? html`<p>Sie moderieren derzeit keine Gruppe.</p>`
            : html`<ul class="cards">${groups.map((g) => {
                const next = g.events.find((e) => e.status !== 'cancelled' && !e.attendanceRecorded);
                const open = g.reflectionPhases.filter((p) => !p.closed);
                return html`<li><h2><a href="/app/moderation/gruppen/${g.id}">${g.name}</a></h2>
            <p>${status(g.state, GROUP_STATE)} · ${g.tandems.length} Tandems</p>
            <p>Nächster Termin: ${next ? `${moduleName(next)}, ${days(next.days)}, ${next.place}` : '–'}</p>
            <p>Offene Reflexionsphasen: ${open.length ? open.map((p) => `bis ${day(p.dueOn)}`).join(', ') : 'keine'}</p></li>`;
              })}</ul>`
        }`,
      }),
    );
  }

  protected renderGroup(
    actor: SignedInActor,
    group: GroupView,
    notice?: string,
    forms?: Record<string, Form>,
  ): Promise<Html> {
    return this.groupPageOf(actor, group, {}, notice, forms);
  }
}
