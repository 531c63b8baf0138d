/**
 * What the institute and a group's moderators see of a group, rendered once for both: its events, the attendance
 * matrix (tandem × event), reflection phases, and the attendance form of one event. The institute's page adds
 * certificates and curriculum changes; the links and forms point below the role's own base path.
 */
import type { SignedInActor } from '../auth/policy.js';
import type { GroupsService } from '../qualification/groups.service.js';
import { day, days, GROUP_STATE, moduleName, status } from './format.js';
import { errorSummary, Form, keyField } from './forms.js';
import { exportLinks } from './export-links.js';
import { html, type Html } from './html.js';
import { layout } from './layout.js';

export type GroupView = Awaited<ReturnType<GroupsService['getGroup']>>;
type EventView = GroupView['events'][number];
export type AttendanceView = Awaited<ReturnType<GroupsService['attendance']>>;

/** The persons a group's page shows: its moderators, the members of its seated and its waiting tandems. */
export function groupPeople(group: GroupView): string[] {
  return [
    ...group.moderators.map((m) => m.id),
    ...[...group.tandems, ...group.waitingList].flatMap((t) => t.members.map((m) => m.id)),
  ];
}

/** The attendance of every event with recorded attendance, by event id. */
export async function attendanceOf(
  groups: GroupsService,
  actor: SignedInActor,
  group: GroupView,
): Promise<Map<string, AttendanceView>> {
  const recorded = group.events.filter((e) => e.attendanceRecorded);
  return new Map(await Promise.all(recorded.map(async (e) => [e.id, await groups.attendance(actor, e.id)] as const)));
}

function eventLabel(event: EventView): string {
  return `${moduleName(event)} (${days(event.days)})`;
}

/** Rows: the members of each seated tandem; columns: the events. A cell says present, absent or not recorded. */
export function attendanceMatrix(group: GroupView, attendance: Map<string, AttendanceView>): Html {
  if (!group.tandems.length || !group.events.length) return html`<p>Noch keine Tandems oder Termine.</p>`;
  const cell = (event: EventView, personId: string) => {
    if (event.status === 'cancelled') return html`<td>abgesagt</td>`;
    const entry = attendance.get(event.id)?.entries.find((x) => x.personId === personId);
    if (!entry) return html`<td class="muted">–<span class="visually-hidden"> nicht erfasst</span></td>`;
    return entry.present ? html`<td class="present">✓ anwesend</td>` : html`<td class="absent">✗ abwesend</td>`;
  };
  return html`<div class="table-wrap"><table class="matrix">
    <caption>Anwesenheit je Tandem und Termin</caption>
    <thead><tr><th scope="col">Tandem</th><th scope="col">Mitglied</th>${group.events.map((e) => html`<th scope="col">${moduleName(e)}<br><span class="muted">${days(e.days)}</span></th>`)}</tr></thead>
    <tbody>${group.tandems.flatMap((tandem, t) =>
      tandem.members.map(
        (member, i) => html`<tr>
      ${i === 0 ? html`<th scope="rowgroup" rowspan="${tandem.members.length}">Tandem ${t + 1}</th>` : ''}
      <th scope="row">${member.name}</th>
      ${group.events.map((e) => cell(e, member.id))}
    </tr>`,
      ),
    )}</tbody>
  </table></div>`;
}

export interface GroupPageOptions {
  actor: SignedInActor;
  /** `/app/institut` or `/app/moderation`. */
  base: string;
  notice?: string;
  attendance: Map<string, AttendanceView>;
  /** Refused forms to show again, by `phase-<id>`, `cert-<enrolmentId>`. */
  forms?: Record<string, Form>;
  /** Extra sections (the institute's certificates). */
  extra?: Html;
  /** Whether events can be changed here (the institute). */
  changeEvents?: boolean;
}

