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
import { recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { scopeOf, type SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { ChangeMemberDto, RecordInvolvementDto, WithdrawDto } from '../qualification/dtos.js';
import { RegistrationService } from '../qualification/registration.service.js';
import type { FormFields } from './form-body.js';
import { COUNCIL_OUTCOME, day, ENROLMENT_STATUS, status, SUPERVISION } from './format.js';
import { errorSummary, Form, keyField, radioField, selectField, textField, validated } from './forms.js';
import { exportLinks } from './export-links.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { noticeOf } from './notices.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { DisplayNameInterceptor } from './display-name.interceptor.js';

const uuid = new ParseUUIDPipe();

type EnrolmentForms = Partial<Record<'council' | 'equal' | 'submit' | 'withdraw' | 'change', Form>>;

/**
 * The district's pages: its tandems with status and waiting-list position, forming a tandem and registering it
 * (staff council, equal-opportunities officer, submission), withdrawal and member change. Every action is one call
 * of the RegistrationService, as the API's, with the form's idempotency key.
 */
@ApiExcludeController()
@Controller('app/bezirk')
@UseFilters(WebErrorFilter)
@UseInterceptors(DisplayNameInterceptor)
@SessionCookie()
export class DistrictController {
  constructor(private readonly registration: RegistrationService) {}

  private districtOf(actor: SignedInActor): string {
    const scope = scopeOf(actor);
    return scope.role === 'district' ? scope.districtId : '';
  }

  private async districtName(actor: SignedInActor): Promise<string> {
    const id = this.districtOf(actor);
    return (await this.registration.districts()).find((d) => d.id === id)?.name ?? id;
  }

  @Get('tandems')
  @Allow('enrolments:nominate')
  async tandems(
    @CurrentActor() actor: SignedInActor,
    @Query('ok') ok: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const districtId = this.districtOf(actor);
    const [enrolments, tandems, name] = await Promise.all([
      this.registration.list(actor),
      this.registration.tandems(actor, districtId),
      this.districtName(actor),
    ]);
    const open = new Set(
      enrolments.filter((e) => e.state !== 'withdrawn' && e.state !== 'reformed').map((e) => e.tandemId),
    );
    const unregistered = tandems.filter((t) => !open.has(t.id));
    const order = Object.keys(ENROLMENT_STATUS);
    enrolments.sort(
      (a, b) =>
        order.indexOf(a.status) - order.indexOf(b.status) ||
        (a.network?.name ?? '').localeCompare(b.network?.name ?? ''),
    );
    await recordShown([...enrolments, ...unregistered].flatMap((e) => e.members.map((m) => m.id)));
    sendPage(
      response,
      layout({
        title: 'Tandems',
        actor,
        path: request.path,
        notice: noticeOf(ok),
        main: html`<h1>Tandems – ${name}</h1>
        <p class="actions no-print"><a class="button" href="/app/bezirk/tandems/neu">Tandem bilden und anmelden</a></p>
        ${
          unregistered.length > 0 &&
          html`<h2>Gebildete Tandems ohne Anmeldung</h2>
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Bildungsnetzwerk</th><th scope="col">Mitglieder</th><th scope="col">Gebildet am</th><th scope="col">Aktion</th></tr></thead>
            <tbody>${unregistered.map(
              (t) => html`<tr id="tandem-${t.id}">
              <td>${t.network}</td><td>${t.members.map((m) => m.name).join(' und ')}</td><td>${day(t.formedAt)}</td>
              <td><form method="post" action="/app/bezirk/tandems/${t.id}/anmeldung">${keyField(new Form())}
                <button type="submit">Zur Qualifizierung anmelden<span class="visually-hidden">: ${t.network}</span></button></form></td>
            </tr>`,
            )}</tbody>
          </table></div>`
        }
        <h2>Anmeldungen</h2>
        ${
          enrolments.length === 0
            ? html`<p>Noch keine Anmeldungen.</p>`
            : html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Bildungsnetzwerk</th><th scope="col">Mitglieder</th><th scope="col">Status</th><th scope="col" class="num">Wartelistenplatz</th><th scope="col">Gruppe</th></tr></thead>
          <tbody>${enrolments.map(
            (e) => html`<tr>
            <td><a href="/app/bezirk/anmeldungen/${e.id}">${e.network?.name ?? e.tandemId}</a></td>
            <td>${e.members.map((m) => m.name).join(' und ')}</td>
            <td>${status(e.status)}</td>
            <td class="num">${e.waitlistPosition ?? '–'}</td>
            <td>${e.group?.name ?? '–'}</td>
          </tr>`,
          )}</tbody>
        </table></div>`
        }
        ${enrolments.length > 0 && exportLinks('Anmeldungen herunterladen', 'enrolments')}`,
      }),
    );
  }

  @Get('tandems/neu')
  @Allow('tandems:write')
  async newTandem(
    @CurrentActor() actor: SignedInActor,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.tandemForm(actor, request.path, new Form()));
  }

  @Post('tandems/neu')
  @Allow('tandems:write')
  async formTandem(
    @CurrentActor() actor: SignedInActor,
    @Body() body: FormFields,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const fields = {
      networkId: form.text('networkId'),
      lowerMemberId: form.text('lowerMemberId'),
      upperMemberId: form.text('upperMemberId'),
    };
    for (const [name, value] of Object.entries(fields))
      if (!value) form.fieldError(name, 'Bitte wählen Sie eine der angebotenen Möglichkeiten.');
    if (form.ok) {
      if (
        await form.attempt(() => this.registration.createTandem(actor, fields, form.key), {
          'tandem-one-lower-one-upper': 'upperMemberId',
          'district-own-area': 'networkId',
          'network-exists': 'networkId',
          'person-exists': 'lowerMemberId',
        })
      )
        return seeOther(response, '/app/bezirk/tandems?ok=tandem-gebildet');
    }
    sendPage(response, await this.tandemForm(actor, request.path, form.again()), form.status);
  }

  private async tandemForm(actor: SignedInActor, path: string, form: Form): Promise<Html> {
    const districtId = this.districtOf(actor);
    const [networks, officials] = await Promise.all([
      this.registration.networks(actor),
      this.registration.officials(actor, districtId),
    ]);
    const official = (p: { id: string; name: string; office: string }) => ({
      value: p.id,
      label: `${p.name} (${p.office})`,
    });
    await recordShown(officials.map((p) => p.id));
    const labels = {
      networkId: 'Regionales Bildungsnetzwerk',
      lowerMemberId: 'Mitglied der unteren Schulaufsicht',
      upperMemberId: 'Mitglied der oberen Schulaufsicht',
    };
    return layout({
      title: 'Tandem bilden',
      actor,
      path,
      main: html`<h1>Tandem bilden und anmelden</h1>
        <p>Ein Tandem besteht aus einer Person der unteren Schulaufsicht (Schulamt) und einer der oberen Schulaufsicht (Bezirksregierung)
          und arbeitet für ein Regionales Bildungsnetzwerk Ihres Bezirks. Nach dem Bilden melden Sie es zur Qualifizierung an.</p>
        ${errorSummary(form, labels)}
        <form class="stacked" method="post" action="/app/bezirk/tandems/neu" novalidate>
          ${keyField(form)}
          ${selectField(form, { name: 'networkId', label: labels.networkId, placeholder: 'Bitte wählen', required: true, choices: networks.map((n) => ({ value: n.id, label: n.name })) })}
          ${selectField(form, { name: 'lowerMemberId', label: labels.lowerMemberId, placeholder: 'Bitte wählen', required: true, choices: officials.filter((p) => p.supervision === 'lower').map(official) })}
          ${selectField(form, { name: 'upperMemberId', label: labels.upperMemberId, placeholder: 'Bitte wählen', required: true, choices: officials.filter((p) => p.supervision === 'upper').map(official) })}
          <div class="actions"><button type="submit">Tandem bilden</button><a href="/app/bezirk/tandems">Abbrechen</a></div>
        </form>`,
    });
  }

  @Post('tandems/:id/anmeldung')
  @Allow('enrolments:nominate')
  async register(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const enrolment = await this.registration.register(actor, id, Form.submitted(body).key);
    seeOther(response, `/app/bezirk/anmeldungen/${enrolment.id}?ok=benannt`);
  }

  @Get('anmeldungen/:id')
  @Allow('enrolments:nominate')
  async enrolment(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Query('ok') ok: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.enrolmentPage(actor, id, {}, noticeOf(ok)));
  }

  @Post('anmeldungen/:id/personalrat')
  @Allow('enrolments:nominate')
  async staffCouncil(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const dto = await validated(form, RecordInvolvementDto, {
      body: 'staff-council',
      on: form.text('on'),
      outcome: form.text('outcome') || undefined,
      note: form.optional('note'),
    });
    if (dto) {
      if (
        await form.attempt(() => this.registration.recordInvolvement(actor, id, dto, form.key), {
          'staff-council-refused': 'outcome',
        })
      )
        return seeOther(response, `/app/bezirk/anmeldungen/${id}?ok=personalrat`);
    }
    sendPage(response, await this.enrolmentPage(actor, id, { council: form.again() }), form.status);
  }

  @Post('anmeldungen/:id/gleichstellung')
  @Allow('enrolments:nominate')
  async equalOpportunities(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const dto = await validated(form, RecordInvolvementDto, {
      body: 'equal-opportunities',
      on: form.text('on'),
      note: form.optional('note'),
    });
    if (dto) {
      if (await form.attempt(() => this.registration.recordInvolvement(actor, id, dto, form.key)))
        return seeOther(response, `/app/bezirk/anmeldungen/${id}?ok=gleichstellung`);
    }
    sendPage(response, await this.enrolmentPage(actor, id, { equal: form.again() }), form.status);
  }

  @Post('anmeldungen/:id/weiterleitung')
  @Allow('enrolments:nominate')
  async submit(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    if (await form.attempt(() => this.registration.submit(actor, id, form.key)))
      return seeOther(response, `/app/bezirk/anmeldungen/${id}?ok=weitergeleitet`);
    sendPage(response, await this.enrolmentPage(actor, id, { submit: form.again() }), form.status);
  }

  @Post('anmeldungen/:id/rueckzug')
  @Allow('enrolments:withdraw')
  async withdraw(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const dto = await validated(form, WithdrawDto, { reason: form.text('reason') });
    if (dto) {
      if (await form.attempt(() => this.registration.withdraw(actor, id, dto, form.key)))
        return seeOther(response, `/app/bezirk/anmeldungen/${id}?ok=zurueckgezogen`);
    }
    sendPage(response, await this.enrolmentPage(actor, id, { withdraw: form.again() }), form.status);
  }

  @Post('anmeldungen/:id/mitgliederwechsel')
  @Allow('tandems:write')
  async changeMember(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    const enrolment = await this.registration.get(actor, id);
    const dto = await validated(form, ChangeMemberDto, {
      leavingPersonId: form.text('leavingPersonId'),
      joiningPersonId: form.text('joiningPersonId'),
      exemptionReason: form.optional('exemptionReason'),
    });
    if (dto) {
      try {
        const changed = await this.registration.changeMember(actor, enrolment.tandemId, dto, form.key);
        const next = changed.enrolment?.id ?? id;
        return seeOther(
          response,
          `/app/bezirk/anmeldungen/${next}?ok=${next === id ? 'mitglied-gewechselt' : 'neu-gebildet'}`,
        );
      } catch (error) {
        form.refused(error, {
          'tandem-one-lower-one-upper': 'joiningPersonId',
          'leaving-person-is-member': 'leavingPersonId',
          'district-own-area': 'joiningPersonId',
          'tandem-current': 'leavingPersonId',
        });
      }
    }
    sendPage(response, await this.enrolmentPage(actor, id, { change: form.again() }), form.status);
  }

  private async enrolmentPage(actor: SignedInActor, id: string, forms: EnrolmentForms, notice?: string): Promise<Html> {
    const e = await this.registration.get(actor, id);
    const officials = await this.registration.officials(actor, e.districtId);
    const ended = e.state === 'withdrawn' || e.state === 'reformed';
    // The officials of the district are offered as new members while the enrolment has not ended.
    await recordShown([...e.members.map((m) => m.id), ...(ended ? [] : officials.map((p) => p.id))]);
    const council = (forms.council ?? new Form()).named('personalrat');
    const equal = (forms.equal ?? new Form()).named('gleichstellung');
    const submit = (forms.submit ?? new Form()).named('weiterleitung');
    const withdraw = (forms.withdraw ?? new Form()).named('rueckzug');
    const change = (forms.change ?? new Form()).named('wechsel');
    const nominated = e.state === 'nominated';
    const councilLabels = { on: 'Tag der Entscheidung', outcome: 'Ergebnis', note: 'Bemerkung (optional)' };
    return layout({
      title: `Anmeldung ${e.network?.name ?? ''}`,
      actor,
      path: '/app/bezirk/tandems',
      notice,
      main: html`<h1>Anmeldung: ${e.network?.name}</h1>
        <dl class="facts">
          <dt>Status</dt><dd>${status(e.status)}</dd>
          ${e.waitlistPosition !== null && html`<dt>Wartelistenplatz</dt><dd>${e.waitlistPosition}</dd>`}
          <dt>Gruppe</dt><dd>${e.group?.name ?? '–'}</dd>
          ${e.members.map((m) => html`<dt>${SUPERVISION[m.supervision ?? ''] ?? 'Mitglied'}</dt><dd>${m.name}, ${m.office}</dd>`)}
          <dt>Personalrat</dt><dd>${e.involvements.staffCouncil ? `${COUNCIL_OUTCOME[e.involvements.staffCouncil.outcome ?? ''] ?? ''} am ${day(e.involvements.staffCouncil.on)}` : 'noch nicht beteiligt'}</dd>
          <dt>Gleichstellungsbeauftragte</dt><dd>${e.involvements.equalOpportunities ? `beteiligt am ${day(e.involvements.equalOpportunities)}` : 'noch nicht beteiligt'}</dd>
        </dl>

        ${
          nominated &&
          html`
        <h2 id="personalrat">1. Personalrat (LPVG NRW § 72 Abs. 4 Satz 1 Nr. 16)</h2>
        ${errorSummary(council, councilLabels)}
        <form class="stacked" method="post" action="/app/bezirk/anmeldungen/${e.id}/personalrat#personalrat" novalidate>
          ${keyField(council)}
          ${textField(council, { name: 'on', label: councilLabels.on, type: 'date', required: true })}
          ${radioField(council, { name: 'outcome', label: councilLabels.outcome, required: true, choices: Object.entries(COUNCIL_OUTCOME).map(([value, label]) => ({ value, label })) })}
          ${textField(council, { name: 'note', label: councilLabels.note, multiline: true })}
          <div class="actions"><button type="submit">Beteiligung des Personalrats eintragen</button></div>
        </form>

        <h2 id="gleichstellung">2. Gleichstellungsbeauftragte (LGG NRW § 11 Abs. 1)</h2>
        ${errorSummary(equal, { on: 'Tag der Beteiligung' })}
        <form class="stacked" method="post" action="/app/bezirk/anmeldungen/${e.id}/gleichstellung#gleichstellung" novalidate>
          ${keyField(equal)}
          ${textField(equal, { name: 'on', label: 'Tag der Beteiligung', type: 'date', required: true })}
          ${textField(equal, { name: 'note', label: 'Bemerkung (optional)', multiline: true })}
          <div class="actions"><button type="submit">Beteiligung der Gleichstellungsbeauftragten eintragen</button></div>
        </form>

        <h2 id="weiterleitung">3. An die Institution weiterleiten</h2>
        ${errorSummary(submit)}
        <form method="post" action="/app/bezirk/anmeldungen/${e.id}/weiterleitung#weiterleitung">
          ${keyField(submit)}
          <p>Die Anmeldung geht an die beauftragte Institution, sobald Personalrat und Gleichstellungsbeauftragte beteiligt sind.</p>
          <button type="submit">Anmeldung weiterleiten</button>
        </form>`
        }

        ${
          !ended &&
          html`
        <h2 id="wechsel">Mitgliederwechsel</h2>
        <p>Ohne Ausnahmegrund wird das Tandem neu gebildet und neu angemeldet; mit Ausnahmegrund setzt es die Qualifizierung mit dem neuen Mitglied fort.</p>
        ${errorSummary(change, { leavingPersonId: 'Ausscheidendes Mitglied', joiningPersonId: 'Neues Mitglied', exemptionReason: 'Ausnahmegrund' })}
        <form class="stacked" method="post" action="/app/bezirk/anmeldungen/${e.id}/mitgliederwechsel#wechsel" novalidate>
          ${keyField(change)}
          ${selectField(change, { name: 'leavingPersonId', label: 'Ausscheidendes Mitglied', placeholder: 'Bitte wählen', required: true, choices: e.members.map((m) => ({ value: m.id, label: m.name })) })}
          ${selectField(change, {
            name: 'joiningPersonId',
            label: 'Neues Mitglied',
            placeholder: 'Bitte wählen',
            required: true,
            choices: officials
              .filter((p) => !e.members.some((m) => m.id === p.id))
              .map((p) => ({ value: p.id, label: `${p.name} (${SUPERVISION[p.supervision ?? ''] ?? ''})` })),
          })}
          ${textField(change, { name: 'exemptionReason', label: 'Ausnahmegrund (optional)', hint: 'Mindestens 10 Zeichen; leer lassen, wenn das Tandem neu gebildet wird.', multiline: true })}
          <div class="actions"><button type="submit">Wechsel eintragen</button></div>
        </form>

        <h2 id="rueckzug">Anmeldung zurückziehen</h2>
        ${errorSummary(withdraw, { reason: 'Grund' })}
        <form class="stacked" method="post" action="/app/bezirk/anmeldungen/${e.id}/rueckzug#rueckzug" novalidate>
          ${keyField(withdraw)}
          ${textField(withdraw, { name: 'reason', label: 'Grund', required: true })}
          <div class="actions"><button type="submit" class="secondary">Anmeldung zurückziehen</button></div>
        </form>`
        }
        <p><a href="/app/bezirk/tandems">Zurück zu den Tandems</a></p>`,
    });
  }
}
