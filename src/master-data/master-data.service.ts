import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.js';
import { requireDistrict, requirePersonInScope, scopeOf, type Scope } from '../auth/policy.js';
import { Clock } from '../engine/clock.js';
import { NotFound, RuleViolation } from '../engine/errors.js';
import { WorkflowEngine, type Actor } from '../engine/workflow-engine.js';
import { NetworkRow, PersonRow, SchoolOfficeRow, TandemRow } from '../qualification/entities.js';
import type { CorrectNameDto, CorrectPersonDto, CorrectTandemDto, DirectoryQuery, PersonsQuery } from './master-data.dto.js';
import { CorrectionRow, type Changes, type RecordType } from './master-data.entities.js';
import { MasterDataRepository } from './master-data.repository.js';
import type { PersonFields } from './person-references.js';
import { rewritingCopies, WorkflowCopies, type CopyReport } from './workflow-copies.js';

/** Enrolment states after which a tandem's registration is history. */
const ENDED = ['withdrawn', 'reformed'];

export interface PersonView {
  id: string;
  name: string;
  /** Null once the person is pseudonymised. */
  email: string | null;
  language: string;
  supervision: string | null;
  districtId: string | null;
  schoolOfficeId: string | null;
  office: string;
  pseudonymised: boolean;
}

export interface CorrectionView {
  id: number;
  at: string;
  actor: { id: string; role: string };
  changes: Changes;
  note: string | null;
}

/** What a correction reached beyond the record: workflows that copied it, their pending reminders and queued mail. */
export interface CopiesReached {
  workflows: number;
  reminders: number;
  mails: number;
}

function personView(row: PersonRow, pseudonymised: boolean): PersonView {
  return {
    id: row.id, name: row.name, email: pseudonymised ? null : row.email, language: row.language, supervision: row.supervision,
    districtId: row.districtId, schoolOfficeId: row.schoolOfficeId, office: row.office, pseudonymised,
  };
}

function correctionView(row: CorrectionRow): CorrectionView {
  return { id: row.id, at: row.at, actor: { id: row.actorId, role: row.actorRole }, changes: row.changes, note: row.note };
}

function reached(report: CopyReport | null): CopiesReached {
  return { workflows: report?.instances ?? 0, reminders: report?.reminders ?? 0, mails: report?.mails ?? 0 };
}

/** The fields of `wanted` whose value differs from `current`, as before → after. */
function differences<T extends object>(current: T, wanted: Partial<T>): Changes {
  const changes: Changes = {};
  for (const [field, value] of Object.entries(wanted)) {
    const before = (current as Record<string, unknown>)[field];
    if (value !== undefined && value !== before) changes[field] = { from: before ?? null, to: value };
  }
  return changes;
}

/**
 * Persons, tandems, Schulämter and networks as they stand, in the caller's scope, and their correction: the record,
 * its history row and its audit row in one transaction, together with the copies the workflows hold.
 */
