/**
 * The ministry's pages: the statewide view of both programmes (the tandem qualification per district, the contracts
 * and what falls due), the yearly evaluation report, and the appointment of moderator tandems.
 */
import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LotseConfig } from '../../config/configuration.js';
import { recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { germanDay } from '../common/spreadsheet.js';
import { ContractsService } from '../contracts/contracts.service.js';
import { Clock } from '../engine/clock.js';
import { DEADLINE_KIND_DE, ENROLMENT_STATUS_DE } from '../exports/export-tables.js';
import { CreateModeratorTandemDto } from '../qualification/dtos.js';
import { GroupsService } from '../qualification/groups.service.js';
import { addYears } from '../../workflows/shared/calendar-day.js';
import { CONTRACT_STATUS_DE } from './contract-pages.controller.js';
import type { FormFields } from './form-body.js';
import { errorSummary, Form, IDEMPOTENCY_FIELD, selectField, validated } from './forms.js';
import { exportLinks } from './export-links.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebReadsRepository } from './web-reads.repository.js';

const STATUS_ORDER = [
  'nominated',
  'registered',
  'waitlisted',
  'placed',
  'in_qualification',
  'completed',
  'alumni',
  'withdrawn',
  'reformed',
];
const APPOINT_LABELS = { erstes: 'Erstes Mitglied', zweites: 'Zweites Mitglied' };

@ApiExcludeController()
@Controller('app/ministerium')
@UseFilters(WebErrorFilter)
export class MinistryPagesController {
  constructor(
    private readonly groups: GroupsService,
    private readonly contracts: ContractsService,
    private readonly reads: WebReadsRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  @Get()
  @Allow('overview:read')
  @SessionCookie()
  async statewide(
    @CurrentActor() actor: SignedInActor,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const today = this.clock.today(this.config.timeZone);
    const [overview, contracts, deadlines] = await Promise.all([
      this.groups.overview(actor),
      actor.role === 'ministry' ? this.contracts.list(actor) : Promise.resolve([]),
      actor.role === 'ministry' ? this.contracts.deadlines(actor, { until: addYears(today, 1) }) : Promise.resolve([]),
    ]);
    const statuses = STATUS_ORDER.filter((s) => overview.districts.some((d) => d.byStatus[s]));
    const year = Number(today.slice(0, 4));
    const byStatus = new Map<string, number>();
    for (const c of contracts) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
    sendPage(
      response,
      layout({
        title: 'Landesweite Übersicht',
        actor,
        path: request.path,
        main: html`<h1>Landesweite Übersicht</h1>
        <h2 id="qualifizierung">Tandem-Qualifizierung NRW</h2>
        <p>${overview.groups === 1 ? '1 Gruppe' : `${overview.groups} Gruppen`} mit zusammen ${overview.totalSeats} Plätzen für Tandems.</p>
        <div class="table-wrap"><table>
          <caption>Plätze und Anmeldungen je Bezirksregierung</caption>
          <thead><tr><th scope="col">Bezirksregierung</th><th scope="col" class="num">Bedarf</th><th scope="col" class="num">Plätze zugeteilt</th><th scope="col" class="num">Plätze belegt</th>
            ${statuses.map((s) => html`<th scope="col" class="num">${ENROLMENT_STATUS_DE[s]}</th>`)}</tr></thead>
          <tbody>${overview.districts.map(
            (
              d,
            ) => html`<tr><th scope="row">${d.name}</th><td class="num">${d.need}</td><td class="num">${d.allocatedSeats}</td><td class="num">${d.seatsTaken}</td>
            ${statuses.map((s) => html`<td class="num">${d.byStatus[s] ?? 0}</td>`)}</tr>`,
          )}</tbody>
        </table></div>
        ${exportLinks('Anmeldungen herunterladen', 'enrolments')}
        ${exportLinks('Teilnahmebescheinigungen herunterladen', 'certificates')}
        ${exportLinks('Fristen beider Programme herunterladen', 'deadlines')}

        ${
          actor.role === 'ministry' &&
          html`<h2 id="evaluation">Evaluationsbericht</h2>
          <p>Der Jahresbericht über die Evaluation aller Veranstaltungen und des Erfahrungsaustauschs, für die Dienstbesprechung:</p>
          <ul>${[year, year - 1].map(
            (
              y,
            ) => html`<li>${y}: <a href="/evaluation/reports/${y}.pdf">PDF</a>, <a href="/evaluation/reports/${y}.csv">CSV</a>,
            <a href="/evaluation/reports/${y}">JSON</a></li>`,
          )}</ul>
          ${
            overview.evaluation.length > 0 &&
            html`<div class="table-wrap"><table>
            <caption>Bewertungen je Jahr und Modul (1 = schlecht bis 5 = sehr gut)</caption>
            <thead><tr><th scope="col">Jahr</th><th scope="col">Modul</th><th scope="col" class="num">Rückmeldungen</th><th scope="col" class="num">Mittel</th></tr></thead>
            <tbody>${overview.evaluation.map((e) => html`<tr><td>${e.year}</td><td>${e.title}</td><td class="num">${e.responses}</td><td class="num">${e.averageRating.toLocaleString('de-DE')}</td></tr>`)}</tbody>
          </table></div>`
          }

          <h2 id="vertraege">Kooperationsverträge Bildungsregion Niedersachsen</h2>
          <p>${contracts.length === 1 ? '1 Vertrag' : `${contracts.length} Verträge`}: ${[...byStatus].map(([s, n], i) => html`${i ? ', ' : ''}${n} ${CONTRACT_STATUS_DE[s as keyof typeof CONTRACT_STATUS_DE]}`)}.
            <a href="/app/vertraege">Alle Verträge</a></p>
          ${
            deadlines.length
              ? html`<div class="table-wrap"><table>
            <caption>Fristen der nächsten zwölf Monate (und überfällige)</caption>
            <thead><tr><th scope="col">Fällig am</th><th scope="col">Bildungsregion</th><th scope="col">Frist</th></tr></thead>
            <tbody>${deadlines.map(
              (d) => html`<tr><td>${germanDay(d.on)}${d.overdue ? html` <strong>(überfällig)</strong>` : ''}</td>
              <td><a href="/app/vertraege/${d.contractId}">${d.bildungsregion}</a></td><td>${DEADLINE_KIND_DE[d.kind] ?? d.kind}</td></tr>`,
            )}</tbody>
          </table></div>`
              : html`<p>Keine Fristen in den nächsten zwölf Monaten.</p>`
          }`
        }`,
      }),
    );
  }

  @Get('moderation')
  @Allow('moderators:appoint')
  @SessionCookie()
  async moderators(
    @CurrentActor() actor: SignedInActor,
    @Query('berufen') appointed: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(
      response,
      await this.moderatorPage(
        actor,
        request.path,
        new Form(),
        appointed !== undefined ? 'Das Moderationstandem ist berufen.' : undefined,
      ),
    );
  }

  /** The ministry appoints a moderator tandem; the institute then assigns it to groups. */
  @Post('moderation')
  @Allow('moderators:appoint')
  @SessionCookie()
  async appoint(
    @CurrentActor() actor: SignedInActor,
    @Body() body: FormFields,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    if (!form.text('erstes')) form.fieldError('erstes', 'Bitte wählen Sie das erste Mitglied.');
    if (!form.text('zweites')) form.fieldError('zweites', 'Bitte wählen Sie das zweite Mitglied.');
    const dto = await validated(
      form,
      CreateModeratorTandemDto,
      { firstMemberId: form.text('erstes'), secondMemberId: form.text('zweites') },
      (path) => (path === 'firstMemberId' ? 'erstes' : 'zweites'),
    );
    if (dto && form.ok) {
      if (
        await form.attempt(() => this.groups.createModeratorTandem(actor, dto, form.key), {
          'moderator-tandem-two-persons': 'zweites',
        })
      )
        return seeOther(response, '/app/ministerium/moderation?berufen');
    }
    sendPage(
      response,
      await this.moderatorPage(actor, request.path, form.again()),
      form.status === 200 ? 422 : form.status,
    );
  }

  private async moderatorPage(actor: SignedInActor, path: string, form: Form, notice?: string): Promise<Html> {
    const [tandems, candidates, persons] = await Promise.all([
      this.reads.moderatorTandems(),
      this.reads.personsOutsideSupervision(),
      this.reads.persons(),
    ]);
    const name = new Map(persons.map((p) => [p.id, p.name]));
    await recordShown([...tandems.flatMap((t) => [t.firstMemberId, t.secondMemberId]), ...candidates.map((p) => p.id)]);
    const choices = candidates.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }));
    return layout({
      title: 'Moderationstandems berufen',
      actor,
      path,
      notice,
      main: html`<h1>Moderationstandems</h1>
        <p>Das Ministerium wählt die Moderierenden aus und beruft sie als Tandem; die beauftragte Institution ordnet sie Gruppen zu.</p>
        <div class="table-wrap"><table>
          <caption>Berufene Moderationstandems</caption>
          <thead><tr><th scope="col">Mitglieder</th><th scope="col">Berufen am</th><th scope="col">Berufen durch</th></tr></thead>
          <tbody>${tandems.map(
            (
              t,
            ) => html`<tr><td>${name.get(t.firstMemberId) ?? t.firstMemberId} und ${name.get(t.secondMemberId) ?? t.secondMemberId}</td>
            <td>${t.appointedOn ? germanDay(t.appointedOn) : '–'}</td><td>${t.appointedBy ?? '–'}</td></tr>`,
          )}</tbody>
        </table></div>
        <h2>Ein Moderationstandem berufen</h2>
        ${errorSummary(form, APPOINT_LABELS)}
        <form class="stacked" method="post" action="/app/ministerium/moderation" novalidate>
          <input type="hidden" name="${IDEMPOTENCY_FIELD}" value="${form.key}">
          ${selectField(form, { name: 'erstes', label: APPOINT_LABELS.erstes, choices, placeholder: 'Bitte wählen', required: true })}
          ${selectField(form, { name: 'zweites', label: APPOINT_LABELS.zweites, choices, placeholder: 'Bitte wählen', required: true, hint: 'Zwei verschiedene Personen' })}
          <div class="actions"><button type="submit">Berufen</button></div>
        </form>`,
    });
  }
}
