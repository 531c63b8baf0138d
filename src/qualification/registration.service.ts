import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { NotFound, RuleViolation } from '../engine/errors.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { WorkflowEngine, type Actor } from '../engine/workflow-engine.js';
import { PROGRAMME } from '../../workflows/tandem-qualification/model.js';
import { checkInvolvements, checkTandemComposition, eventsCountedForTandem, type BrokenRule } from '../../workflows/tandem-qualification/rules.js';
import type { EnrolmentInput } from '../../workflows/tandem-qualification/machine.js';
import type {
  ChangeMemberDto, CreateNetworkDto, CreatePersonDto, CreateSchoolOfficeDto, CreateTandemDto, RecordInvolvementDto, WithdrawDto,
} from './dtos.js';
import { DistrictRow, EnrolmentRow, NetworkRow, PersonRow, SchoolOfficeRow, TandemRow } from './entities.js';
import { GroupSchedules } from './group-schedules.js';
import { QualificationRepository, type EnrolmentWithState } from './qualification.repository.js';
import { requireDistrict, scopeOf } from '../auth/policy.js';
import { enrolmentEvent } from './workflow-events.js';

export function refuse(broken: BrokenRule | null): void {
  if (broken) throw new RuleViolation(broken.rule, broken.message, broken.details);
}