@Injectable()
export class MasterDataService {
  constructor(
    private readonly repository: MasterDataRepository,
    private readonly copies: WorkflowCopies,
    private readonly audit: AuditLog,
    private readonly engine: WorkflowEngine,
    private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // persons

  async listPersons(actor: Actor, query: PersonsQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.persons({ districtId, search: query.search, offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    const pseudonymised = await this.repository.pseudonymised(rows.map((r) => r.id));
    return { total, page: query.page, pageSize: query.pageSize, items: rows.map((r) => personView(r, pseudonymised.has(r.id))) };
  }

  async person(actor: Actor, id: string): Promise<PersonView> {
    const row = await this.personInScope(actor, id);
    return personView(row, (await this.repository.pseudonymised([id])).has(id));
  }

  async personHistory(actor: Actor, id: string): Promise<CorrectionView[]> {
    await this.personInScope(actor, id);
    return this.history('person', id);
  }

  /**
   * Corrects a person. A new name, address or language also reaches every workflow that copied them (a tandem's
   * enrolment, a group's moderators), the reminders they have pending and mail not yet sent (or dead-lettered): the
   * next message goes to the corrected address.
   */
  async correctPerson(actor: Actor, id: string, dto: CorrectPersonDto): Promise<PersonView & { corrected: string[]; copies: CopiesReached }> {
    const { note, ...given } = dto;
    if (!Object.values(given).some((value) => value !== undefined)) {
      throw new RuleViolation('correction-names-a-field', 'a correction names at least one field: name, email, language, office or schoolOfficeId', {});
    }
    await this.personInScope(actor, id);
    return this.committed(async (em) => {
      const person = (await this.repository.locked(em, PersonRow, id))!;
      if ((await this.repository.pseudonymised([id])).has(id)) {
        throw new RuleViolation('person-pseudonymised', 'this person was pseudonymised (DSGVO Art. 17); the record is no longer corrected', { person: id });
      }
      const wanted: Partial<PersonRow> = { ...given, ...(given.email !== undefined ? { email: given.email.toLowerCase() } : {}) };
      if (given.schoolOfficeId !== undefined && given.schoolOfficeId !== person.schoolOfficeId) {
        const office = await this.repository.schoolOffice(given.schoolOfficeId);
        if (person.supervision !== 'lower' || !office || office.districtId !== person.districtId) {
          throw new RuleViolation('lower-supervision-at-schulamt', 'only an official of the lower school supervision works at a Schulamt, and at one of the same district', { schoolOffice: given.schoolOfficeId });
        }
        // The office a certificate prints follows the Schulamt unless it was written differently.
        const previous = person.schoolOfficeId ? await this.repository.schoolOffice(person.schoolOfficeId) : null;
        if (given.office === undefined && previous && person.office === previous.name) wanted.office = office.name;
      }
      const changes = differences(person, wanted);
      if (!Object.keys(changes).length) return { ...personView(person, false), corrected: [], copies: reached(null) };
      const now = this.clock.now();
      await this.repository.update(em, PersonRow, id, Object.fromEntries(Object.entries(changes).map(([field, { to }]) => [field, to])));
      await this.recordCorrection(em, actor, 'person', id, changes, note, now, id);
      const copied: PersonFields = Object.fromEntries(Object.entries(changes).filter(([field]) => ['name', 'email', 'language'].includes(field)).map(([field, { to }]) => [field, to]));
      const report = Object.keys(copied).length
        ? await this.copies.rewritePerson(em, {
          person: { id, names: [person.name], emails: [person.email.toLowerCase()] }, fields: copied, scope: 'current', actor, eventType: 'master-data.corrected', now,
        })
        : null;
      return { ...personView(Object.assign(person, wanted), false), corrected: Object.keys(changes), copies: reached(report) };
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // tandems

  async listTandems(actor: Actor, query: DirectoryQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.tandems({ districtId, offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    return { total, page: query.page, pageSize: query.pageSize, items: await this.tandemViews(rows) };
  }

  async tandem(actor: Actor, id: string) {
    const { tandem } = await this.tandemInScope(actor, id);
    return (await this.tandemViews([tandem]))[0];
  }

  async tandemHistory(actor: Actor, id: string): Promise<CorrectionView[]> {
    await this.tandemInScope(actor, id);
    return this.history('tandem', id);
  }

  /**
   * Corrects the network a tandem was formed for (another one of the same district), as long as no registration of
   * it is running or done: an enrolment carries its network into the qualification and onto the certificates.
   */
  async correctTandem(actor: Actor, id: string, dto: CorrectTandemDto) {
    const scope = scopeOf(actor);
    const { tandem } = await this.tandemInScope(actor, id);
    const target = await this.repository.network(dto.networkId);
    if (!target) throw new NotFound(`no network ${dto.networkId}`, 'network-exists', { network: dto.networkId });
    requireDistrict(scope, target.districtId, `network "${target.name}"`);
    if (tandem.successorId) throw new RuleViolation('tandem-current', 'this tandem has been re-formed; its record is history', { successor: tandem.successorId });
    const enrolments = await this.repository.enrolmentsOfTandem(id);
    const states = await this.engine.statesOf(enrolments.map((e) => e.instanceId));
    const registered = enrolments.find((e) => !ENDED.includes(states.get(e.instanceId) ?? ''));
    if (registered) {
      throw new RuleViolation('tandem-network-before-nomination', 'the tandem is nominated for its network: the enrolment carries the network into the qualification and its certificates; withdraw it and nominate the tandem again',
        { enrolment: registered.id, state: states.get(registered.instanceId) });
    }
    const network = (await this.repository.network(tandem.networkId))!;
    if (target.districtId !== network.districtId) {
      throw new RuleViolation('tandem-network-same-district', 'a tandem is corrected to a network of its own district', { network: target.id, district: target.districtId });
    }
    if (target.id !== tandem.networkId) {
      await this.committed(async (em) => {
        await this.repository.update(em, TandemRow, id, { networkId: target.id });
        await this.recordCorrection(em, actor, 'tandem', id, { networkId: { from: tandem.networkId, to: target.id } }, dto.note, this.clock.now());
      });
    }
    return this.tandem(actor, id);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Schulämter and networks

  async listSchoolOffices(actor: Actor, query: DirectoryQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.schoolOffices({ districtId, offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
    return { total, page: query.page, pageSize: query.pageSize, items: rows.map((r) => ({ id: r.id, name: r.name, districtId: r.districtId })) };
  }

  async schoolOffice(actor: Actor, id: string) {
    const office = await this.schoolOfficeInScope(actor, id);
    return { id: office.id, name: office.name, districtId: office.districtId };
  }

  async schoolOfficeHistory(actor: Actor, id: string): Promise<CorrectionView[]> {
    await this.schoolOfficeInScope(actor, id);
    return this.history('school-office', id);
  }

  /** Renames a Schulamt; its officials whose office read the old name read the new one (each a correction of theirs). */
  async correctSchoolOffice(actor: Actor, id: string, dto: CorrectNameDto) {
    const office = await this.schoolOfficeInScope(actor, id);
    if (dto.name !== office.name) {
      await this.committed(async (em) => {
        const now = this.clock.now();
        await this.repository.update(em, SchoolOfficeRow, id, { name: dto.name });
        await this.recordCorrection(em, actor, 'school-office', id, { name: { from: office.name, to: dto.name } }, dto.note, now);
        for (const person of (await this.repository.personsAtSchoolOffice(id)).filter((p) => p.office === office.name)) {
          await this.repository.update(em, PersonRow, person.id, { office: dto.name });
          await this.recordCorrection(em, actor, 'person', person.id, { office: { from: office.name, to: dto.name } }, `Schulamt ${id} renamed`, now, person.id);
        }
      });
    }
    return this.schoolOffice(actor, id);
  }

  async network(actor: Actor, id: string) {
    const network = await this.networkInScope(actor, id);
    return { id: network.id, name: network.name, districtId: network.districtId };
  }

  async networkHistory(actor: Actor, id: string): Promise<CorrectionView[]> {
    await this.networkInScope(actor, id);
    return this.history('network', id);
  }

  /** Renames a network; enrolments that copied its name, and what they will send, carry the new one. */
  async correctNetwork(actor: Actor, id: string, dto: CorrectNameDto) {
    const network = await this.networkInScope(actor, id);
    let report: CopyReport | null = null;
    if (dto.name !== network.name) {
      report = await this.committed(async (em) => {
        const now = this.clock.now();
        await this.repository.update(em, NetworkRow, id, { name: dto.name });
        await this.recordCorrection(em, actor, 'network', id, { name: { from: network.name, to: dto.name } }, dto.note, now);
        return this.copies.renameNetwork(em, { id, oldName: network.name, name: dto.name, actor, now });
      });
    }
    return { ...(await this.network(actor, id)), copies: reached(report) };
  }

  // ------------------------------------------------------------------------------------------------------------

  /** A district lists its own area; asking for another district's is refused rather than answered empty. */
  private districtFilter(scope: Scope, district: string | undefined): string | undefined {
    if (scope.role !== 'district') return district;
    if (district) requireDistrict(scope, district, 'the list');
    return scope.districtId;
  }

  private async personInScope(actor: Actor, id: string): Promise<PersonRow> {
    const person = await this.repository.person(id);
    if (!person) throw new NotFound(`no person ${id}`, 'person-exists', { person: id });
    requirePersonInScope(scopeOf(actor), person);
    return person;
  }

  private async tandemInScope(actor: Actor, id: string): Promise<{ tandem: TandemRow; network: NetworkRow }> {
    const tandem = await this.repository.tandem(id);
    if (!tandem) throw new NotFound(`no tandem ${id}`, 'tandem-exists', { tandem: id });
    const network = (await this.repository.network(tandem.networkId))!;
    requireDistrict(scopeOf(actor), network.districtId, 'the tandem');
    return { tandem, network };
  }

  private async schoolOfficeInScope(actor: Actor, id: string): Promise<SchoolOfficeRow> {
    const office = await this.repository.schoolOffice(id);
    if (!office) throw new NotFound(`no Schulamt ${id}`, 'school-office-exists', { schoolOffice: id });
    requireDistrict(scopeOf(actor), office.districtId, `the Schulamt "${office.name}"`);
    return office;
  }

  private async networkInScope(actor: Actor, id: string): Promise<NetworkRow> {
    const network = await this.repository.network(id);
    if (!network) throw new NotFound(`no network ${id}`, 'network-exists', { network: id });
    requireDistrict(scopeOf(actor), network.districtId, `network "${network.name}"`);
    return network;
  }

  private async tandemViews(rows: TandemRow[]) {
    const networks = new Map((await this.repository.networksByIds([...new Set(rows.map((t) => t.networkId))])).map((n) => [n.id, n]));
    const persons = new Map((await this.repository.personsByIds(rows.flatMap((t) => [t.lowerMemberId, t.upperMemberId]))).map((p) => [p.id, p]));
    const member = (id: string) => ({ id, name: persons.get(id)?.name ?? null, supervision: persons.get(id)?.supervision ?? null });
    return rows.map((t) => {
      const network = networks.get(t.networkId);
      return {
        id: t.id, network: network ? { id: network.id, name: network.name } : null, districtId: network?.districtId ?? null,
        members: [member(t.lowerMemberId), member(t.upperMemberId)], formedAt: t.formedAt, successorId: t.successorId,
      };
    });
  }

  private async history(type: RecordType, id: string): Promise<CorrectionView[]> {
    return (await this.repository.corrections(type, id)).map(correctionView);
  }

  private async recordCorrection(em: EntityManager, actor: Actor, recordType: RecordType, recordId: string, changes: Changes, note: string | undefined, now: Date, personId?: string) {
    await this.repository.insertCorrections(em, [Object.assign(new CorrectionRow(), {
      recordType, recordId, at: now.toISOString(), actorId: actor.id, actorRole: actor.role, changes, note: note ?? null,
    })]);
    await this.audit.record(em, actor, {
      action: `${recordType}.corrected`, subject: { type: recordType, id: recordId }, personId: personId ?? null, details: { fields: Object.keys(changes) },
    });
  }

  /** One transaction, together with the workflows' copies (see WorkflowCopies). */
  private committed<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return rewritingCopies((w) => this.repository.transaction(w), work);
  }
}
