import { Body, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { recordShown } from '../audit/handler-reads.js';
import { Allow } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { NotFound } from '../common/errors.js';
import { RecordAttendanceDto } from '../qualification/dtos.js';
import type { GroupsService } from '../qualification/groups.service.js';
import type { FormFields } from './form-body.js';
import { Form, validated } from './forms.js';
import {
  attendanceEntries,
  attendanceOf,
  attendancePage,
  groupPage,
  groupPeople,
  type GroupView,
} from './group-pages.js';
import type { Html } from './html.js';
import { noticeOf } from './notices.js';
import { seeOther, sendPage } from './respond.js';

const uuid = new ParseUUIDPipe();

/**
 * What the institute and a group's moderators both do on a group's page: read it, record an event's attendance,
 * close a reflection phase. The routes are inherited by each role's controller under its own path; the services
 * check that a moderator acts only in its own groups.
 */
export abstract class GroupWorkController {
  protected abstract readonly base: string;
  protected abstract readonly groups: GroupsService;

  /** The group's page, with what the role adds to it. */
  protected abstract renderGroup(
    actor: SignedInActor,
    group: GroupView,
    notice?: string,
    forms?: Record<string, Form>,
  ): Promise<Html>;

  protected async groupPageOf(
    actor: SignedInActor,
    group: GroupView,
    extra: Pick<Parameters<typeof groupPage>[1], 'extra' | 'changeEvents'>,
    notice?: string,
    forms?: Record<string, Form>,
  ): Promise<Html> {
    await recordShown(groupPeople(group));
    return groupPage(group, {
      actor,
      base: this.base,
      notice,
      forms,
      attendance: await attendanceOf(this.groups, actor, group),
      ...extra,
    });
  }

  @Get('gruppen/:id')
  @Allow('groups:read')
  async group(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Query('ok') ok: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.renderGroup(actor, await this.groups.getGroup(actor, id), noticeOf(ok)));
  }

  @Get('gruppen/:id/termine/:eventId/anwesenheit')
  @Allow('attendance:write')
  async attendanceForm(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Param('eventId', uuid) eventId: string,
    @Res() response: Response,
  ): Promise<void> {
    const group = await this.groupWithEvent(actor, id, eventId);
    const recorded = group.events.find((e) => e.id === eventId)!.attendanceRecorded
      ? await this.groups.attendance(actor, eventId)
      : undefined;
    await recordShown(group.tandems.flatMap((t) => t.members.map((m) => m.id)));
    sendPage(response, attendancePage(group, eventId, recorded, { actor, base: this.base, form: new Form() }));
  }

  @Post('gruppen/:id/termine/:eventId/anwesenheit')
  @Allow('attendance:write')
  async recordAttendance(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Param('eventId', uuid) eventId: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const group = await this.groupWithEvent(actor, id, eventId);
    const form = Form.submitted(body);
    const dto = await validated(
      form,
      RecordAttendanceDto,
      { entries: attendanceEntries(group, form) },
      () => 'present',
    );
    if (dto) {
      if (await form.attempt(() => this.groups.recordAttendance(actor, eventId, dto, form.key)))
        return seeOther(response, `${this.base}/gruppen/${id}?ok=anwesenheit`);
    }
    sendPage(
      response,
      attendancePage(group, eventId, undefined, { actor, base: this.base, form: form.again() }),
      form.status,
    );
  }

  @Post('reflexionsphasen/:id/abschluss')
  @Allow('reflection-phases:close')
  async closeReflectionPhase(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const groupId = form.text('groupId');
    if (await form.attempt(() => this.groups.closeReflectionPhase(actor, id, form.key)))
      return seeOther(response, `${this.base}/gruppen/${groupId}?ok=reflexion`);
    const group = await this.groups.getGroup(actor, groupId);
    sendPage(response, await this.renderGroup(actor, group, undefined, { [`phase-${id}`]: form.again() }), form.status);
  }

  private async groupWithEvent(actor: SignedInActor, groupId: string, eventId: string): Promise<GroupView> {
    const group = await this.groups.getGroup(actor, groupId);
    const event = group.events.find((e) => e.id === eventId);
    if (!event) throw new NotFound(`no event ${eventId} in group ${group.name}`, 'event-exists', { event: eventId });
    return group;
  }
}
