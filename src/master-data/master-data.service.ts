import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.js';
import { requireDistrict, requirePersonInScope, scopeOf, type Scope } from '../auth/policy.js';
import { NotFound, RuleViolation } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { NetworkRow, PersonRow, SchoolOfficeRow, TandemRow } from '../qualification/entities.js';
import type {
  CorrectNameDto,
  CorrectPersonDto,
  CorrectTandemDto,
  DirectoryQuery,
  PersonsQuery,
} from './master-data.dto.js';
import { CorrectionRow, type Changes, type RecordType } from './master-data.entities.js';
import { MasterDataRepository } from './master-data.repository.js';
import type { PersonFields } from './person-references.js';
import { WorkflowCopies } from './workflow-copies.js';
import { holdsPerson } from '../../workflows/tandem-qualification/corrections.js';

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
    id: row.id,
    name: row.name,
    email: pseudonymised ? null : row.email,
    language: row.language,
    supervision: row.supervision,
    districtId: row.districtId,
    schoolOfficeId: row.schoolOfficeId,
    office: row.office,
    pseudonymised,
  };
}

function correctionView(row: CorrectionRow): CorrectionView {
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actorId, role: row.actorRole },
    changes: row.changes,
    note: row.note,
  };
}

function reached(workflows: number, reminders: number, mails: number): CopiesReached {
  return { workflows, reminders, mails };
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
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // persons

  async listPersons(actor: Actor, query: PersonsQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.persons({
      districtId,
      search: query.search,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    const pseudonymised = await this.repository.pseudonymised(rows.map((r) => r.id));
    return {
      total,
      page: query.page,
      pageSize: query.pageSize,
      items: rows.map((r) => personView(r, pseudonymised.has(r.id))),
    };
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
   * Corrects a person: the record, its history row and its audit row, and every workflow that copied the name,
   * address or language (a tandem's enrolment, its group, a group's moderators) through the engine's
   * PERSON_CORRECTED, in one command. The reminders those workflows declare follow (the next one goes to the
   * corrected address), and so does mail already queued or bounced.
   */
  async correctPerson(
    actor: Actor,
    id: string,
    dto: CorrectPersonDto,
    key?: string,
  ): Promise<PersonView & { corrected: string[]; copies: CopiesReached }> {
    const { note, ...given } = dto;
    if (!Object.values(given).some((value) => value !== undefined)) {
      throw new RuleViolation(
        'correction-names-a-field',
        'a correction names at least one field: name, email, language, office or schoolOfficeId',
        {},
      );
    }
    await this.personInScope(actor, id);
    if ((await this.repository.pseudonymised([id])).has(id)) {
      throw new RuleViolation(
        'person-pseudonymised',
        'this person was pseudonymised (DSGVO Art. 17); the record is no longer corrected',
        { person: id },
      );
    }
    return this.engine.execute({
      actor,
      idempotency: key === undefined ? undefined : { key, request: ['correct-person', actor, id, dto] },
      decide: async (command) => {
        const person = (await this.repository.person(id))!;
        const wanted: Partial<PersonRow> = {
          ...given,
          ...(given.email !== undefined ? { email: given.email.toLowerCase() } : {}),
        };
        if (given.schoolOfficeId !== undefined && given.schoolOfficeId !== person.schoolOfficeId) {
          const office = await this.repository.schoolOffice(given.schoolOfficeId);
          if (person.supervision !== 'lower' || !office || office.districtId !== person.districtId) {
            throw new RuleViolation(
              'lower-supervision-at-schulamt',
              'only an official of the lower school supervision works at a Schulamt, and at one of the same district',
              { schoolOffice: given.schoolOfficeId },
            );
          }
          // The office a certificate prints follows the Schulamt unless it was written differently.
          const previous = person.schoolOfficeId ? await this.repository.schoolOffice(person.schoolOfficeId) : null;
          if (given.office === undefined && previous && person.office === previous.name) wanted.office = office.name;
        }
        const changes = differences(person, wanted);
        const corrected = {
          ...personView(Object.assign(new PersonRow(), person, wanted), false),
          corrected: Object.keys(changes),
        };
        if (!Object.keys(changes).length) return { ...corrected, copies: reached(0, 0, 0) };
        const copied: PersonFields = Object.fromEntries(
          Object.entries(changes)
            .filter(([field]) => ['name', 'email', 'language'].includes(field))
            .map(([field, { to }]) => [field, to]),
        );
        let workflows = 0;
        if (Object.keys(copied).length) {
          for (const held of await this.copies.instancesHolding([id])) {
            if (!holdsPerson(held.context, id)) continue;
            await command.correct(held.id, { type: 'PERSON_CORRECTED', personId: id, ...copied });
            workflows++;
          }
        }
        const mails = { count: 0 };
        command.write(async (em) => {
          // Locked, and compared again: a concurrent correction committed first is the "before" of this one.
          const current = (await this.repository.locked(em, PersonRow, id))!;
          const committed = differences(current, wanted);
          if (!Object.keys(committed).length) return;
          await this.repository.update(
            em,
            PersonRow,
            id,
            Object.fromEntries(Object.entries(committed).map(([field, { to }]) => [field, to])),
          );
          await this.recordCorrection(em, actor, 'person', id, committed, note, command.now, id);
          if (Object.keys(copied).length) {
            const match = { id, names: [current.name], emails: [current.email.toLowerCase()] };
            mails.count = (
              await this.copies.rewriteMail(em, { person: match, fields: copied, scope: 'current' })
            ).mails;
          }
        });
        return { ...corrected, copies: reached(workflows, 0, 0), mails };
      },
      answer: async (em, decided) => {
        const { mails, ...view } = decided as typeof decided & { mails?: { count: number } };
        const reminders =
          view.copies.workflows && view.email ? await this.repository.pendingRemindersTo(em, view.email) : 0;
        return { ...view, copies: reached(view.copies.workflows, reminders, mails?.count ?? 0) };
      },
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // tandems

  async listTandems(actor: Actor, query: DirectoryQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.tandems({
      districtId,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
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
  async correctTandem(actor: Actor, id: string, dto: CorrectTandemDto, key?: string) {
    const scope = scopeOf(actor);
    const { tandem } = await this.tandemInScope(actor, id);
    const target = await this.repository.network(dto.networkId);
    if (!target) throw new NotFound(`no network ${dto.networkId}`, 'network-exists', { network: dto.networkId });
    requireDistrict(scope, target.districtId, `network "${target.name}"`);
    if (tandem.successorId)
      throw new RuleViolation('tandem-current', 'this tandem has been re-formed; its record is history', {
        successor: tandem.successorId,
      });
    const enrolments = await this.repository.enrolmentsOfTandem(id);
    const states = await this.engine.statesOf(enrolments.map((e) => e.instanceId));
    const registered = enrolments.find((e) => !ENDED.includes(states.get(e.instanceId) ?? ''));
    if (registered) {
      throw new RuleViolation(
        'tandem-network-before-nomination',
        'the tandem is nominated for its network: the enrolment carries the network into the qualification and its certificates; withdraw it and nominate the tandem again',
        { enrolment: registered.id, state: states.get(registered.instanceId) },
      );
    }
    const network = (await this.repository.network(tandem.networkId))!;
    if (target.districtId !== network.districtId) {
      throw new RuleViolation(
        'tandem-network-same-district',
        'a tandem is corrected to a network of its own district',
        { network: target.id, district: target.districtId },
      );
    }
    if (target.id !== tandem.networkId) {
      await this.plainWrite(actor, key, ['correct-tandem', id, dto], async (em, now) => {
        await this.repository.update(em, TandemRow, id, { networkId: target.id });
        await this.recordCorrection(
          em,
          actor,
          'tandem',
          id,
          { networkId: { from: tandem.networkId, to: target.id } },
          dto.note,
          now,
        );
      });
    }
    return this.tandem(actor, id);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Schulämter and networks

  async listSchoolOffices(actor: Actor, query: DirectoryQuery) {
    const districtId = this.districtFilter(scopeOf(actor), query.district);
    const [rows, total] = await this.repository.schoolOffices({
      districtId,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return {
      total,
      page: query.page,
      pageSize: query.pageSize,
      items: rows.map((r) => ({ id: r.id, name: r.name, districtId: r.districtId })),
    };
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
  async correctSchoolOffice(actor: Actor, id: string, dto: CorrectNameDto, key?: string) {
    const office = await this.schoolOfficeInScope(actor, id);
    if (dto.name !== office.name) {
      await this.plainWrite(actor, key, ['correct-school-office', id, dto], async (em, now) => {
        await this.repository.update(em, SchoolOfficeRow, id, { name: dto.name });
        await this.recordCorrection(
          em,
          actor,
          'school-office',
          id,
          { name: { from: office.name, to: dto.name } },
          dto.note,
          now,
        );
        for (const person of (await this.repository.personsAtSchoolOffice(id)).filter(
          (p) => p.office === office.name,
        )) {
          await this.repository.update(em, PersonRow, person.id, { office: dto.name });
          await this.recordCorrection(
            em,
            actor,
            'person',
            person.id,
            { office: { from: office.name, to: dto.name } },
            `Schulamt ${id} renamed`,
            now,
            person.id,
          );
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

  /** Renames a network; enrolments that copied its name (NETWORK_RENAMED), and mail they queued, carry the new one. */
  async correctNetwork(actor: Actor, id: string, dto: CorrectNameDto, key?: string) {
    const network = await this.networkInScope(actor, id);
    if (dto.name === network.name) return { ...(await this.network(actor, id)), copies: reached(0, 0, 0) };
    const copies = await this.engine.execute({
      actor,
      idempotency: key === undefined ? undefined : { key, request: ['correct-network', actor, id, dto] },
      decide: async (command) => {
        const renamed: string[] = [];
        for (const held of await this.copies.instancesHolding([id])) {
          if (held.context.networkId !== id) continue;
          await command.correct(held.id, { type: 'NETWORK_RENAMED', networkId: id, networkName: dto.name });
          renamed.push(held.id);
        }
        const mails = { count: 0 };
        command.write(async (em) => {
          await this.repository.update(em, NetworkRow, id, { name: dto.name });
          await this.recordCorrection(
            em,
            actor,
            'network',
            id,
            { name: { from: network.name, to: dto.name } },
            dto.note,
            command.now,
          );
          mails.count = await this.copies.renameNetworkInMail(em, renamed, { oldName: network.name, name: dto.name });
        });
        return { renamed, mails };
      },
      answer: async (_em, decided) => reached(decided.renamed.length, 0, decided.mails.count),
    });
    return { ...(await this.network(actor, id)), copies };
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
    const networks = new Map(
      (await this.repository.networksByIds([...new Set(rows.map((t) => t.networkId))])).map((n) => [n.id, n]),
    );
    const persons = new Map(
      (await this.repository.personsByIds(rows.flatMap((t) => [t.lowerMemberId, t.upperMemberId]))).map((p) => [
        p.id,
        p,
      ]),
    );
    const member = (id: string) => ({
      id,
      name: persons.get(id)?.name ?? null,
      supervision: persons.get(id)?.supervision ?? null,
    });
    return rows.map((t) => {
      const network = networks.get(t.networkId);
      return {
        id: t.id,
        network: network ? { id: network.id, name: network.name } : null,
        districtId: network?.districtId ?? null,
        members: [member(t.lowerMemberId), member(t.upperMemberId)],
        formedAt: t.formedAt,
        successorId: t.successorId,
      };
    });
  }

  private async history(type: RecordType, id: string): Promise<CorrectionView[]> {
    return (await this.repository.corrections(type, id)).map(correctionView);
  }

  private async recordCorrection(
    em: EntityManager,
    actor: Actor,
    recordType: RecordType,
    recordId: string,
    changes: Changes,
    note: string | undefined,
    now: Date,
    personId?: string,
  ) {
    await this.repository.insertCorrections(em, [
      Object.assign(new CorrectionRow(), {
        recordType,
        recordId,
        at: now.toISOString(),
        actorId: actor.id,
        actorRole: actor.role,
        changes,
        note: note ?? null,
      }),
    ]);
    await this.audit.record(em, actor, {
      action: `${recordType}.corrected`,
      subject: { type: recordType, id: recordId },
      personId: personId ?? null,
      details: { fields: Object.keys(changes) },
    });
  }

  /** A correction of rows no workflow copies: one command of the engine (one transaction, under the client's key). */
  private async plainWrite(
    actor: Actor,
    key: string | undefined,
    request: unknown[],
    work: (em: EntityManager, now: Date) => Promise<void>,
  ): Promise<void> {
    await this.engine.execute({
      actor,
      idempotency: key === undefined ? undefined : { key, request: [...request, actor] },
      decide: (command) => {
        command.write((em) => work(em, command.now));
        return null;
      },
    });
  }
}
