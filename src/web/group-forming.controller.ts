/**
 * The institute forms a qualification group with a moderator tandem the ministry appointed, and sets the group's
 * curriculum once: its events in date order, the three core modules among them. Afterwards single events are moved,
 * added or cancelled on the group's page.
 */
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CORE_MODULES,
  DEFAULT_GROUP_CAPACITY,
  DEFAULT_START_TIME,
  MODULE_TITLES,
} from '../../workflows/tandem-qualification/model.js';
import { recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import type { SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { CreateGroupDto, SetCurriculumDto } from '../qualification/dtos.js';
import { GroupsService } from '../qualification/groups.service.js';
import type { FormFields } from './form-body.js';
import { moduleKeyOf } from './format.js';
import { errorSummary, Form, keyField, selectField, textField, validated } from './forms.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { seeOther, sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { WebReadsRepository } from './web-reads.repository.js';

const uuid = new ParseUUIDPipe();

/** Rows of the curriculum form; a row left without module and first day is not an event. */
const EVENT_ROWS = 5;
const ADDITIONAL = 'additional';

const GROUP_LABELS = { name: 'Name der Gruppe', capacity: 'Plätze (Tandems)', moderatorTandemId: 'Moderationstandem' };

const row = (index: number, field: string) => `e${index}-${field}`;

/** The curriculum form's first rows start as the three core modules, two days of eight hours each. */
function curriculumDefaults(): FormFields {
  const fields: FormFields = { reflectionDays: '7' };
  CORE_MODULES.forEach((module, index) => {
    fields[row(index, 'module')] = module;
    fields[row(index, 'startTime')] = DEFAULT_START_TIME;
    fields[row(index, 'hours')] = '16';
  });
  return fields;
}

@ApiExcludeController()
@Controller('app/institut')
@UseFilters(WebErrorFilter)
@SessionCookie()
export class GroupFormingController {
  constructor(
    private readonly groups: GroupsService,
    private readonly reads: WebReadsRepository,
  ) {}

  @Get('gruppe-neu')
  @Allow('groups:write')
  async newGroupForm(@CurrentActor() actor: SignedInActor, @Res() response: Response): Promise<void> {
    sendPage(response, await this.groupPage(actor, new Form({ capacity: String(DEFAULT_GROUP_CAPACITY) })));
  }

  @Post('gruppe-neu')
  @Allow('groups:write')
  async formGroup(
    @CurrentActor() actor: SignedInActor,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    if (!form.text('moderatorTandemId'))
      form.fieldError('moderatorTandemId', 'Bitte wählen Sie ein Moderationstandem.');
    const dto = await validated(form, CreateGroupDto, {
      name: form.text('name'),
      capacity: form.number('capacity'),
      moderatorTandemId: form.text('moderatorTandemId'),
    });
    let groupId: string | undefined;
    if (
      dto &&
      form.ok &&
      (await form.attempt(
        async () => {
          groupId = (await this.groups.createGroup(actor, dto, form.key)).id;
        },
        { 'moderator-tandem-exists': 'moderatorTandemId' },
      ))
    )
      return seeOther(response, `/app/institut/gruppen/${groupId}/curriculum`);
    sendPage(response, await this.groupPage(actor, form.again()), form.status);
  }

  private async groupPage(actor: SignedInActor, form: Form): Promise<Html> {
    const [tandems, persons] = await Promise.all([this.reads.moderatorTandems(), this.reads.persons()]);
    const name = new Map(persons.map((p) => [p.id, p.name]));
    await recordShown(tandems.flatMap((t) => [t.firstMemberId, t.secondMemberId]));
    const choices = tandems.map((t) => ({
      value: t.id,
      label: `${name.get(t.firstMemberId) ?? t.firstMemberId} und ${name.get(t.secondMemberId) ?? t.secondMemberId}`,
    }));
    return layout({
      title: 'Gruppe bilden',
      actor,
      path: '/app/institut/gruppen',
      main: html`<h1>Qualifizierungsgruppe bilden</h1>
        ${
          choices.length === 0
            ? html`<p>Es ist noch kein Moderationstandem berufen. Das Ministerium beruft die Moderationstandems; danach kann hier eine Gruppe gebildet werden.</p>`
            : html`${errorSummary(form, GROUP_LABELS)}
        <form class="stacked" method="post" action="/app/institut/gruppe-neu" novalidate>
          ${keyField(form)}
          ${textField(form, { name: 'name', label: GROUP_LABELS.name, required: true })}
          ${textField(form, { name: 'capacity', label: GROUP_LABELS.capacity, type: 'number', required: true, hint: 'In der Regel acht Tandems' })}
          ${selectField(form, { name: 'moderatorTandemId', label: GROUP_LABELS.moderatorTandemId, placeholder: 'Bitte wählen', required: true, choices })}
          <div class="actions"><button type="submit">Gruppe bilden</button><a href="/app/institut/gruppen">Zurück zu den Gruppen</a></div>
        </form>`
        }`,
    });
  }

  @Get('gruppen/:id/curriculum')
  @Allow('groups:write')
  async curriculumForm(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Res() response: Response,
  ): Promise<void> {
    sendPage(response, await this.curriculumPage(actor, id, new Form(curriculumDefaults())));
  }

  @Post('gruppen/:id/curriculum')
  @Allow('groups:write')
  async setCurriculum(
    @CurrentActor() actor: SignedInActor,
    @Param('id', uuid) id: string,
    @Body() body: FormFields,
    @Res() response: Response,
  ): Promise<void> {
    const form = Form.submitted(body);
    // The rows that hold an event, with the form's row number of each (for the messages at its fields).
    const rows = Array.from({ length: EVENT_ROWS }, (_, index) => index).filter(
      (index) => form.text(row(index, 'module')) || form.text(row(index, 'day0')),
    );
    for (const index of rows) {
      if (!form.text(row(index, 'module')))
        form.fieldError(row(index, 'module'), 'Bitte wählen Sie das Modul dieses Termins.');
      if (form.text(row(index, 'module')) === ADDITIONAL && !form.text(row(index, 'title')))
        form.fieldError(row(index, 'title'), 'Bitte geben Sie den Titel des weiteren Moduls an.');
    }
    const events = rows.map((index) => {
      const module = form.text(row(index, 'module'));
      return {
        module: module === ADDITIONAL ? moduleKeyOf(form.text(row(index, 'title'))) : module,
        title: form.optional(row(index, 'title')),
        days: [form.text(row(index, 'day0')), form.text(row(index, 'day1'))].filter(Boolean),
        startTime: form.optional(row(index, 'startTime')),
        hours: form.number(row(index, 'hours')),
        place: form.text(row(index, 'place')),
      };
    });
    // `events.2.days` is the third row with an event: the messages go to that row's fields.
    const fieldOf = (path: string) => {
      const [, position, property] = /^events\.(\d+)\.(\w+)/.exec(path) ?? [];
      if (position === undefined) return path === 'reflectionDueDaysBeforeNextEvent' ? 'reflectionDays' : 'e0-module';
      const index = rows[Number(position)];
      return row(index, property === 'days' ? 'day0' : property);
    };
    const dto = await validated(
      form,
      SetCurriculumDto,
      { events, reflectionDueDaysBeforeNextEvent: form.number('reflectionDays') },
      fieldOf,
    );
    if (
      dto &&
      form.ok &&
      (await form.attempt(() => this.groups.setCurriculum(actor, id, dto, form.key), {
        'curriculum-core-modules': 'e0-module',
        'curriculum-max-64-hours': 'e0-hours',
        'curriculum-events-in-order': 'e0-day0',
      }))
    )
      return seeOther(response, `/app/institut/gruppen/${id}?ok=curriculum`);
    sendPage(response, await this.curriculumPage(actor, id, form.again()), form.status);
  }

  private async curriculumPage(actor: SignedInActor, groupId: string, form: Form): Promise<Html> {
    const group = await this.groups.getGroup(actor, groupId);
    const modules = [
      ...CORE_MODULES.map((m) => ({ value: m, label: MODULE_TITLES[m].de })),
      { value: ADDITIONAL, label: 'Weiteres Modul (Titel angeben)' },
    ];
    const labels: Record<string, string> = {
      reflectionDays: 'Reflexionsaufgabe fällig (Tage vor dem nächsten Termin)',
    };
    for (let index = 0; index < EVENT_ROWS; index++) {
      for (const [field, label] of Object.entries({
        module: 'Modul',
        title: 'Titel',
        day0: '1. Tag',
        day1: '2. Tag',
        startTime: 'Beginn',
        hours: 'Stunden',
        place: 'Ort',
      }))
        labels[row(index, field)] = `Termin ${index + 1}: ${label}`;
    }
    return layout({
      title: `Curriculum festlegen: ${group.name}`,
      actor,
      path: '/app/institut/gruppen',
      main: html`<h1>Curriculum festlegen: ${group.name}</h1>
        ${
          group.events.length
            ? html`<p>Diese Gruppe hat ihr Curriculum bereits. Einzelne Termine verschieben, ergänzen oder absagen Sie auf der <a href="/app/institut/gruppen/${group.id}">Seite der Gruppe</a>.</p>`
            : html`<p>Die Qualifizierung umfasst die drei Kernmodule in höchstens 64 Stunden an höchstens acht Tagen. Tragen Sie die Termine in zeitlicher Reihenfolge ein; nicht benötigte Zeilen bleiben leer. Das Curriculum wird einmal festgelegt; danach werden einzelne Termine geändert.</p>
        ${errorSummary(form, labels)}
        <form class="stacked" method="post" action="/app/institut/gruppen/${group.id}/curriculum" novalidate>
          ${keyField(form)}
          ${Array.from(
            { length: EVENT_ROWS },
            (_, index) => html`<fieldset><legend>Termin ${index + 1}</legend>
            ${selectField(form, { name: row(index, 'module'), label: 'Modul', placeholder: 'Kein Termin', choices: modules })}
            ${textField(form, { name: row(index, 'title'), label: 'Titel (bei weiteren Modulen)' })}
            ${textField(form, { name: row(index, 'day0'), label: '1. Tag', type: 'date' })}
            ${textField(form, { name: row(index, 'day1'), label: '2. Tag (optional)', type: 'date' })}
            ${textField(form, { name: row(index, 'startTime'), label: 'Beginn', type: 'time' })}
            ${textField(form, { name: row(index, 'hours'), label: 'Stunden', type: 'number' })}
            ${textField(form, { name: row(index, 'place'), label: 'Ort' })}
          </fieldset>`,
          )}
          ${textField(form, { name: 'reflectionDays', label: labels.reflectionDays, type: 'number', required: true })}
          <div class="actions"><button type="submit">Curriculum festlegen</button><a href="/app/institut/gruppen/${group.id}">Zurück zur Gruppe</a></div>
        </form>`
        }`,
    });
  }
}
