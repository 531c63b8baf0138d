import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CORE_MODULES, DEFAULT_START_TIME, MODULE_TITLES } from '../../workflows/tandem-qualification/model.js';
import { recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { NotFound } from '../common/errors.js';
import { CertificatesService } from '../qualification/certificates.service.js';
import { AddEventDto, CancelEventDto, ChangeEventDto, PlaceEnrolmentDto, SetNeedDto } from '../qualification/dtos.js';
import { GroupsService } from '../qualification/groups.service.js';
import { RegistrationService } from '../qualification/registration.service.js';
import type { FormFields } from './form-body.js';
import { day, days, ENROLMENT_STATUS, GROUP_STATE, moduleKeyOf, moduleName, status } from './format.js';
import { errorSummary, Form, keyField, selectField, textField, validated } from './forms.js';
import type { GroupView } from './group-pages.js';
import { GroupWorkController } from './group-work.controller.js';
import { exportLinks } from './export-links.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { noticeOf } from './notices.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { DisplayNameInterceptor } from './display-name.interceptor.js';

const uuid = new ParseUUIDPipe();

/** The days of an event form: up to four date fields `day0`…`day3`, empty ones left out. */
function daysOf(form: Form): string[] {
  return [0, 1, 2, 3].map((i) => form.text(`day${i}`)).filter(Boolean);
}

/**
 * The institute's pages: groups with the attendance matrix, reflection phases, curriculum changes and
 * certificates; placing registered tandems; seats per district and the statewide overview.
 */
@ApiExcludeController()
@Controller('app/institut')
@UseFilters(WebErrorFilter)
@UseInterceptors(DisplayNameInterceptor)
@SessionCookie()
export class InstituteController extends GroupWorkController {
  protected readonly base = '/app/institut';

  constructor(
    protected readonly groups: GroupsService,
    private readonly registration: RegistrationService,
    private readonly certificates: CertificatesService,
  ) {
    super();
  }

  @Get('gruppen')
  @Allow('groups:write')
  async groupList(
    @CurrentActor() actor: SignedInActor,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const groups = await this.groups.listGroups(actor);
    await recordShown(groups.flatMap((g) => g.moderators.map((m) => m.id)));
    sendPage(
      response,
      layout({
        title: 'Gruppen',
        actor,
        path: request.path,
        main: html`<h1>Qualifizierungsgruppen</h1>
        <p class="no-print"><a href="/app/institut/gruppe-neu">Gruppe bilden</a></p>
        ${
          groups.length === 0
            ? html`<p>Noch keine Gruppen.</p>`
            : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Gruppe</th><th scope="col">Stand</th><th scope="col">Moderation</th><th scope="col" class="num">Belegt</th><th scope="col" class="num">Warteliste</th><th scope="col">Nächster Termin</th></tr></thead>
          <tbody>${groups.map((g) => {
            const next = g.events.find((e) => e.status !== 'cancelled' && !e.attendanceRecorded);
            return html`<tr>
              <td><a href="/app/institut/gruppen/${g.id}">${g.name}</a></td><td>${status(g.state, GROUP_STATE)}</td>
              <td>${g.moderators.map((m) => m.name).join(' und ')}</td><td class="num">${g.tandems.length} / ${g.capacity}</td>
              <td class="num">${g.waitingList.length}</td><td>${next ? `${moduleName(next)}, ${days(next.days)}` : '–'}</td>
            </tr>`;
          })}</tbody>
        </table></div>`
        }`,
      }),
    );
  }

  protected async renderGroup(
    actor: SignedInActor,
    group: GroupView,
    notice?: string,
    forms: Record<string, Form> = {},
  ): Promise<Html> {
    const issued = new Map(
      await Promise.all(
        group.tandems.map(
          async (t) => [t.enrolmentId, await this.certificates.forEnrolment(actor, t.enrolmentId)] as const,
        ),
      ),
    );
    const extra = html`<h2>Zertifikate</h2>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Tandem</th><th scope="col">Zertifikate</th></tr></thead>
        <tbody>${group.tandems.map((t, i) => {
          const certificates = issued.get(t.enrolmentId) ?? [];
          const form = (forms[`cert-${t.enrolmentId}`] ?? new Form()).named(`cert-${t.enrolmentId}`);
          return html`<tr><th scope="row">Tandem ${i + 1}: ${t.members.map((m) => m.name).join(' und ')}</th><td>
            ${
              certificates.length
                ? html`<ul>${certificates.map((c) => html`<li><a href="/certificates/${c.id}/pdf">Teilnahmebescheinigung ${c.name} (PDF)</a>, ausgestellt am ${day(c.issuedOn)}</li>`)}</ul>`
                : html`${errorSummary(form)}<form method="post" action="/app/institut/anmeldungen/${t.enrolmentId}/zertifikate">${keyField(form)}
                  <input type="hidden" name="groupId" value="${group.id}">
                  <button type="submit">Zertifikate ausstellen<span class="visually-hidden">: Tandem ${i + 1}</span></button></form>`
            }
          </td></tr>`;
        })}</tbody>
      </table></div>`;
    return this.groupPageOf(actor, group, { extra, changeEvents: true }, notice, forms);
  }

  @Post('anmeldungen/:id/zertifikate')
  @Allow('certificates:issue')
  async issueCertificates(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const groupId = form.text('groupId');
    if (await form.attempt(() => this.certificates.issue(actor, id, form.key)))
      return seeOther(response, `/app/institut/gruppen/${groupId}?ok=zertifikate`);
    sendPage(
      response,
      await this.renderGroup(actor, await this.groups.getGroup(actor, groupId), undefined, {
        [`cert-${id}`]: form.again(),
      }),
      form.status,
    );
  }

  // --- curriculum changes: move, cancel or add an event, each with a reason

  private async eventOf(actor: SignedInActor, groupId: string, eventId: string) {
    const group = await this.groups.getGroup(actor, groupId);
    const event = group.events.find((e) => e.id === eventId);
    if (!event) throw new NotFound(`no event ${eventId} in group ${group.name}`, 'event-exists', { event: eventId });
    return { group, event };
  }

  @Get('gruppen/:id/termine/:eventId/aenderung')
  @Allow('events:change')
  async changeForm(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Param('eventId', uuid) eventId: string,
    @Res() response: Response,
  ): Promise<void> {
    const { event } = await this.eventOf(actor, id, eventId);
    const values: FormFields = { startTime: event.startTime, place: event.place };
    event.days.forEach((d, i) => {
      values[`day${i}`] = d;
    });
    sendPage(response, await this.changePage(actor, id, eventId, new Form(values), new Form()));
  }

  @Post('gruppen/:id/termine/:eventId/aenderung')
  @Allow('events:change')
  async changeEvent(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Param('eventId', uuid) eventId: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const { event } = await this.eventOf(actor, id, eventId);
    const form = Form.submitted(body);
    const newDays = daysOf(form);
    const changed = {
      ...(newDays.join() !== event.days.join() ? { days: newDays } : {}),
      ...(form.text('startTime') !== event.startTime ? { startTime: form.text('startTime') } : {}),
      ...(form.text('place') !== event.place ? { place: form.text('place') } : {}),
      reason: form.text('reason'),
    };
    const dto = await validated(form, ChangeEventDto, changed, (path) => (path.startsWith('days') ? 'day0' : path));
    if (dto) {
      if (
        await form.attempt(() => this.groups.changeEvent(actor, eventId, dto, form.key), {
          'event-change-changes-something': 'day0',
          'event-change-in-future': 'day0',
          'event-change-before-it-begins': 'day0',
          'curriculum-events-in-order': 'day0',
          'curriculum-max-64-hours': 'day0',
        })
      )
        return seeOther(response, `/app/institut/gruppen/${id}?ok=termin-geaendert`);
    }
    sendPage(response, await this.changePage(actor, id, eventId, form.again(), new Form()), form.status);
  }

  @Post('gruppen/:id/termine/:eventId/absage')
  @Allow('events:change')
  async cancelEvent(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Param('eventId', uuid) eventId: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const { event } = await this.eventOf(actor, id, eventId);
    const form = Form.submitted(body);
    const dto = await validated(form, CancelEventDto, { reason: form.text('reason') });
    if (dto) {
      if (
        await form.attempt(() => this.groups.cancelEvent(actor, eventId, dto, form.key), {
          'event-change-before-it-begins': 'reason',
        })
      )
        return seeOther(response, `/app/institut/gruppen/${id}?ok=termin-abgesagt`);
    }
    const values: FormFields = { startTime: event.startTime, place: event.place };
    event.days.forEach((d, i) => {
      values[`day${i}`] = d;
    });
    sendPage(response, await this.changePage(actor, id, eventId, new Form(values), form.again()), form.status);
  }

  private async changePage(
    actor: SignedInActor,
    groupId: string,
    eventId: string,
    change: Form,
    cancel: Form,
  ): Promise<Html> {
    const { group, event } = await this.eventOf(actor, groupId, eventId);
    change.named('aenderung');
    cancel.named('absage');
    const labels = {
      day0: '1. Tag',
      day1: '2. Tag',
      day2: '3. Tag',
      day3: '4. Tag',
      startTime: 'Beginn',
      place: 'Ort',
      reason: 'Grund der Änderung',
    };
    return layout({
      title: `Termin ändern: ${moduleName(event)}`,
      actor,
      path: '/app/institut/gruppen',
      main: html`<h1>Termin ändern: ${moduleName(event)}</h1>
        <p>${group.name}, bisher ${days(event.days)} ab ${event.startTime} Uhr in ${event.place}. Mitglieder und Moderation werden mit dem Grund benachrichtigt; der Termin behält seine Stunden.</p>
        <h2>Verschieben</h2>
        ${errorSummary(change, labels)}
        <form class="stacked" method="post" action="/app/institut/gruppen/${group.id}/termine/${event.id}/aenderung" novalidate>
          ${keyField(change)}
          ${[0, 1, 2, 3].filter((i) => i < Math.max(event.days.length, 1) || change.text(`day${i}`)).map((i) => textField(change, { name: `day${i}`, label: labels[`day${i}` as 'day0'], type: 'date' }))}
          ${textField(change, { name: 'startTime', label: labels.startTime, type: 'time' })}
          ${textField(change, { name: 'place', label: labels.place })}
          ${textField(change, { name: 'reason', label: labels.reason, required: true, multiline: true })}
          <div class="actions"><button type="submit">Änderung speichern</button><a href="/app/institut/gruppen/${group.id}">Zurück zur Gruppe</a></div>
        </form>
        <h2>Absagen</h2>
        ${errorSummary(cancel, { reason: 'Grund der Absage' })}
        <form class="stacked" method="post" action="/app/institut/gruppen/${group.id}/termine/${event.id}/absage" novalidate>
          ${keyField(cancel)}
          ${textField(cancel, { name: 'reason', label: 'Grund der Absage', required: true, multiline: true })}
          <div class="actions"><button type="submit" class="secondary">Termin absagen</button></div>
        </form>`,
    });
  }

  @Get('gruppen/:id/termin-neu')
  @Allow('events:change')
  async addForm(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.addPage(actor, id, new Form({ startTime: DEFAULT_START_TIME, hours: '16' })));
  }

  @Post('gruppen/:id/termin-neu')
  @Allow('events:change')
  async addEvent(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const module = form.text('module') === 'additional' ? moduleKeyOf(form.text('title')) : form.text('module');
    if (form.text('module') === 'additional' && !form.text('title'))
      form.fieldError('title', 'Bitte geben Sie den Titel des neuen Moduls an.');
    const dto = await validated(
      form,
      AddEventDto,
      {
        module: module || undefined,
        title: form.optional('title'),
        days: daysOf(form),
        startTime: form.text('startTime') || undefined,
        hours: form.number('hours'),
        place: form.text('place'),
        reason: form.text('reason'),
      },
      (path) => (path.startsWith('days') ? 'day0' : path),
    );
    if (dto && form.ok) {
      if (
        await form.attempt(() => this.groups.addEvent(actor, id, dto, form.key), {
          'curriculum-max-64-hours': 'hours',
          'curriculum-module-title': 'title',
          'curriculum-events-in-order': 'day0',
          'event-change-in-future': 'day0',
          'curriculum-set-first': 'module',
        })
      )
        return seeOther(response, `/app/institut/gruppen/${id}?ok=termin-ergaenzt`);
    }
    sendPage(response, await this.addPage(actor, id, form.again()), form.status);
  }

  private async addPage(actor: SignedInActor, groupId: string, form: Form): Promise<Html> {
    const group = await this.groups.getGroup(actor, groupId);
    const labels = {
      module: 'Modul',
      title: 'Titel',
      day0: '1. Tag',
      day1: '2. Tag',
      startTime: 'Beginn',
      hours: 'Stunden',
      place: 'Ort',
      reason: 'Grund',
    };
    const further = [
      ...new Map(
        group.events
          .filter((e) => !(CORE_MODULES as readonly string[]).includes(e.module))
          .map((e) => [e.module, moduleName(e)]),
      ).entries(),
    ];
    const modules = [
      ...CORE_MODULES.map((m) => ({ value: m, label: MODULE_TITLES[m].de })),
      ...further.map(([value, label]) => ({ value, label })),
      { value: 'additional', label: 'Neues weiteres Modul (Titel angeben)' },
    ];
    return layout({
      title: `Termin ergänzen: ${group.name}`,
      actor,
      path: '/app/institut/gruppen',
      main: html`<h1>Termin ergänzen: ${group.name}</h1>
        ${errorSummary(form, labels)}
        <form class="stacked" method="post" action="/app/institut/gruppen/${group.id}/termin-neu" novalidate>
          ${keyField(form)}
          ${selectField(form, { name: 'module', label: labels.module, placeholder: 'Bitte wählen', required: true, choices: modules })}
          ${textField(form, { name: 'title', label: 'Titel (bei weiteren Modulen)' })}
          ${textField(form, { name: 'day0', label: labels.day0, type: 'date', required: true })}
          ${textField(form, { name: 'day1', label: '2. Tag (optional)', type: 'date' })}
          ${textField(form, { name: 'startTime', label: labels.startTime, type: 'time' })}
          ${textField(form, { name: 'hours', label: labels.hours, type: 'number', required: true })}
          ${textField(form, { name: 'place', label: labels.place, required: true })}
          ${textField(form, { name: 'reason', label: labels.reason, required: true, multiline: true })}
          <div class="actions"><button type="submit">Termin ergänzen</button><a href="/app/institut/gruppen/${group.id}">Zurück zur Gruppe</a></div>
        </form>`,
    });
  }

  // --- registrations and seats

  @Get('anmeldungen')
  @Allow('enrolments:place')
  async enrolments(
    @CurrentActor() actor: SignedInActor,
    @Query('ok') ok: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.enrolmentsPage(actor, request.path, noticeOf(ok), {}));
  }

  @Post('anmeldungen/:id/platzierung')
  @Allow('enrolments:place')
  async place(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const dto = await validated(form, PlaceEnrolmentDto, { groupId: form.text('groupId') });
    if (dto) {
      if (
        await form.attempt(() => this.registration.place(actor, id, dto.groupId, form.key), {
          'group-exists': 'groupId',
        })
      )
        return seeOther(response, '/app/institut/anmeldungen?ok=platziert');
    }
    sendPage(
      response,
      await this.enrolmentsPage(actor, '/app/institut/anmeldungen', undefined, { [id]: form.again() }),
      form.status,
    );
  }

  private async enrolmentsPage(
    actor: SignedInActor,
    path: string,
    notice: string | undefined,
    forms: Record<string, Form>,
  ): Promise<Html> {
    const [enrolments, groups, districts] = await Promise.all([
      this.registration.list(actor),
      this.groups.listGroups(actor),
      this.registration.districts(),
    ]);
    const waiting = enrolments.filter((e) => e.state === 'registered');
    const others = enrolments.filter((e) => e.state !== 'registered');
    await recordShown(enrolments.flatMap((e) => e.members.map((m) => m.id)));
    const districtName = (id: string) => districts.find((d) => d.id === id)?.name ?? id;
    const choices = groups.map((g) => ({
      value: g.id,
      label: `${g.name} (${g.tandems.length} von ${g.capacity} belegt)`,
    }));
    return layout({
      title: 'Anmeldungen',
      actor,
      path,
      notice,
      main: html`<h1>Anmeldungen</h1>
        <h2>Weitergeleitet, noch ohne Gruppe</h2>
        ${
          waiting.length === 0
            ? html`<p>Keine.</p>`
            : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Bezirk</th><th scope="col">Bildungsnetzwerk</th><th scope="col">Mitglieder</th><th scope="col">Gruppe zuordnen</th></tr></thead>
          <tbody>${waiting.map((e) => {
            const form = (forms[e.id] ?? new Form()).named(`platz-${e.id}`);
            return html`<tr><td>${districtName(e.districtId)}</td><td>${e.network?.name}</td><td>${e.members.map((m) => m.name).join(' und ')}</td><td>
              <form class="compact" method="post" action="/app/institut/anmeldungen/${e.id}/platzierung" novalidate>${keyField(form)}${errorSummary(form)}
                ${selectField(form, { name: 'groupId', label: `Gruppe für ${e.network?.name ?? 'das Tandem'}`, placeholder: 'Bitte wählen', choices, hiddenLabel: true })}
                <button type="submit">Zuordnen<span class="visually-hidden">: ${e.network?.name}</span></button></form></td></tr>`;
          })}</tbody></table></div>`
        }
        <h2>Alle weiteren Anmeldungen</h2>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Bezirk</th><th scope="col">Bildungsnetzwerk</th><th scope="col">Mitglieder</th><th scope="col">Status</th><th scope="col" class="num">Wartelistenplatz</th><th scope="col">Gruppe</th></tr></thead>
          <tbody>${others.map(
            (
              e,
            ) => html`<tr><td>${districtName(e.districtId)}</td><td>${e.network?.name}</td><td>${e.members.map((m) => m.name).join(' und ')}</td>
            <td>${status(e.status)}</td><td class="num">${e.waitlistPosition ?? '–'}</td><td>${e.group ? html`<a href="/app/institut/gruppen/${e.group.id}">${e.group.name}</a>` : '–'}</td></tr>`,
          )}</tbody>
        </table></div>
        ${exportLinks('Alle Anmeldungen herunterladen', 'enrolments')}`,
    });
  }

  @Get('uebersicht')
  @Allow('overview:read')
  async overview(
    @CurrentActor() actor: SignedInActor,
    @Query('ok') ok: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.overviewPage(actor, request.path, noticeOf(ok), {}));
  }

  @Post('bezirke/:id/bedarf')
  @Allow('districts:plan')
  async setNeed(
    @CurrentActor() actor: SignedInActor,
    @Param('id') id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const dto = await validated(form, SetNeedDto, { need: form.number('need') });
    if (dto) {
      if (
        await form.attempt(() => this.registration.setNeed(actor, id, dto.need, form.key), {
          'district-exists': 'need',
        })
      )
        return seeOther(response, '/app/institut/uebersicht?ok=bedarf');
    }
    sendPage(
      response,
      await this.overviewPage(actor, '/app/institut/uebersicht', undefined, { [id]: form.again() }),
      form.status,
    );
  }

  private async overviewPage(
    actor: SignedInActor,
    path: string,
    notice: string | undefined,
    forms: Record<string, Form>,
  ): Promise<Html> {
    const overview = await this.groups.overview(actor);
    const statuses = Object.keys(ENROLMENT_STATUS).filter((s) => overview.districts.some((d) => d.byStatus[s]));
    return layout({
      title: 'Landesweite Übersicht',
      actor,
      path,
      notice,
      main: html`<h1>Landesweite Übersicht</h1>
        <p>${overview.groups} Gruppen mit zusammen ${overview.totalSeats} Plätzen; die Plätze werden im Verhältnis zum Bedarf der Bezirke verteilt.</p>
        ${exportLinks('Teilnahmebescheinigungen herunterladen', 'certificates')}
        ${exportLinks('Fristen (Termine, Reflexionsphasen, Erfahrungsaustausch) herunterladen', 'deadlines')}
        <h2>Plätze je Bezirk</h2>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Bezirk</th><th scope="col" class="num">Bedarf</th><th scope="col" class="num">Zugeteilte Plätze</th><th scope="col" class="num">Belegte Plätze</th>
            ${statuses.map((s) => html`<th scope="col" class="num">${ENROLMENT_STATUS[s]}</th>`)}<th scope="col" class="no-print">Bedarf ändern</th></tr></thead>
          <tbody>${overview.districts.map((d) => {
            const form = (forms[d.id] ?? new Form({ need: String(d.need) })).named(`bedarf-${d.id}`);
            return html`<tr><th scope="row">${d.name}</th><td class="num">${d.need}</td><td class="num">${d.allocatedSeats}</td><td class="num">${d.seatsTaken}</td>
              ${statuses.map((s) => html`<td class="num">${d.byStatus[s] ?? 0}</td>`)}
              <td class="no-print"><form class="compact" method="post" action="/app/institut/bezirke/${d.id}/bedarf" novalidate>${keyField(form)}${errorSummary(form)}
                ${textField(form, { name: 'need', label: `Bedarf ${d.name}`, type: 'number', hiddenLabel: true })}<button type="submit" class="secondary">Speichern<span class="visually-hidden">: Bedarf ${d.name}</span></button></form></td></tr>`;
          })}</tbody>
        </table></div>
        <h2>Bewertungen der Termine</h2>
        ${
          overview.evaluation.length === 0
            ? html`<p>Noch keine Bewertungen.</p>`
            : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Jahr</th><th scope="col">Modul</th><th scope="col" class="num">Antworten</th><th scope="col" class="num">Mittelwert (1–5)</th></tr></thead>
          <tbody>${overview.evaluation.map((r) => html`<tr><td>${r.year}</td><td>${r.title}</td><td class="num">${r.responses}</td><td class="num">${r.averageRating.toLocaleString('de-DE')}</td></tr>`)}</tbody>
        </table></div>`
        }`,
    });
  }
}
