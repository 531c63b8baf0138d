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
import { LotseConfig } from '../../config/configuration.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { CalendarSubscriptionsService } from '../auth/calendar-subscriptions.service.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { AlumniService } from '../qualification/alumni.service.js';
import { AnswerInvitationDto } from '../qualification/dtos.js';
import { ParticipantsService } from '../qualification/participants.service.js';
import type { FormFields } from './form-body.js';
import { day, days, ENROLMENT_STATUS, moduleName } from './format.js';
import { errorSummary, Form, keyField, radioField, validated } from './forms.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { noticeOf } from './notices.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { DisplayNameInterceptor } from './display-name.interceptor.js';

const uuid = new ParseUUIDPipe();

/** A participant's page: the own schedule and calendar subscription, open tasks, certificates, the exchange answer. */
@ApiExcludeController()
@Controller('app/teilnahme')
@UseFilters(WebErrorFilter)
@UseInterceptors(DisplayNameInterceptor)
@SessionCookie()
export class ParticipantController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly alumni: AlumniService,
    private readonly subscriptions: CalendarSubscriptionsService,
    private readonly config: LotseConfig,
  ) {}

  @Get()
  @Allow('person-data:read')
  async home(
    @CurrentActor() actor: SignedInActor,
    @Query('ok') ok: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.page(actor, request.baseUrl + request.path, { notice: noticeOf(ok) }));
  }

  @Post('kalender')
  @Allow('calendar-subscriptions')
  async subscribe(@CurrentActor() actor: SignedInActor, @Res() response: Response): Promise<void> {
    const subscription = await this.subscriptions.create(actor);
    // Shown once: Lotse keeps only a digest of the address.
    sendPage(
      response,
      await this.page(actor, '/app/teilnahme', { feedUrl: `${this.config.publicBaseUrl}${subscription.path}` }),
      201,
    );
  }

  @Post('einladungen/:id/antwort')
  @Allow('exchanges:answer')
  async answer(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const accept = form.text('accept');
    const dto = await validated(form, AnswerInvitationDto, {
      accept: accept === 'ja' ? true : accept === 'nein' ? false : undefined,
    });
    if (dto) {
      if (await form.attempt(() => this.alumni.answer(actor, id, dto, form.key), {}))
        return seeOther(response, '/app/teilnahme?ok=antwort');
    }
    sendPage(response, await this.page(actor, '/app/teilnahme', { forms: { [id]: form.again() } }), form.status);
  }

  private async page(
    actor: SignedInActor,
    path: string,
    options: { notice?: string; feedUrl?: string; forms?: Record<string, Form> },
  ): Promise<Html> {
    const [schedule, tasks, certificates, subscriptions] = await Promise.all([
      this.participants.schedule(actor, actor.id),
      this.participants.tasks(actor, actor.id),
      this.participants.certificates(actor, actor.id),
      this.subscriptions.list(actor),
    ]);
    const active = subscriptions.filter((s) => !s.revokedAt).length;
    const reflections = tasks.filter((t) => t.kind === 'reflection');
    const invitations = tasks.filter((t) => t.kind === 'exchange-answer');
    return layout({
      title: 'Mein Plan',
      actor,
      path,
      notice: options.notice,
      main: html`<h1>Mein Plan</h1>
        <p>${schedule.person.name}${schedule.enrolment ? ` – ${ENROLMENT_STATUS[schedule.enrolment.status] ?? schedule.enrolment.status}` : ''}</p>

        <h2>Aufgaben</h2>
        ${
          reflections.length === 0 && invitations.length === 0
            ? html`<p>Keine offenen Aufgaben.</p>`
            : html`<ul>
          ${reflections.map((t) => html`<li>Reflexionsphase im Tandem: bis ${day(t.dueOn)} abschließen (die Moderation bestätigt den Abschluss).</li>`)}
        </ul>`
        }
        ${invitations.map((t) => {
          const form = (options.forms?.[t.id] ?? new Form()).named(`einladung-${t.id}`);
          return html`<section aria-labelledby="einladung-${t.id}">
            <h3 id="einladung-${t.id}">Einladung zum jährlichen Austausch am ${day(t.dueOn)}${'place' in t && t.place ? ` in ${t.place}` : ''}</h3>
            ${errorSummary(form, { accept: 'Antwort' })}
            <form class="stacked" method="post" action="/app/teilnahme/einladungen/${t.id}/antwort" novalidate>
              ${keyField(form)}
              ${radioField(form, {
                name: 'accept',
                label: 'Nimmt Ihr Tandem teil?',
                required: true,
                choices: [
                  { value: 'ja', label: 'Ja, wir nehmen teil' },
                  { value: 'nein', label: 'Nein, wir sagen ab' },
                ],
              })}
              <div class="actions"><button type="submit">Antwort senden</button></div>
            </form></section>`;
        })}

        <h2>Termine</h2>
        ${
          schedule.events.length === 0
            ? html`<p>Noch keine Termine.</p>`
            : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Modul</th><th scope="col">Gruppe</th><th scope="col">Tage</th><th scope="col">Beginn</th><th scope="col">Ort</th><th scope="col">Teilnahme</th></tr></thead>
          <tbody>${schedule.events.map(
            (e) => html`<tr>
            <td>${moduleName(e)}${e.status === 'cancelled' ? ' (abgesagt)' : ''}${e.makeUp ? ' (Nachholtermin)' : ''}</td><td>${e.groupName}</td><td>${days(e.days)}</td><td>${e.startTime}</td><td>${e.place}</td>
            <td>${e.attended === null ? '–' : e.attended ? 'anwesend' : 'abwesend'}</td></tr>`,
          )}</tbody>
        </table></div>`
        }

        <h2>Kalender abonnieren</h2>
        ${
          options.feedUrl
            ? html`<div class="notice" role="status"><p>Ihre persönliche Kalender-Adresse (nur jetzt sichtbar; tragen Sie sie in Ihrer Kalender-App als Abonnement ein):</p>
              <p><a href="${options.feedUrl}">${options.feedUrl}</a></p></div>`
            : html`<p>Mit einer persönlichen Adresse zeigt Ihre Kalender-App Ihre Termine, auch wenn sie sich ändern.${active ? ` Sie haben ${active === 1 ? 'eine Adresse' : `${active} Adressen`} erzeugt.` : ''}</p>`
        }
        <form method="post" action="/app/teilnahme/kalender"><button type="submit" class="secondary">${active || options.feedUrl ? 'Weitere Kalender-Adresse erzeugen' : 'Kalender-Adresse erzeugen'}</button></form>

        <h2>Zertifikate</h2>
        ${
          certificates.length === 0
            ? html`<p>Noch keine Zertifikate.</p>`
            : html`<ul>${certificates.map(
                (c) => html`<li>
          <a href="/certificates/${c.id}/pdf">Teilnahmebescheinigung vom ${day(c.issuedOn)} (PDF)</a> – ${c.hours} Stunden, ${days([c.firstDay, c.lastDay])}; Prüfcode ${c.code}</li>`,
              )}</ul>`
        }`,
    });
  }
}
