/**
 * The contract partners' pages (Bildungsregion Niedersachsen): their contracts, each with its next deadlines on a
 * timeline, the acts in writing and a form to record a notice, and the notice calculator. The ministry reads them too.
 */
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { WrittenAct } from '../../workflows/contract-review/contract.js';
import { isTerminationDate } from '../../workflows/contract-review/dates.js';
import type { DueItem } from '../../workflows/contract-review/deadlines.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { germanDay } from '../common/spreadsheet.js';
import type { ContractStatus } from '../contracts/contract.entities.js';
import { NoticeCalculatorQuery, NoticeDto } from '../contracts/contracts.dto.js';
import { ContractsService, type ContractView } from '../contracts/contracts.service.js';
import { DEADLINE_KIND_DE } from '../exports/export-tables.js';
import type { FormFields } from './form-body.js';
import { errorSummary, Form, IDEMPOTENCY_FIELD, textField, validated } from './forms.js';
import { exportLinks } from './export-links.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';

export const CONTRACT_STATUS_DE: Record<ContractStatus, string> = {
  active: 'läuft',
  'review-due': 'Überprüfung fällig',
  'notice-given': 'gekündigt, Kündigungsfrist läuft',
  terminated: 'beendet',
};

const ACT_DE: Record<WrittenAct['kind'], string> = {
  contract: 'Kooperationsvertrag',
  evaluation: 'Evaluation und Wirkungsüberprüfung',
  'review-decision': 'Entscheidung über die Fortführung',
  notice: 'Ordentliche Kündigung',
  'extraordinary-termination': 'Außerordentliche Kündigung',
  'amendment-proposal': 'Änderungsvorschlag',
  'amendment-confirmation': 'Zustimmung zur Änderung',
  'annual-report': 'Jahresbericht der Geschäftsstelle',
  secondment: 'Abordnung der Bildungskoordination',
  'secondment-decision': 'Entscheidung zum Ende der Abordnung',
  'coordinator-consent': 'Einvernehmen der Kommune zur Bildungskoordination',
  'coordinator-qualification': 'Qualifizierung der Bildungskoordination',
  'school-authority-representative': 'Benennung der Vertretung des NLSchB',
  'kommune-resources': 'Zusage der Kommune zur Ausstattung der Geschäftsstelle',
};

const PARTNER_DE = { land: 'Land', kommune: 'Kommune', both: 'beide Partner' } as const;

/** Which field of the notice form a refusal of the contract rules belongs to. */
const NOTICE_FIELD_OF_RULE: Record<string, string> = {
  'notice-period-six-months': 'wirksam',
  'notice-to-30-june-or-31-december': 'wirksam',
  'notice-effective-calendar-day': 'wirksam',
  'received-not-in-future': 'eingang',
  'received-after-signing': 'eingang',
  'in-writing': 'aktenzeichen',
};
const NOTICE_FIELD_OF_PROPERTY: Record<string, string> = {
  receivedOn: 'eingang',
  reference: 'aktenzeichen',
  effectiveOn: 'wirksam',
};
const NOTICE_LABELS = {
  eingang: 'Eingang des Schreibens',
  aktenzeichen: 'Aktenzeichen des Schreibens',
  wirksam: 'Wirksam zum',
};

