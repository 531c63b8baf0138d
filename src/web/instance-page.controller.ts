/**
 * Any workflow instance the caller may read: its workflow drawn as a state diagram with the current state marked,
 * and its journal as a timeline (who did what, when, and which state it led to).
 */
import { Controller, Get, Param, ParseUUIDPipe, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { LotseConfig } from '../../config/configuration.js';
import { personsActingIn, recordShown } from '../audit/handler-reads.js';
import { Allow, SessionCookie } from '../auth/auth.decorators.js';
import { InstanceAccess } from '../auth/instance-access.js';
import { isRole, type SignedInActor } from '../auth/policy.js';
import { CurrentActor } from '../common/actor.decorator.js';
import { OutOfScope } from '../common/errors.js';
import { DefinitionRegistry } from '../engine/registry.js';
import { stateDiagramSvg, stateGraph } from '../engine/state-diagram.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { html, trusted } from './html.js';
import { layout, ROLE_LABELS } from './layout.js';
import { sendPage } from './respond.js';
import { WebErrorFilter } from './web-error.filter.js';
import { eventName, germanGraph, stateName } from './workflow-labels.js';

@ApiExcludeController()
@Controller('app/vorgaenge')
@UseFilters(WebErrorFilter)
export class InstancePageController {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly registry: DefinitionRegistry,
    private readonly access: InstanceAccess,
    private readonly config: LotseConfig,
  ) {}

  @Get(':id')
  @Allow('instances:read')
  @SessionCookie()
  async show(
    @CurrentActor() actor: SignedInActor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const instance = await this.engine.get(id);
    if (!(await this.access.mayRead(actor, id))) {
      throw new OutOfScope(
        `the role ${actor.role} may not read this ${instance.definition} instance`,
        'instance-in-scope',
        { instance: id },
      );
    }
    const definition = this.registry.get(instance.definition, instance.version);
    const journal = await this.engine.journal(id);
    await recordShown(personsActingIn(journal));
    const when = (iso: string) => DateTime.fromISO(iso).setZone(this.config.timeZone).setLocale('de');
    const state = (path: string | null) => stateName(definition.name, path);
    const svg = stateDiagramSvg(germanGraph(definition.name, stateGraph(definition.machine)), {
      title: `Zustandsdiagramm: ${definition.title}, aktueller Zustand ${state(instance.state)}`,
      current: instance.state,
      journal: [],
      withJournal: false,
      formatInstant: (iso) => when(iso).toFormat('dd.MM.yyyy HH:mm'),
    }).replace(/^<\?xml[^>]*>\s*/, '');
    sendPage(
      response,
      layout({
        title: `Vorgang ${definition.title}`,
        actor,
        path: request.path,
        main: html`<h1>${definition.title}</h1>
        <dl class="facts">
          <dt>Ablauf</dt><dd>${definition.name}, Version ${definition.version}</dd>
          <dt>Aktueller Zustand</dt><dd><strong>${state(instance.state)}</strong>${instance.status === 'done' ? ' (abgeschlossen)' : ''}</dd>
          <dt>Angelegt</dt><dd>${when(instance.createdAt).toFormat('dd.MM.yyyy HH:mm')} Uhr</dd>
          <dt>Nächste Termine</dt><dd>${
            instance.pendingTimers.length
              ? instance.pendingTimers
                  .slice(0, 5)
                  .map(
                    (t, i) =>
                      html`${i ? '; ' : ''}${when(t.dueAt).toFormat('dd.MM.yyyy')}: ${t.event ? eventName(t.event) : (t.effect ?? t.key)}`,
                  )
              : 'keine'
          }</dd>
        </dl>
        <h2>Zustandsdiagramm</h2>
        <figure class="diagram">
          <div class="diagram-scroll">${trusted(svg)}</div>
          <figcaption>Der aktuelle Zustand ist gelb hervorgehoben. Pfeile zeigen die Schritte, beschriftet mit den Ereignissen, die sie auslösen;
            Ereignisse mit „(Frist)“ löst Lotse selbst an ihrem Tag aus. <a href="/instances/${id}/diagram.svg" download>Als SVG-Bild herunterladen</a></figcaption>
        </figure>
        <h2>Verlauf</h2>
        <ol class="timeline">${journal.map(
          (entry) => html`<li${entry.stateBefore !== entry.stateAfter ? html` class="step"` : ''}>
          <p class="when"><time datetime="${entry.at}">${when(entry.at).toFormat('dd.MM.yyyy HH:mm')} Uhr</time></p>
          <p class="what"><strong>${eventName(entry.eventType)}</strong>: ${
            entry.stateBefore === null
              ? `im Zustand ${state(entry.stateAfter)}`
              : entry.stateBefore === entry.stateAfter
                ? `bleibt im Zustand ${state(entry.stateAfter)}`
                : `${state(entry.stateBefore)} → ${state(entry.stateAfter)}`
          }</p>
          <p class="why">${isRole(entry.actorRole) ? ROLE_LABELS[entry.actorRole] : entry.actorRole === 'system' ? 'Lotse (Frist)' : entry.actorRole}: ${entry.actorId}</p>
        </li>`,
        )}</ol>`,
      }),
    );
  }
}
