import { Injectable } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { moduleTitle } from '../../workflows/tandem-qualification/model.js';
import { scopeOf } from '../auth/policy.js';
import { germanDay, toCsv, toXlsx, type SpreadsheetFile, type Table } from '../common/spreadsheet.js';
import { ContractsService } from '../contracts/contracts.service.js';
import { Clock } from '../engine/clock.js';
import type { Actor } from '../engine/workflow-engine.js';
import { AlumniService } from '../qualification/alumni.service.js';
import { GroupsService } from '../qualification/groups.service.js';
import { QualificationRepository } from '../qualification/qualification.repository.js';
import { RegistrationService } from '../qualification/registration.service.js';
import { certificateModuleTitle, verificationUrl } from '../qualification/views.js';
import {
  attendanceTable, certificatesTable, deadlinesTable, enrolmentsTable, type AttendanceLine, type DeadlineLine,
} from './export-tables.js';
import { ExportsRepository } from './exports.repository.js';

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
    const name = (members: { name: string; supervision: string }[], supervision: string) => members.find((m) => m.supervision === supervision)?.name ?? null;
    const lines = views.map((v) => ({
      districtName: districts.get(v.districtId) ?? v.districtId, network: v.network?.name ?? null, status: v.status,
      lower: name(v.members, 'lower'), upper: name(v.members, 'upper'), group: v.group?.name ?? null, waitlistPosition: v.waitlistPosition,
      staffCouncilOn: v.involvements.staffCouncil?.on ?? null, staffCouncilOutcome: v.involvements.staffCouncil?.outcome ?? null,
      equalOpportunitiesOn: v.involvements.equalOpportunities,
    }));
    // As a clerk reads the list: by district, then by name ("Unter 9" before "Unter 10").
    const collator = new Intl.Collator('de', { numeric: true });
    lines.sort((x, y) => collator.compare(x.districtName, y.districtName) || collator.compare(x.lower ?? '', y.lower ?? ''));
    return this.file(enrolmentsTable(lines), format);
  }

  /** Every seated tandem of every group in the caller's scope (or of one group) against each event held or planned. */
  async attendance(actor: Actor, format: ExportFormat, groupId?: string): Promise<SpreadsheetFile> {
    const groups = groupId ? [await this.groups.getGroup(actor, groupId)] : await this.groups.listGroups(actor);
    const lines: AttendanceLine[] = [];
    for (const group of groups) {
      const enrolments = new Map((await this.repository.enrolments(group.tandems.map((t) => t.enrolmentId))).map((e) => [e.id, e]));
      for (const event of group.events.filter((e) => e.status !== 'cancelled')) {
        const present = new Map((await this.qualification.attendanceOfEvent(event.id)).map((a) => [a.personId, a.present]));
        for (const tandem of group.tandems) {
          const members = [...(enrolments.get(tandem.enrolmentId)?.members ?? [])].sort((a, b) => a.supervision.localeCompare(b.supervision));
          lines.push({
            group: group.name, moduleTitle: moduleTitle(event.module, 'de', event), firstDay: event.days[0], lastDay: event.days[event.days.length - 1],
            place: event.place, recorded: event.attendanceRecorded,
            members: members.map((m) => ({ name: m.name, present: present.get(m.personId) ?? null })),
          });
        }
      }
    }
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
        const effective = typeof d.details.effectiveOn === 'string' ? ` (wirksam zum ${germanDay(d.details.effectiveOn)})` : '';
        const coordinator = typeof d.details.coordinator === 'string' ? `Bildungskoordination: ${d.details.coordinator}` : null;
        lines.push({ programme: CONTRACTS, kind: d.kind, concerns: d.bildungsregion, on: d.on, overdue: d.overdue, note: coordinator ?? (effective ? `Kündigung${effective}` : null) });
      }
    }
    if (role === 'ministry' || role === 'institute' || role === 'moderator') {
      for (const group of await this.groups.listGroups(actor)) {
        for (const event of group.events.filter((e) => e.status !== 'cancelled')) {
          const title = moduleTitle(event.module, 'de', event);
          const lastDay = event.days[event.days.length - 1];
          if (event.days[0] >= today) {
            lines.push({ programme: QUALIFICATION, kind: 'event', concerns: `${group.name}: ${title}`, on: event.days[0], overdue: false, note: `${event.place}, ab ${event.startTime} Uhr` });
          } else if (lastDay < today && !event.attendanceRecorded) {
            lines.push({ programme: QUALIFICATION, kind: 'attendance-missing', concerns: `${group.name}: ${title}`, on: lastDay, overdue: true, note: 'Die Moderation erfasst die Anwesenheit.' });
          }
        }
        for (const phase of group.reflectionPhases.filter((p) => !p.closed)) {
          const before = group.events.find((e) => e.id === phase.beforeEventId);
          lines.push({
            programme: QUALIFICATION, kind: 'reflection-phase', concerns: group.name, on: phase.dueOn, overdue: phase.dueOn < today,
            note: before ? `vor ${moduleTitle(before.module, 'de', before)} am ${germanDay(before.days[0])}` : null,
          });
        }
      }
    }
    if (role === 'ministry' || role === 'institute') {
      for (const exchange of await this.alumni.list(actor)) {
        if (exchange.on >= today) lines.push({ programme: QUALIFICATION, kind: 'exchange', concerns: exchange.place, on: exchange.on, overdue: false, note: `${exchange.accepted} von ${exchange.invited} Tandems haben zugesagt` });
      }
    }
    return this.file(deadlinesTable(lines), format);
  }

  /** Every certificate issued (the ministry and the institute read them all). */
  async certificates(format: ExportFormat): Promise<SpreadsheetFile> {
    const certificates = await this.repository.certificates();
    const enrolments = new Map((await this.repository.enrolments([...new Set(certificates.map((c) => c.enrolmentId))])).map((e) => [e.id, e]));
    const networks = new Map((await this.repository.networks([...new Set([...enrolments.values()].map((e) => e.networkId))])).map((n) => [n.id, n]));
    const districts = await this.districtNames();
    return this.file(certificatesTable(certificates.map((c) => {
      const enrolment = enrolments.get(c.enrolmentId);
      return {
        name: c.personName, districtName: enrolment ? districts.get(enrolment.districtId) ?? enrolment.districtId : null,
        network: enrolment ? networks.get(enrolment.networkId)?.name ?? null : null, firstDay: c.firstDay, lastDay: c.lastDay, hours: c.hours,
        modules: c.modules.map((m) => certificateModuleTitle(c, m, 'de')), issuedOn: c.issuedOn, code: c.code,
        verificationUrl: verificationUrl(this.config.publicBaseUrl, c.code),
      };
    })), format);
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