@ApiExcludeController()
@Controller('app/vertraege')
@UseFilters(WebErrorFilter)
export class ContractPagesController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @Allow('contracts:read')
  @SessionCookie()
  async list(@CurrentActor() actor: SignedInActor, @Req() request: Request, @Res() response: Response): Promise<void> {
    const contracts = await this.contracts.list(actor);
    sendPage(
      response,
      layout({
        title: 'Kooperationsverträge',
        actor,
        path: request.path,
        main: html`<h1>Kooperationsverträge Bildungsregion</h1>
        <p>${actor.role === 'ministry' ? 'Alle Verträge des Landes Niedersachsen mit ihren Kommunen.' : 'Die Verträge, für die Sie als Vertragsverwaltung benannt sind.'}</p>
        ${
          contracts.length
            ? html`<div class="table-wrap"><table>
          <caption>Verträge und ihre nächste Frist</caption>
          <thead><tr><th scope="col">Bildungsregion</th><th scope="col">Kommune</th><th scope="col">Beginn</th><th scope="col">Stand</th><th scope="col">Nächste Frist</th></tr></thead>
          <tbody>${contracts.map(
            (c) => html`<tr>
            <th scope="row"><a href="/app/vertraege/${c.id}">${c.bildungsregion}</a></th><td>${c.kommune.name}</td><td>${germanDay(c.startsOn)}</td>
            <td><span class="status">${CONTRACT_STATUS_DE[c.status]}</span></td>
            <td>${c.nextDue ? html`${germanDay(c.nextDue.on)}: ${DEADLINE_KIND_DE[c.nextDue.kind]}${c.nextDue.overdue ? html` <strong>(überfällig)</strong>` : ''}` : '–'}</td>
          </tr>`,
          )}</tbody></table></div>`
            : html`<p>Keine Verträge.</p>`
        }
        <p><a href="/app/vertraege/rechner">Kündigungsrechner</a></p>
        ${exportLinks('Fristen herunterladen', 'deadlines')}`,
      }),
    );
  }

  /** The calculator: a GET form, so a result can be bookmarked and the back button works. */
  @Get('rechner')
  @Allow('contracts:read')
  @SessionCookie()
  async calculator(
    @CurrentActor() actor: SignedInActor,
    @Query() query: Record<string, string>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = new Form({ eingang: query.eingang ?? '', wirksam: query.wirksam ?? '' });
    let result: Html | undefined;
    if (form.text('eingang') || form.text('wirksam')) {
      const question = await validated(
        form,
        NoticeCalculatorQuery,
        { receivedOn: form.optional('eingang'), effectiveOn: form.optional('wirksam') },
        (path) => NOTICE_FIELD_OF_PROPERTY[path] ?? path,
      );
      if (question) {
        try {
          const answer = this.contracts.calculateNotice(question);
          result = html`<div class="notice" role="status" id="ergebnis">
            ${
              answer.received &&
              html`<p><strong>${answer.received.sentence.de}</strong></p>
              <p>Die Kündigung kann auch einen späteren Termin nennen: ${answer.received.laterDates.map(germanDay).join(', ')} …</p>`
            }
            ${answer.effective && html`<p><strong>${answer.effective.sentence.de}</strong></p>`}
          </div>`;
        } catch (error) {
          form.refused(error, NOTICE_FIELD_OF_RULE);
        }
      }
    }
    sendPage(
      response,
      layout({
        title: 'Kündigungsrechner',
        actor,
        path: request.path,
        main: html`<h1>Kündigungsrechner</h1>
        <p>Ordentlich gekündigt wird schriftlich mit sechs Monaten Frist zum 30. Juni oder 31. Dezember: Eine bis zum 30. Juni eingegangene
          Kündigung wirkt zum 31. Dezember desselben Jahres, eine ab dem 1. Juli eingegangene zum 30. Juni des Folgejahres.</p>
        ${errorSummary(form, NOTICE_LABELS)}
        ${result}
        <form class="stacked" method="get" action="/app/vertraege/rechner" novalidate>
          ${textField(form, { name: 'eingang', label: 'Eine Kündigung geht ein am', type: 'date', hint: 'Wann wird sie wirksam?' })}
          ${textField(form, { name: 'wirksam', label: 'Der Vertrag soll enden zum', type: 'date', hint: 'Ein 30. Juni oder 31. Dezember: bis wann muss die Kündigung eingegangen sein?' })}
          <div class="actions"><button type="submit">Berechnen</button></div>
        </form>`,
      }),
      form.ok ? 200 : 422,
    );
  }

  @Get(':id')
  @Allow('contracts:read')
  @SessionCookie()
  async detail(
    @CurrentActor() actor: SignedInActor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('eingetragen') recorded: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const contract = await this.contracts.get(actor, id);
    sendPage(
      response,
      this.page(
        actor,
        request.path,
        contract,
        new Form(),
        recorded !== undefined && contract.notice
          ? `Die Kündigung ist eingetragen. Sie wird zum ${germanDay(contract.notice.effectiveOn)} wirksam.`
          : undefined,
      ),
    );
  }

  /** Records an ordinary notice in writing for the administrator's partner; refused rules show at their fields. */
  @Post(':id/kuendigung')
  @Allow('contracts:write')
  @SessionCookie()
  async giveNotice(
    @CurrentActor() actor: SignedInActor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    // In writing: the day the letter came and its reference are both needed.
    if (!form.text('eingang'))
      form.fieldError('eingang', 'Bitte geben Sie an, wann das Kündigungsschreiben eingegangen ist.');
    if (!form.text('aktenzeichen'))
      form.fieldError('aktenzeichen', 'Bitte geben Sie das Aktenzeichen des Kündigungsschreibens an.');
    const dto = await validated(
      form,
      NoticeDto,
      {
        receivedOn: form.optional('eingang'),
        reference: form.optional('aktenzeichen'),
        effectiveOn: form.optional('wirksam'),
      },
      (path) => NOTICE_FIELD_OF_PROPERTY[path] ?? path,
    );
    if (dto && form.ok) {
      if (await form.attempt(() => this.contracts.giveNotice(actor, id, dto, form.key), NOTICE_FIELD_OF_RULE))
        return seeOther(response, `/app/vertraege/${id}?eingetragen`);
    }
    const contract = await this.contracts.get(actor, id);
    sendPage(
      response,
      this.page(actor, `/app/vertraege/${id}`, contract, form.again()),
      form.status === 200 ? 422 : form.status,
    );
  }

  private page(actor: SignedInActor, path: string, c: ContractView, form: Form, notice?: string): Html {
    const mayWrite = actor.role === 'contract_admin' && !c.notice && !c.termination;
    return layout({
      title: c.bildungsregion,
      actor,
      path,
      notice,
      main: html`<h1>${c.bildungsregion}</h1>
        <dl class="facts">
          <dt>Partner</dt><dd>${c.land.name} (${c.land.representedBy}) und ${c.kommune.name}</dd>
          <dt>Beginn</dt><dd>${germanDay(c.startsOn)}</dd>
          <dt>Stand</dt><dd><span class="status">${CONTRACT_STATUS_DE[c.status]}</span></dd>
          ${c.review && html`<dt>Überprüfung</dt><dd>${c.review.cycle}. Überprüfung fällig am ${germanDay(c.review.dueOn)}${c.review.evaluation ? ', Evaluation liegt vor' : ', Evaluation fehlt noch'}</dd>`}
          ${c.notice && html`<dt>Kündigung</dt><dd id="kuendigung">durch ${PARTNER_DE[c.notice.by]}, eingegangen am ${germanDay(c.notice.receivedOn)}, <strong>wirksam zum ${germanDay(c.notice.effectiveOn)}</strong></dd>`}
          ${c.termination && html`<dt>Beendet</dt><dd>zum ${germanDay(c.termination.effectiveOn)}</dd>`}
          <dt>Ablauf</dt><dd><a href="/app/vorgaenge/${c.instanceId}">Zustandsdiagramm und Verlauf des Vertrags</a></dd>
        </dl>

        <h2 id="fristen">Nächste Fristen</h2>
        ${c.due.length ? timeline(c.due) : html`<p>Keine offenen Fristen.</p>`}
        ${exportLinks('Fristen aller Ihrer Verträge herunterladen', 'deadlines')}

        <h2 id="akten">Schriftliche Vorgänge</h2>
        <div class="table-wrap"><table>
          <caption>Was schriftlich eingegangen ist, nach Eingang</caption>
          <thead><tr><th scope="col">Eingang</th><th scope="col">Vorgang</th><th scope="col">Von</th><th scope="col">Aktenzeichen</th></tr></thead>
          <tbody>${[...c.writtenActs]
            .sort((a, b) => a.receivedOn.localeCompare(b.receivedOn))
            .map(
              (act) => html`<tr>
            <td>${germanDay(act.receivedOn)}</td><td>${ACT_DE[act.kind] ?? act.kind}</td><td>${PARTNER_DE[act.partner]}</td><td>${act.reference}</td></tr>`,
            )}</tbody>
        </table></div>

        ${
          mayWrite &&
          html`<h2 id="kuendigen">Ordentliche Kündigung eintragen</h2>
          <p>Für ${PARTNER_DE[c.admins.find((a) => a.id === actor.id && (!actor.partner || a.partner === actor.partner))?.partner ?? 'land']}: schriftlich, mit sechs Monaten Frist zum 30. Juni oder 31. Dezember.</p>
          ${errorSummary(form, NOTICE_LABELS)}
          <form class="stacked" method="post" action="/app/vertraege/${c.id}/kuendigung" novalidate>
            <input type="hidden" name="${IDEMPOTENCY_FIELD}" value="${form.key}">
            ${textField(form, { name: 'eingang', label: NOTICE_LABELS.eingang, type: 'date', required: true })}
            ${textField(form, { name: 'aktenzeichen', label: NOTICE_LABELS.aktenzeichen, required: true })}
            ${textField(form, { name: 'wirksam', label: `${NOTICE_LABELS.wirksam} (freiwillig)`, type: 'date', hint: 'Leer lassen für den frühestmöglichen Termin; sonst ein späterer 30. Juni oder 31. Dezember.' })}
            <div class="actions"><button type="submit">Kündigung eintragen</button></div>
          </form>`
        }

        <h2 id="rechner">Kündigungsrechner</h2>
        <form class="stacked" method="get" action="/app/vertraege/rechner">
          <div class="field"><label for="rechner-eingang">Eine Kündigung geht ein am</label><input type="date" id="rechner-eingang" name="eingang"></div>
          <div class="field"><label for="rechner-wirksam">Der Vertrag soll enden zum (30. Juni oder 31. Dezember)</label><input type="date" id="rechner-wirksam" name="wirksam"></div>
          <div class="actions"><button type="submit" class="secondary">Berechnen</button></div>
        </form>`,
    });
  }
}

/** What is due, soonest first, as a timeline: the day, what it is, why on that day, and when reminders go out. */
function timeline(due: DueItem[]): Html {
  return html`<ol class="timeline">${due.map(
    (item) => html`<li${item.overdue ? html` class="overdue"` : ''}>
    <p class="when"><time datetime="${item.on}">${germanDay(item.on)}</time>${item.overdue ? html` <strong>überfällig</strong>` : ''}</p>
    <p class="what">${DEADLINE_KIND_DE[item.kind] ?? item.kind}${
      typeof item.details.effectiveOn === 'string' && isTerminationDate(item.details.effectiveOn)
        ? ` (für ein Vertragsende zum ${germanDay(item.details.effectiveOn)})`
        : ''
    }${typeof item.details.coordinator === 'string' ? ` (${item.details.coordinator})` : ''}</p>
    <p class="why">${item.basis.source.de}</p>
    ${item.reminders.length > 0 && html`<p class="reminders">Erinnerungen: ${item.reminders.map((r) => germanDay(r.sendOn)).join(', ')}</p>`}
  </li>`,
  )}</ol>`;
}