export function groupPage(group: GroupView, options: GroupPageOptions): Html {
  const { base } = options;
  const forms = options.forms ?? {};
  const seated = group.tandems.length;
  return layout({
    title: group.name,
    actor: options.actor,
    path: `${base}/gruppen`,
    notice: options.notice,
    main: html`<h1>${group.name}</h1>
      <dl class="facts">
        <dt>Stand</dt><dd>${status(group.state, GROUP_STATE)}</dd>
        <dt>Moderation</dt><dd>${group.moderators.map((m) => m.name).join(' und ') || '–'}</dd>
        <dt>Plätze</dt><dd>${seated} von ${group.capacity} belegt${group.waitingList.length ? `, ${group.waitingList.length} auf der Warteliste` : ''}</dd>
      </dl>
      <p class="no-print">Zum Ausdrucken: <a href="/groups/${group.id}/roster.pdf" download>Teilnehmendenliste (PDF)</a>${
        options.actor.role === 'institute'
          ? html` · <a href="/app/vorgaenge/${group.instanceId}">Ablauf der Gruppe als Zustandsdiagramm</a>`
          : ''
      }</p>

      <h2>Termine</h2>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Modul</th><th scope="col">Tage</th><th scope="col">Beginn</th><th scope="col" class="num">Stunden</th><th scope="col">Ort</th><th scope="col">Anwesenheit</th>${options.changeEvents ? html`<th scope="col">Änderung</th>` : ''}</tr></thead>
        <tbody>${group.events.map(
          (e) => html`<tr>
          <td>${moduleName(e)}${e.status === 'cancelled' ? html` <span class="status">abgesagt</span>` : ''}${e.changeReason ? html`<br><span class="muted">Geändert: ${e.changeReason}</span>` : ''}</td>
          <td>${days(e.days)}</td><td>${e.startTime}</td><td class="num">${e.hours}</td><td>${e.place}</td>
          <td>${
            e.status === 'cancelled'
              ? '–'
              : html`<a href="${base}/gruppen/${group.id}/termine/${e.id}/anwesenheit">${e.attendanceRecorded ? 'Ansehen oder korrigieren' : 'Erfassen'}<span class="visually-hidden">: ${eventLabel(e)}</span></a>
            <br><a class="no-print" href="/events/${e.id}/sign-in-sheet.pdf" download>Unterschriftenliste<span class="visually-hidden">: ${eventLabel(e)}</span></a>`
          }</td>
          ${options.changeEvents ? html`<td>${e.status === 'cancelled' ? '–' : html`<a href="${base}/gruppen/${group.id}/termine/${e.id}/aenderung">Verschieben oder absagen<span class="visually-hidden">: ${eventLabel(e)}</span></a>`}</td>` : ''}
        </tr>`,
        )}</tbody>
      </table></div>
      ${
        options.changeEvents &&
        (group.events.length
          ? html`<p class="no-print"><a href="${base}/gruppen/${group.id}/termin-neu">Termin ergänzen</a></p>`
          : html`<p>Diese Gruppe hat noch kein Curriculum. <a href="${base}/gruppen/${group.id}/curriculum">Curriculum festlegen</a></p>`)
      }

      <h2>Anwesenheit</h2>
      ${attendanceMatrix(group, options.attendance)}
      ${exportLinks('Anwesenheit herunterladen', 'attendance', `?groupId=${group.id}`)}

      <h2>Reflexionsphasen</h2>
      ${
        group.reflectionPhases.length === 0
          ? html`<p>Keine Reflexionsphasen (das Curriculum ist noch nicht festgelegt).</p>`
          : html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Zwischen</th><th scope="col">Fällig am</th><th scope="col">Stand</th></tr></thead>
        <tbody>${group.reflectionPhases.map((p) => {
          const after = group.events.find((e) => e.id === p.afterEventId);
          const before = group.events.find((e) => e.id === p.beforeEventId);
          const form = (forms[`phase-${p.id}`] ?? new Form()).named(`phase-${p.id}`);
          return html`<tr>
            <td>${after ? moduleName(after) : '–'} und ${before ? moduleName(before) : '–'}</td>
            <td>${day(p.dueOn)}</td>
            <td>${
              p.closed
                ? `abgeschlossen am ${day(p.closedAt)}`
                : html`<span class="print-only">offen</span>${errorSummary(form)}<form method="post" action="${base}/reflexionsphasen/${p.id}/abschluss">${keyField(form)}<input type="hidden" name="groupId" value="${group.id}">
              <button type="submit">Abschließen<span class="visually-hidden">: Reflexionsphase bis ${day(p.dueOn)}</span></button></form>`
            }</td>
          </tr>`;
        })}</tbody>
      </table></div>`
      }
      ${options.extra}
      ${group.waitingList.length > 0 && html`<h2>Warteliste</h2><ol>${group.waitingList.map((t) => html`<li>${t.members.map((m) => m.name).join(' und ')}</li>`)}</ol>`}`,
  });
}

/** The form that records one event's attendance: one checkbox per member of the group's seated tandems. */
export function attendancePage(
  group: GroupView,
  eventId: string,
  attendance: AttendanceView | undefined,
  options: { actor: SignedInActor; base: string; form: Form },
): Html {
  const event = group.events.find((e) => e.id === eventId)!;
  const { form } = options;
  const submitted = form.values.shown !== undefined;
  const present = new Set(
    submitted ? form.list('present') : (attendance?.entries ?? []).filter((x) => x.present).map((x) => x.personId),
  );
  return layout({
    title: `Anwesenheit ${moduleName(event)}`,
    actor: options.actor,
    path: `${options.base}/gruppen`,
    main: html`<h1>Anwesenheit: ${moduleName(event)}</h1>
      <p>${group.name}, ${days(event.days)}, ${event.place}${attendance?.recordedAt ? ` – zuletzt erfasst am ${day(attendance.recordedAt)}` : ''}</p>
      ${errorSummary(form)}
      <form method="post" action="${options.base}/gruppen/${group.id}/termine/${event.id}/anwesenheit">
        ${keyField(form)}
        <input type="hidden" name="shown" value="1">
        ${group.tandems.map(
          (tandem, t) => html`<fieldset class="choices">
          <legend>Tandem ${t + 1}</legend>
          ${tandem.members.map((m) => html`<label><input type="checkbox" name="present" value="${m.id}"${present.has(m.id) ? html` checked` : ''}> ${m.name} anwesend</label>`)}
        </fieldset>`,
        )}
        <div class="actions"><button type="submit">Anwesenheit speichern</button><a href="${options.base}/gruppen/${group.id}">Zurück zur Gruppe</a></div>
      </form>`,
  });
}

/** The attendance entries a submitted attendance form stands for: every listed member, present or not. */
export function attendanceEntries(group: GroupView, form: Form): { personId: string; present: boolean }[] {
  const present = new Set(form.list('present'));
  return group.tandems.flatMap((t) => t.members.map((m) => ({ personId: m.id, present: present.has(m.id) })));
}