/**
 * Districts' side of the qualification: the directory of their area (Schulämter, networks, persons), tandems and
 * their enrolment up to the institute's placement; withdrawal and member changes. Every method takes the caller.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly schedules: GroupSchedules,
    private readonly engine: WorkflowEngine,
    private readonly writes: WriteSerializer,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  async districts() {
    return (await this.repository.districts()).map((d) => ({ id: d.id, name: d.name, need: d.need }));
  }

  private async district(id: string): Promise<DistrictRow> {
    const district = await this.repository.district(id);
    if (!district) throw new NotFound(`no district ${id}; districts are arnsberg, detmold, duesseldorf, koeln, muenster`, 'district-exists', { district: id });
    return district;
  }

  async setNeed(_actor: Actor, districtId: string, need: number) {
    await this.district(districtId);
    await this.writes.transaction((em) => this.repository.update(em, DistrictRow, districtId, { need }));
    return { id: districtId, need };
  }

  async createSchoolOffice(actor: Actor, body: CreateSchoolOfficeDto): Promise<SchoolOfficeRow> {
    const scope = scopeOf(actor);
    await this.district(body.districtId);
    requireDistrict(scope, body.districtId, 'the Schulamt');
    const row = Object.assign(new SchoolOfficeRow(), { id: randomUUID(), name: body.name, districtId: body.districtId });
    await this.writes.transaction((em) => this.repository.insert(em, SchoolOfficeRow, row));
    return row;
  }

  async createNetwork(actor: Actor, body: CreateNetworkDto): Promise<NetworkRow> {
    const scope = scopeOf(actor);
    await this.district(body.districtId);
    requireDistrict(scope, body.districtId, 'the network');
    const row = Object.assign(new NetworkRow(), { id: randomUUID(), name: body.name, districtId: body.districtId });
    await this.writes.transaction((em) => this.repository.insert(em, NetworkRow, row));
    return row;
  }

  async networks(actor: Actor) {
    const scope = scopeOf(actor);
    return this.repository.networks(scope.role === 'district' ? scope.districtId : undefined);
  }

  async createPerson(actor: Actor, body: CreatePersonDto): Promise<PersonRow> {
    const scope = scopeOf(actor);
    if (body.districtId) await this.district(body.districtId);
    if (scope.role === 'district') requireDistrict(scope, body.districtId ?? '(none)', 'the person');
    let office = body.office ?? '';
    if (body.supervision === 'lower') {
      const schoolOffice = body.schoolOfficeId ? await this.repository.schoolOffice(body.schoolOfficeId) : null;
      if (!schoolOffice || schoolOffice.districtId !== body.districtId) {
        throw new RuleViolation('lower-supervision-at-schulamt', 'an official of the lower school supervision works at a Schulamt of the same district: give its schoolOfficeId', { schoolOffice: body.schoolOfficeId ?? null });
      }
      office ||= schoolOffice.name;
    }
    if (body.supervision === 'upper') {
      if (!body.districtId) throw new RuleViolation('upper-supervision-at-district', 'an official of the upper school supervision works at a Bezirksregierung: give its districtId', {});
      office ||= (await this.district(body.districtId)).name;
    }
    const row = Object.assign(new PersonRow(), {
      id: randomUUID(), name: body.name, email: body.email.toLowerCase(), language: body.language ?? 'de', supervision: body.supervision ?? null,
      districtId: body.districtId ?? null, schoolOfficeId: body.supervision === 'lower' ? body.schoolOfficeId! : null, office,
    });
    await this.writes.transaction((em) => this.repository.insert(em, PersonRow, row));
    return row;
  }

  private async network(id: string): Promise<NetworkRow> {
    const network = await this.repository.network(id);
    if (!network) throw new NotFound(`no network ${id}`, 'network-exists', { network: id });
    return network;
  }

  private async person(id: string): Promise<PersonRow> {
    const person = await this.repository.person(id);
    if (!person) throw new NotFound(`no person ${id}`, 'person-exists', { person: id });
    return person;
  }

  async tandem(id: string): Promise<TandemRow> {
    const tandem = await this.repository.tandem(id);
    if (!tandem) throw new NotFound(`no tandem ${id}`, 'tandem-exists', { tandem: id });
    return tandem;
  }

  /** A district forms a tandem for a network of its own area out of officials of its area: one lower and one upper member. */
  async createTandem(actor: Actor, body: CreateTandemDto): Promise<TandemRow> {
    const scope = scopeOf(actor);
    const network = await this.network(body.networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    const [lower, upper] = await Promise.all([this.person(body.lowerMemberId), this.person(body.upperMemberId)]);
    for (const member of [lower, upper]) requireDistrict(scope, member.districtId ?? '', `the official ${member.name}`);
    refuse(checkTandemComposition([{ id: lower.id, supervision: lower.supervision }, { id: upper.id, supervision: upper.supervision }]));
    const row = Object.assign(new TandemRow(), {
      id: randomUUID(), networkId: network.id, lowerMemberId: lower.supervision === 'lower' ? lower.id : upper.id,
      upperMemberId: lower.supervision === 'lower' ? upper.id : lower.id, formedAt: this.clock.now().toISOString(), successorId: null,
    });
    await this.writes.transaction((em) => this.repository.insert(em, TandemRow, row));
    return row;
  }

  private async enrolmentFor(actor: Actor, id: string): Promise<EnrolmentWithState> {
    const scope = scopeOf(actor);
    const enrolment = await this.repository.enrolment(id);
    if (!enrolment) throw new NotFound(`no enrolment ${id}`, 'enrolment-exists', { enrolment: id });
    requireDistrict(scope, enrolment.districtId, 'the enrolment');
    return enrolment;
  }

  /** Nominates a tandem of the district's own area: starts its enrolment workflow. */
  async register(actor: Actor, tandemId: string, predecessorId: string | null = null) {
    const scope = scopeOf(actor);
    const tandem = await this.tandem(tandemId);
    const network = await this.network(tandem.networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    if (tandem.successorId) {
      throw new RuleViolation('tandem-current', 'this tandem has been re-formed; register its successor', { successor: tandem.successorId });
    }
    const running = (await this.repository.enrolments({ tandemId })).find((e) => e.state !== 'withdrawn' && e.state !== 'reformed');
    if (running) {
      throw new RuleViolation('one-enrolment-per-tandem', 'this tandem already has an enrolment', { enrolment: running.id, state: running.state });
    }
    const id = randomUUID();
    const input: EnrolmentInput = {
      enrolmentId: id, tandemId, networkId: network.id, networkName: network.name, districtId: network.districtId,
      members: await this.schedules.membersOf(tandem),
    };
    const now = this.clock.now().toISOString();
    await this.engine.create({
      definition: PROGRAMME, input, actor,
      alsoWrite: (instanceId) => (em) => this.repository.insert(em, EnrolmentRow, Object.assign(new EnrolmentRow(), {
        id, tandemId, networkId: network.id, districtId: network.districtId, instanceId, groupId: null, waitlistedAt: null, waitlistSeq: null,
        staffCouncilOn: null, equalOpportunitiesOn: null, creditedModules: [], predecessorId, createdAt: now,
      })),
    });
    return this.view(id);
  }

  async recordInvolvement(actor: Actor, id: string, body: RecordInvolvementDto) {
    const enrolment = await this.enrolmentFor(actor, id);
    const involvement = { on: body.on, note: body.note ?? null, recordedBy: actor.id };
    await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'INVOLVEMENT_RECORDED', body: body.body, involvement }), actor, undefined,
      (em) => this.repository.update(em, EnrolmentRow, id, body.body === 'staff-council' ? { staffCouncilOn: body.on } : { equalOpportunitiesOn: body.on }));
    return this.view(id);
  }

  /** Submits the registration to the institute; refused until both involvements are recorded. */
  async submit(actor: Actor, id: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    refuse(checkInvolvements({ staffCouncil: enrolment.staffCouncilOn, equalOpportunities: enrolment.equalOpportunitiesOn }));
    await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'SUBMIT' }), actor);
    return this.view(id);
  }

  /** The institute places a registered tandem in a group, or on its waiting list when the group is full. */
  async place(actor: Actor, id: string, groupId: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    await this.schedules.group(groupId);
    await this.schedules.place(enrolment, groupId, actor);
    return this.view(id);
  }

  async withdraw(actor: Actor, id: string, body: WithdrawDto) {
    const enrolment = await this.enrolmentFor(actor, id);
    await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'WITHDRAW', reason: body.reason }), actor);
    if (enrolment.groupId) await this.schedules.moveUp(enrolment.groupId, actor);
    return this.view(id);
  }

  /**
   * A member changes. As a rule the tandem is qualified again: its enrolment ends as `reformed` and the new tandem
   * starts a new one. With an exemption (and its reason) the enrolment continues with the new member, and the modules
   * the tandem had completed so far stay credited.
   */
  async changeMember(actor: Actor, tandemId: string, body: ChangeMemberDto) {
    const scope = scopeOf(actor);
    const tandem = await this.tandem(tandemId);
    const network = await this.network(tandem.networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    if (tandem.successorId) throw new RuleViolation('tandem-current', 'this tandem has already been re-formed', { successor: tandem.successorId });
    const memberIds = [tandem.lowerMemberId, tandem.upperMemberId];
    if (!memberIds.includes(body.leavingPersonId)) {
      throw new RuleViolation('leaving-person-is-member', 'the leaving person is not a member of this tandem', { person: body.leavingPersonId });
    }
    const joining = await this.person(body.joiningPersonId);
    requireDistrict(scope, joining.districtId ?? '', `the official ${joining.name}`);
    const staying = await this.person(memberIds.find((m) => m !== body.leavingPersonId)!);
    refuse(checkTandemComposition([{ id: staying.id, supervision: staying.supervision }, { id: joining.id, supervision: joining.supervision }]));
    const successor = Object.assign(new TandemRow(), {
      id: randomUUID(), networkId: tandem.networkId, lowerMemberId: staying.supervision === 'lower' ? staying.id : joining.id,
      upperMemberId: staying.supervision === 'lower' ? joining.id : staying.id, formedAt: this.clock.now().toISOString(), successorId: null,
    });
    const writeSuccessor = (em: EntityManager) => this.repository.succeedTandem(em, tandem.id, successor);
    const enrolment = (await this.repository.enrolments({ tandemId })).find((e) => this.schedules.isOpen(e));
    if (!enrolment) {
      await this.writes.transaction(writeSuccessor);
      return { tandem: successor, enrolment: null };
    }
    if (body.exemptionReason) {
      const attendance = await this.repository.attendanceOf(memberIds);
      const counted = new Set(eventsCountedForTandem(memberIds as [string, string], attendance));
      const credited = [...new Set([...enrolment.creditedModules, ...attendance.filter((a) => counted.has(a.eventId)).map((a) => a.module)])];
      const exemption = { on: this.clock.today(this.config.timeZone), reason: body.exemptionReason, replaced: body.leavingPersonId, by: joining.id };
      await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'MEMBER_REPLACED', members: await this.schedules.membersOf(successor), exemption }), actor, undefined, async (em) => {
        await writeSuccessor(em);
        await this.repository.update(em, EnrolmentRow, enrolment.id, { tandemId: successor.id, creditedModules: credited });
      });
      return { tandem: successor, enrolment: await this.view(enrolment.id) };
    }
    await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'REFORMED', successorTandemId: successor.id, reason: `member ${body.leavingPersonId} replaced by ${joining.id}` }), actor, undefined, writeSuccessor);
    if (enrolment.groupId) await this.schedules.moveUp(enrolment.groupId, actor);
    const next = await this.register(actor, successor.id, enrolment.id);
    return { tandem: successor, enrolment: next, reformed: await this.view(enrolment.id) };
  }

  /** The district's own enrolments (the institute's: all), with status and waiting-list position. */
  async list(actor: Actor) {
    const scope = scopeOf(actor);
    const enrolments = await this.repository.enrolments(scope.role === 'district' ? { districtId: scope.districtId } : {});
    return Promise.all(enrolments.map((e) => this.describe(e)));
  }

  async get(actor: Actor, id: string) {
    return this.describe(await this.enrolmentFor(actor, id));
  }

  private async view(id: string) {
    return this.describe((await this.repository.enrolment(id))!);
  }

  private async describe(enrolment: EnrolmentWithState) {
    const tandem = (await this.repository.tandem(enrolment.tandemId))!;
    const [network, members, group] = await Promise.all([
      this.repository.network(enrolment.networkId), this.repository.persons([tandem.lowerMemberId, tandem.upperMemberId]),
      enrolment.groupId ? this.repository.group(enrolment.groupId) : null,
    ]);
    let waitlistPosition: number | null = null;
    if (enrolment.state === 'waitlisted' && enrolment.groupId) {
      waitlistPosition = this.schedules.waiting(await this.repository.enrolments({ groupId: enrolment.groupId })).findIndex((e) => e.id === enrolment.id) + 1;
    }
    return {
      id: enrolment.id, status: enrolment.state, districtId: enrolment.districtId, tandemId: tandem.id,
      network: network && { id: network.id, name: network.name },
      members: members.map((m) => ({ id: m.id, name: m.name, supervision: m.supervision, office: m.office })),
      involvements: { staffCouncil: enrolment.staffCouncilOn, equalOpportunities: enrolment.equalOpportunitiesOn },
      group: group && { id: group.id, name: group.name }, waitlistPosition, creditedModules: enrolment.creditedModules,
      predecessorId: enrolment.predecessorId, instanceId: enrolment.instanceId,
    };
  }
}
