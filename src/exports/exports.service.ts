import { Injectable } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { moduleTitle } from '../../workflows/tandem-qualification/model.js';
import { recordShown } from '../audit/handler-reads.js';
import { scopeOf } from '../auth/policy.js';
import { germanDay, toCsv, toXlsx, type SpreadsheetFile, type Table } from '../common/spreadsheet.js';
import { ContractsService } from '../contracts/contracts.service.js';
import { Clock } from '../engine/clock.js';
import { NotFound } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import type { EnrolmentRow } from '../qualification/entities.js';
import { AlumniService } from '../qualification/alumni.service.js';
import { GroupsService } from '../qualification/groups.service.js';
import { QualificationRepository } from '../qualification/qualification.repository.js';
import { RegistrationService } from '../qualification/registration.service.js';
import { certificateModuleTitle, verificationUrl } from '../qualification/views.js';
import {
  attendanceTable,
  certificatesTable,
  deadlinesTable,
  enrolmentsTable,
  type AttendanceLine,
  type DeadlineLine,
} from './export-tables.js';
import { ExportsRepository } from './exports.repository.js';
import { renderRoster, renderSignInSheet, type PrintPerson } from './print-pdf.js';

export type ExportFormat = 'csv' | 'xlsx';

const QUALIFICATION = 'Tandem-Qualifizierung NRW';
const CONTRACTS = 'Bildungsregion Niedersachsen';

/**
 * The lists clerks keep elsewhere, as CSV and XLSX files. Each list is read through the programme service that
 * answers the same list as JSON, so a file holds exactly what the caller may see there: a district its own
 * enrolments, a moderator its own groups, a contract administrator the contracts naming it.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly registration: RegistrationService,
    private readonly groups: GroupsService,
    private readonly alumni: AlumniService,
    private readonly contracts: ContractsService,
    private readonly qualification: QualificationRepository,
    private readonly repository: ExportsRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  async enrolments(actor: Actor, format: ExportFormat): Promise<SpreadsheetFile> {
    const [views, districts] = await Promise.all([this.registration.list(actor), this.districtNames()]);
    await recordShown(views.flatMap((v) => v.members.map((m) => m.id)));
    const name = (members: { name: string; supervision: string }[], supervision: string) =>
      members.find((m) => m.supervision === supervision)?.name ?? null;
    const lines = views.map((v) => ({
      districtName: districts.get(v.districtId) ?? v.districtId,
      network: v.network?.name ?? null,
      status: v.status,
      lower: name(v.members, 'lower'),
      upper: name(v.members, 'upper'),
      group: v.group?.name ?? null,
      waitlistPosition: v.waitlistPosition,
      staffCouncilOn: v.involvements.staffCouncil?.on ?? null,
      staffCouncilOutcome: v.involvements.staffCouncil?.outcome ?? null,
      equalOpportunitiesOn: v.involvements.equalOpportunities,
    }));
    // As a clerk reads the list: by district, then by name ("Unter 9" before "Unter 10").
    const collator = new Intl.Collator('de', { numeric: true });
    lines.sort(
      (x, y) => collator.compare(x.districtName, y.districtName) || collator.compare(x.lower ?? '', y.lower ?? ''),
    );
    return this.file(enrolmentsTable(lines), format);
  }

  /** Every seated tandem of every group in the caller's scope (or of one group) against each event held or planned. */
  async attendance(actor: Actor, format: ExportFormat, groupId?: string): Promise<SpreadsheetFile> {
    const groups = groupId ? [await this.groups.getGroup(actor, groupId)] : await this.groups.listGroups(actor);
    const lines: AttendanceLine[] = [];
    const shown: string[] = [];
    for (const group of groups) {
      const enrolments = new Map(
        (await this.repository.enrolments(group.tandems.map((t) => t.enrolmentId))).map((e) => [e.id, e]),
      );
      if (group.events.some((e) => e.status !== 'cancelled'))
        shown.push(...[...enrolments.values()].flatMap((e) => e.members.map((m) => m.personId)));
      for (const event of group.events.filter((e) => e.status !== 'cancelled')) {
        const present = new Map(
          (await this.qualification.attendanceOfEvent(event.id)).map((a) => [a.personId, a.present]),
        );
        for (const tandem of group.tandems) {
          const members = [...(enrolments.get(tandem.enrolmentId)?.members ?? [])].sort((a, b) =>
            a.supervision.localeCompare(b.supervision),
          );
          lines.push({
            group: group.name,
            moduleTitle: moduleTitle(event.module, 'de', event),
            firstDay: event.days[0],
            lastDay: event.days[event.days.length - 1],
            place: event.place,
            recorded: event.attendanceRecorded,
            members: members.map((m) => ({ name: m.name, present: present.get(m.personId) ?? null })),
          });
        }
      }
    }
    await recordShown(shown);
    return this.file(attendanceTable(lines), format);
  }

  /**
   * What comes due in the caller's scope, soonest first: the contracts' deadlines (the ministry's and the contract
   * administrators'), and the qualification's events, open reflection phases, attendance not yet recorded and the
   * annual exchange (the ministry's, the institute's and a moderator's own groups').
   */
  async deadlines(actor: Actor, format: ExportFormat): Promise<SpreadsheetFile> {
    const today = this.today();
    const lines: DeadlineLine[] = [];
    const role = scopeOf(actor).role;
    if (role === 'ministry' || role === 'contract_admin') {
      for (const d of await this.contracts.deadlines(actor, {})) {
        const effective =
          typeof d.details.effectiveOn === 'string' ? ` (wirksam zum ${germanDay(d.details.effectiveOn)})` : '';
        const coordinator =
          typeof d.details.coordinator === 'string' ? `Bildungskoordination: ${d.details.coordinator}` : null;
        lines.push({
          programme: CONTRACTS,
          kind: d.kind,
          concerns: d.bildungsregion,
          on: d.on,
          overdue: d.overdue,
          note: coordinator ?? (effective ? `Kündigung${effective}` : null),
        });
      }
    }
    if (role === 'ministry' || role === 'institute' || role === 'moderator') {
      for (const group of await this.groups.listGroups(actor)) {
        for (const event of group.events.filter((e) => e.status !== 'cancelled')) {
          const title = moduleTitle(event.module, 'de', event);
          const lastDay = event.days[event.days.length - 1];
          if (event.days[0] >= today) {
            lines.push({
              programme: QUALIFICATION,
              kind: 'event',
              concerns: `${group.name}: ${title}`,
              on: event.days[0],
              overdue: false,
              note: `${event.place}, ab ${event.startTime} Uhr`,
            });
          } else if (lastDay < today && !event.attendanceRecorded) {
            lines.push({
              programme: QUALIFICATION,
              kind: 'attendance-missing',
              concerns: `${group.name}: ${title}`,
              on: lastDay,
              overdue: true,
              note: 'Die Moderation erfasst die Anwesenheit.',
            });
          }
        }
        for (const phase of group.reflectionPhases.filter((p) => !p.closed)) {
          const before = group.events.find((e) => e.id === phase.beforeEventId);
          lines.push({
            programme: QUALIFICATION,
            kind: 'reflection-phase',
            concerns: group.name,
            on: phase.dueOn,
            overdue: phase.dueOn < today,
            note: before ? `vor ${moduleTitle(before.module, 'de', before)} am ${germanDay(before.days[0])}` : null,
          });
        }
      }
    }
    if (role === 'ministry' || role === 'institute') {
      for (const exchange of await this.alumni.list(actor)) {
        if (exchange.on >= today)
          lines.push({
            programme: QUALIFICATION,
            kind: 'exchange',
            concerns: exchange.place,
            on: exchange.on,
            overdue: false,
            note: `${exchange.accepted} von ${exchange.invited} Tandems haben zugesagt`,
          });
      }
    }
    return this.file(deadlinesTable(lines), format);
  }

  /** Every certificate issued (the ministry and the institute read them all). */
  async certificates(format: ExportFormat): Promise<SpreadsheetFile> {
    const certificates = await this.repository.certificates();
    await recordShown(certificates.map((c) => c.personId));
    const enrolments = new Map(
      (await this.repository.enrolments([...new Set(certificates.map((c) => c.enrolmentId))])).map((e) => [e.id, e]),
    );
    const networks = new Map(
      (await this.repository.networks([...new Set([...enrolments.values()].map((e) => e.networkId))])).map((n) => [
        n.id,
        n,
      ]),
    );
    const districts = await this.districtNames();
    return this.file(
      certificatesTable(
        certificates.map((c) => {
          const enrolment = enrolments.get(c.enrolmentId);
          return {
            name: c.personName,
            districtName: enrolment ? (districts.get(enrolment.districtId) ?? enrolment.districtId) : null,
            network: enrolment ? (networks.get(enrolment.networkId)?.name ?? null) : null,
            firstDay: c.firstDay,
            lastDay: c.lastDay,
            hours: c.hours,
            modules: c.modules.map((m) => certificateModuleTitle(c, m, 'de')),
            issuedOn: c.issuedOn,
            code: c.code,
            verificationUrl: verificationUrl(this.config.publicBaseUrl, c.code),
          };
        }),
      ),
      format,
    );
  }

  /** The sign-in sheet of an event, for whom may see its group (a moderator its own). */
  async signInSheet(
    actor: Actor,
    eventId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const stored = await this.qualification.event(eventId);
    if (!stored) throw new NotFound(`no event ${eventId}`, 'event-exists', { event: eventId });
    const group = await this.groups.getGroup(actor, stored.groupId);
    const event = group.events.find((e) => e.id === eventId)!;
    const participants = await this.seatedPersons(group.tandems.map((t) => t.enrolmentId));
    await recordShown([
      ...group.moderators.map((m) => m.id),
      ...group.tandems.flatMap((t) => t.members.map((m) => m.id)),
    ]);
    const content = await renderSignInSheet({
      group: group.name,
      moderators: group.moderators.map((m) => m.name),
      participants: participants.flatMap((t) => t.members),
      printedOn: this.today(),
      event: {
        title: moduleTitle(event.module, 'de', event),
        days: event.days,
        startTime: event.startTime,
        hours: event.hours,
        place: event.place,
        cancelled: event.status === 'cancelled',
      },
    });
    return { filename: `unterschriftenliste-${event.days[0]}.pdf`, contentType: 'application/pdf', content };
  }

  /** The roster of a group: its seated tandems with both members, its moderators and its events. */
  async roster(actor: Actor, groupId: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const group = await this.groups.getGroup(actor, groupId);
    await recordShown([
      ...group.moderators.map((m) => m.id),
      ...group.tandems.flatMap((t) => t.members.map((m) => m.id)),
    ]);
    const content = await renderRoster({
      group: group.name,
      moderators: group.moderators.map((m) => m.name),
      tandems: await this.seatedPersons(group.tandems.map((t) => t.enrolmentId)),
      waiting: group.waitingList.length,
      printedOn: this.today(),
      events: group.events.map((e) => ({
        title: moduleTitle(e.module, 'de', e),
        days: e.days,
        startTime: e.startTime,
        hours: e.hours,
        place: e.place,
        cancelled: e.status === 'cancelled',
      })),
    });
    return { filename: 'teilnehmendenliste.pdf', contentType: 'application/pdf', content };
  }

  /** The seated tandems in seat order, each with its network, district and both members (lower supervision first). */
  private async seatedPersons(enrolmentIds: string[]) {
    const rows = new Map((await this.repository.enrolments(enrolmentIds)).map((e) => [e.id, e]));
    const enrolments = enrolmentIds.map((id) => rows.get(id)).filter((e): e is EnrolmentRow => !!e);
    const networks = new Map(
      (await this.repository.networks([...new Set(enrolments.map((e) => e.networkId))])).map((n) => [n.id, n.name]),
    );
    const districts = await this.districtNames();
    return enrolments.map((e) => ({
      network: networks.get(e.networkId) ?? null,
      district: districts.get(e.districtId) ?? null,
      members: [...e.members]
        .sort((a, b) => a.supervision.localeCompare(b.supervision))
        .map((m): PrintPerson => ({
          name: m.name,
          role: m.supervision === 'lower' ? 'untere Schulaufsicht' : 'obere Schulaufsicht',
          office: m.office,
          network: networks.get(e.networkId) ?? null,
        })),
    }));
  }

  private async districtNames(): Promise<Map<string, string>> {
    return new Map((await this.repository.districts()).map((d) => [d.id, d.name]));
  }

  private file(table: Table, format: ExportFormat): Promise<SpreadsheetFile> | SpreadsheetFile {
    return format === 'csv' ? toCsv(table) : toXlsx(table, this.clock.now());
  }

  private today(): string {
    return this.clock.today(this.config.timeZone);
  }
}
