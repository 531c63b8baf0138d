import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { dayOf } from '../../workflows/shared/calendar-day.js';
import { requireDistrict, scopeOf } from '../auth/policy.js';
import { EventNotAccepted, NotFound, refuse } from '../common/errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { WorkflowEngine, type CommandScope } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { enrolmentEvent, groupEvent, type EnrolmentInput } from '../../workflows/tandem-qualification/machine.js';
import {
  ALUMNI_STATES,
  ENDED_STATES,
  PROGRAMME,
  type EnrolmentContext,
  type GroupContext,
  type Member,
  type Seat,
} from '../../workflows/tandem-qualification/model.js';
import {
  checkInvolvementDay,
  checkInvolvements,
  checkLeavingMember,
  checkOneEnrolment,
  checkTandemComposition,
  checkTandemCurrent,
  checkWorkplace,
  completedModules,
  movingUp,
  placementOutcome,
} from '../../workflows/tandem-qualification/rules.js';
import { heldEvents } from '../../workflows/tandem-qualification/schedule.js';
import { AttendanceGatherer } from './attendance.js';
import { contextOf, idempotent } from './commands.js';
import type {
  ChangeMemberDto,
  CreateNetworkDto,
  CreatePersonDto,
  CreateSchoolOfficeDto,
  CreateTandemDto,
  RecordInvolvementDto,
  WithdrawDto,
} from './dtos.js';
import {
  DistrictRow,
  NetworkRow,
  PersonRow,
  SchoolOfficeRow,
  TandemRow,
  type EnrolmentRow,
  type GroupRow,
} from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { QualificationViews } from './views.js';

/**
 * Districts' side of the qualification: the directory of their area (Schulämter, networks, persons), tandems and
 * their enrolment up to the institute's placement; withdrawal and member changes. Every write is one engine command
 * (one transaction, with the steps of every instance it touches) and takes the client's Idempotency-Key.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly views: QualificationViews,
    private readonly attendance: AttendanceGatherer,
    private readonly engine: WorkflowEngine,
    private readonly config: LotseConfig,
    private readonly audit: AuditLog,
  ) {}

  async districts() {
    return (await this.repository.districts()).map((d) => ({ id: d.id, name: d.name, need: d.need }));
  }

  private async district(id: string): Promise<DistrictRow> {
    const district = await this.repository.district(id);
    if (!district)
      throw new NotFound(
        `no district ${id}; districts are arnsberg, detmold, duesseldorf, koeln, muenster`,
        'district-exists',
        { district: id },
      );
    return district;
  }

  async setNeed(actor: Actor, districtId: string, need: number, key?: string) {
    await this.district(districtId);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'set-need', districtId, need),
      decide: (command) => {
        command.write(async (em) => {
          await this.repository.update(em, DistrictRow, districtId, { need });
          await this.audit.record(em, actor, {
            action: 'district.need-set',
            subject: { type: 'district', id: districtId },
            details: { need },
          });
        });
        return { id: districtId, need };
      },
    });
  }

  async createSchoolOffice(actor: Actor, body: CreateSchoolOfficeDto, key?: string): Promise<SchoolOfficeRow> {
    const scope = scopeOf(actor);
    await this.district(body.districtId);
    requireDistrict(scope, body.districtId, 'the Schulamt');
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'create-school-office', body),
      decide: (command) => {
        const row = Object.assign(new SchoolOfficeRow(), {
          id: randomUUID(),
          name: body.name,
          districtId: body.districtId,
        });
        command.write(async (em) => {
          await this.repository.insert(em, SchoolOfficeRow, row);
          await this.audit.record(em, actor, {
            action: 'school-office.created',
            subject: { type: 'school-office', id: row.id },
          });
        });
        return row;
      },
    });
  }

  async createNetwork(actor: Actor, body: CreateNetworkDto, key?: string): Promise<NetworkRow> {
    const scope = scopeOf(actor);
    await this.district(body.districtId);
    requireDistrict(scope, body.districtId, 'the network');
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'create-network', body),
      decide: (command) => {
        const row = Object.assign(new NetworkRow(), { id: randomUUID(), name: body.name, districtId: body.districtId });
        command.write(async (em) => {
          await this.repository.insert(em, NetworkRow, row);
          await this.audit.record(em, actor, { action: 'network.created', subject: { type: 'network', id: row.id } });
        });
        return row;
      },
    });
  }

  async networks(actor: Actor) {
    const scope = scopeOf(actor);
    return this.repository.networks(scope.role === 'district' ? scope.districtId : undefined);
  }

  /** The school supervision officials of a district's area, to form tandems from (a district: its own area). */
  async officials(actor: Actor, districtId: string) {
    requireDistrict(scopeOf(actor), districtId, 'the officials');
    return (await this.repository.officials(districtId)).map((p) => ({
      id: p.id,
      name: p.name,
      supervision: p.supervision,
      office: p.office,
    }));
  }

  /** The current tandems of a district's networks, each with its members and its open or last enrolment, if any. */
  async tandems(actor: Actor, districtId: string) {
    requireDistrict(scopeOf(actor), districtId, 'the tandems');
    const networks = await this.repository.networks(districtId);
    const tandems = await this.repository.currentTandems(networks.map((n) => n.id));
    const persons = await this.repository.persons(tandems.flatMap((t) => [t.lowerMemberId, t.upperMemberId]));
    const enrolments = await this.repository.enrolments({ districtId });
    return tandems.map((t) => ({
      id: t.id,
      network: networks.find((n) => n.id === t.networkId)!.name,
      formedAt: t.formedAt,
      members: [t.lowerMemberId, t.upperMemberId].map((id) => ({
        id,
        name: persons.find((p) => p.id === id)?.name ?? id,
      })),
      enrolmentId:
        enrolments.filter((e) => e.tandemId === t.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.id ??
        null,
    }));
  }

  async createPerson(actor: Actor, body: CreatePersonDto, key?: string): Promise<PersonRow> {
    const scope = scopeOf(actor);
    if (body.districtId) await this.district(body.districtId);
    if (scope.role === 'district') requireDistrict(scope, body.districtId ?? '(none)', 'the person');
    const schoolOffice = body.schoolOfficeId ? await this.repository.schoolOffice(body.schoolOfficeId) : null;
    refuse(
      checkWorkplace(
        {
          supervision: body.supervision ?? null,
          districtId: body.districtId ?? null,
          schoolOfficeId: body.schoolOfficeId ?? null,
        },
        schoolOffice,
      ),
    );
    let office = body.office ?? '';
    if (body.supervision === 'lower') office ||= schoolOffice!.name;
    if (body.supervision === 'upper') office ||= (await this.district(body.districtId!)).name;
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'create-person', body),
      decide: (command) => {
        const row = Object.assign(new PersonRow(), {
          id: randomUUID(),
          name: body.name,
          email: body.email.toLowerCase(),
          language: body.language ?? 'de',
          supervision: body.supervision ?? null,
          districtId: body.districtId ?? null,
          schoolOfficeId: body.supervision === 'lower' ? body.schoolOfficeId! : null,
          office,
        });
        command.write(async (em) => {
          await this.repository.insert(em, PersonRow, row);
          await this.audit.record(em, actor, {
            action: 'person.created',
            subject: { type: 'person', id: row.id },
            personId: row.id,
          });
        });
        return row;
      },
    });
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

  private async tandem(id: string): Promise<TandemRow> {
    const tandem = await this.repository.tandem(id);
    if (!tandem) throw new NotFound(`no tandem ${id}`, 'tandem-exists', { tandem: id });
    return tandem;
  }

  /** A district forms a tandem for a network of its own area out of officials of its area: one lower and one upper member. */
  async createTandem(actor: Actor, body: CreateTandemDto, key?: string): Promise<TandemRow> {
    const scope = scopeOf(actor);
    const network = await this.network(body.networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    const [lower, upper] = await Promise.all([this.person(body.lowerMemberId), this.person(body.upperMemberId)]);
    for (const member of [lower, upper]) requireDistrict(scope, member.districtId ?? '', `the official ${member.name}`);
    refuse(
      checkTandemComposition([
        { id: lower.id, supervision: lower.supervision },
        { id: upper.id, supervision: upper.supervision },
      ]),
    );
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'create-tandem', body),
      decide: (command) => {
        const row = Object.assign(new TandemRow(), {
          id: randomUUID(),
          networkId: network.id,
          lowerMemberId: lower.supervision === 'lower' ? lower.id : upper.id,
          upperMemberId: lower.supervision === 'lower' ? upper.id : lower.id,
          formedAt: command.now.toISOString(),
          successorId: null,
        });
        command.write(async (em) => {
          await this.repository.insert(em, TandemRow, row);
          await this.audit.record(
            em,
            actor,
            [row.lowerMemberId, row.upperMemberId].map((personId) => ({
              action: 'tandem.formed',
              subject: { type: 'tandem', id: row.id },
              personId,
            })),
          );
        });
        return row;
      },
    });
  }

  private async enrolmentFor(actor: Actor, id: string): Promise<EnrolmentRow> {
    const scope = scopeOf(actor);
    const enrolment = await this.repository.enrolment(id);
    if (!enrolment) throw new NotFound(`no enrolment ${id}`, 'enrolment-exists', { enrolment: id });
    requireDistrict(scope, enrolment.districtId, 'the enrolment');
    return enrolment;
  }

  /** The two members of a tandem as the workflows address them. */
  private async membersOf(tandem: TandemRow): Promise<Member[]> {
    const persons = await this.repository.persons([tandem.lowerMemberId, tandem.upperMemberId]);
    return [tandem.lowerMemberId, tandem.upperMemberId].map((id) => {
      const person = persons.find((p) => p.id === id)!;
      return {
        personId: person.id,
        name: person.name,
        email: person.email,
        language: person.language,
        supervision: person.supervision!,
        office: person.office,
      };
    });
  }

  /** Starts the enrolment of a tandem that has none running (the database holds this too: one open enrolment per tandem). */
  private async startEnrolment(
    command: CommandScope,
    tandem: TandemRow,
    network: NetworkRow,
    predecessorId: string | null,
  ): Promise<string> {
    const running = (await this.repository.enrolments({ tandemId: tandem.id })).find(
      (e) => !ENDED_STATES.includes(e.state),
    );
    refuse(checkOneEnrolment(running));
    const input: EnrolmentInput = {
      enrolmentId: randomUUID(),
      tandemId: tandem.id,
      networkId: network.id,
      networkName: network.name,
      districtId: network.districtId,
      members: await this.membersOf(tandem),
      predecessorId,
    };
    command.create(PROGRAMME, input);
    return input.enrolmentId;
  }

  /**
   * Nominates a tandem of the district's own area: starts its enrolment workflow. Rules that depend on what is stored
   * are checked inside the command, so a repeat under the same Idempotency-Key gets the first answer, not a refusal.
   */
  async register(actor: Actor, tandemId: string, key?: string) {
    const scope = scopeOf(actor);
    const network = await this.network((await this.tandem(tandemId)).networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'register', tandemId),
      decide: async (command) => {
        const tandem = await this.tandem(tandemId);
        refuse(checkTandemCurrent(tandem));
        return this.startEnrolment(command, tandem, network, null);
      },
      answer: (em, enrolmentId) => this.views.enrolment(enrolmentId, em),
    });
  }

  /** Records the staff council's outcome (consent, refusal, deemed consent) or the equal-opportunities officer's involvement. */
  async recordInvolvement(actor: Actor, id: string, body: RecordInvolvementDto, key?: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    const recorded = { on: body.on, note: body.note ?? null, recordedBy: actor.id };
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'record-involvement', id, body),
      decide: async (command) => {
        refuse(checkInvolvementDay(body.on, dayOf(command.now, this.config.timeZone)));
        await command.send(
          enrolment.instanceId,
          body.body === 'staff-council'
            ? enrolmentEvent({
                type: 'INVOLVEMENT_RECORDED',
                body: 'staff-council',
                involvement: { ...recorded, outcome: body.outcome! },
              })
            : enrolmentEvent({ type: 'INVOLVEMENT_RECORDED', body: 'equal-opportunities', involvement: recorded }),
        );
      },
      answer: (em) => this.views.enrolment(id, em),
    });
  }

  /** Submits the registration to the institute; refused until both involvements are recorded, and after a refusal. */
  async submit(actor: Actor, id: string, key?: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'submit', id),
      decide: async (command) => {
        const context = contextOf<EnrolmentContext>(await command.instance(enrolment.instanceId));
        refuse(
          checkInvolvements({
            staffCouncil: context.staffCouncil,
            equalOpportunities: context.equalOpportunities?.on ?? null,
          }),
        );
        await command.send(enrolment.instanceId, enrolmentEvent({ type: 'REGISTRATION_SUBMITTED' }));
      },
      answer: (em) => this.views.enrolment(id, em),
    });
  }

  private async group(id: string): Promise<GroupRow> {
    const group = await this.repository.group(id);
    if (!group) throw new NotFound(`no qualification group ${id}`, 'group-exists', { group: id });
    return group;
  }

  /**
   * The institute places a registered tandem in a group, or on its waiting list when the group is full. The group
   * decides by its own roster, and its instance's version serialises placements into it.
   */
  async place(actor: Actor, id: string, groupId: string, key?: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    const group = await this.group(groupId);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'place', id, groupId),
      decide: async (command) => {
        const current = await command.instance(enrolment.instanceId);
        if (!current.acceptedEvents.includes('TANDEM_PLACED'))
          throw new EventNotAccepted('TANDEM_PLACED', current.state, current.acceptedEvents);
        const context = contextOf<EnrolmentContext>(current);
        const groupContext = contextOf<GroupContext>(await command.instance(group.instanceId));
        const seat: Seat = {
          enrolmentId: id,
          tandemId: context.tandemId,
          districtId: context.districtId,
          members: context.members,
          since: command.now.toISOString(),
        };
        // The group first, then its enrolments: every command takes its instances in this order.
        if (placementOutcome(groupContext.capacity, groupContext.roster.length) === 'placed') {
          await command.send(group.instanceId, groupEvent({ type: 'TANDEM_PLACED', seat }));
          await command.send(enrolment.instanceId, enrolmentEvent({ type: 'TANDEM_PLACED', groupId }));
        } else {
          await command.send(group.instanceId, groupEvent({ type: 'TANDEM_WAITLISTED', seat }));
          await command.send(enrolment.instanceId, enrolmentEvent({ type: 'TANDEM_WAITLISTED', groupId }));
        }
      },
      answer: (em) => this.views.enrolment(id, em),
    });
  }

  /**
   * Takes a leaving tandem out of its group and moves the first waiting ones up into the seats that frees. Returns
   * the enrolments that moved up (their own step is the caller's, after every group step).
   */
  private async leaveGroup(
    command: CommandScope,
    groupId: string,
    enrolmentId: string,
    reason: 'withdrawn' | 'reformed',
  ): Promise<EnrolmentRow[]> {
    const group = await this.group(groupId);
    const context = contextOf<GroupContext>(await command.instance(group.instanceId));
    const seated = context.roster.some((s) => s.enrolmentId === enrolmentId);
    if (!seated && !context.waitingList.some((s) => s.enrolmentId === enrolmentId)) return [];
    await command.send(group.instanceId, groupEvent({ type: 'TANDEM_LEFT', enrolmentId, reason }));
    const waiting = context.waitingList.filter((s) => s.enrolmentId !== enrolmentId);
    const movers = waiting.slice(
      0,
      movingUp(context.capacity, context.roster.length - (seated ? 1 : 0), waiting.length),
    );
    for (const mover of movers)
      await command.send(
        group.instanceId,
        groupEvent({ type: 'TANDEM_MOVED_UP', enrolmentId: mover.enrolmentId, at: command.now.toISOString() }),
      );
    return Promise.all(movers.map(async (mover) => (await this.repository.enrolment(mover.enrolmentId))!));
  }

  private async moveUp(command: CommandScope, movers: EnrolmentRow[], groupId: string): Promise<void> {
    for (const mover of movers)
      await command.send(mover.instanceId, enrolmentEvent({ type: 'TANDEM_MOVED_UP', groupId }));
  }

  /** The tandem withdraws; the first waiting tandem takes its seat, in the same command. */
  async withdraw(actor: Actor, id: string, body: WithdrawDto, key?: string) {
    const enrolment = await this.enrolmentFor(actor, id);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'withdraw', id, body),
      decide: async (command) => {
        const context = contextOf<EnrolmentContext>(await command.instance(enrolment.instanceId));
        const movers = context.groupId ? await this.leaveGroup(command, context.groupId, id, 'withdrawn') : [];
        await command.send(enrolment.instanceId, enrolmentEvent({ type: 'TANDEM_WITHDRAWN', reason: body.reason }));
        await this.moveUp(command, movers, context.groupId!);
      },
      answer: (em) => this.views.enrolment(id, em),
    });
  }

  /**
   * A member changes. As a rule the tandem is qualified again (also after completion): its enrolment ends as
   * `reformed`, the new tandem starts a new one, and a seat it held goes to the first waiting tandem. With an
   * exemption (and its reason) the enrolment continues with the new member: the modules the tandem had completed
   * so far stay credited, and reminders and exchange invitations go to the current members. One command.
   */
  async changeMember(actor: Actor, tandemId: string, body: ChangeMemberDto, key?: string) {
    const scope = scopeOf(actor);
    const network = await this.network((await this.tandem(tandemId)).networkId);
    requireDistrict(scope, network.districtId, `network "${network.name}"`);
    const joining = await this.person(body.joiningPersonId);
    requireDistrict(scope, joining.districtId ?? '', `the official ${joining.name}`);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'change-member', tandemId, body),
      decide: async (command) => {
        const tandem = await this.tandem(tandemId);
        refuse(checkTandemCurrent(tandem));
        const memberIds = [tandem.lowerMemberId, tandem.upperMemberId];
        refuse(checkLeavingMember(memberIds, body.leavingPersonId));
        const staying = await this.person(memberIds.find((m) => m !== body.leavingPersonId)!);
        refuse(
          checkTandemComposition([
            { id: staying.id, supervision: staying.supervision },
            { id: joining.id, supervision: joining.supervision },
          ]),
        );
        const successor = Object.assign(new TandemRow(), {
          id: randomUUID(),
          networkId: tandem.networkId,
          lowerMemberId: staying.supervision === 'lower' ? staying.id : joining.id,
          upperMemberId: staying.supervision === 'lower' ? joining.id : staying.id,
          formedAt: command.now.toISOString(),
          successorId: null,
        });
        command.write(async (em) => {
          if (!(await this.repository.succeedTandem(em, tandem.id, successor)))
            refuse(checkTandemCurrent({ successorId: '(another change)' }));
        });
        const enrolment = (await this.repository.enrolments({ tandemId })).find((e) => !ENDED_STATES.includes(e.state));
        if (!enrolment) return { successor, enrolmentId: null, reformedId: null };
        const current = await command.instance(enrolment.instanceId);
        const context = contextOf<EnrolmentContext>(current);
        // A completed tandem's group has run its course: its seat stays as it was.
        const inGroup = context.groupId !== null && !ALUMNI_STATES.includes(current.state);
        if (body.exemptionReason) {
          const members = await this.membersOf(successor);
          const exemption = {
            on: dayOf(command.now, this.config.timeZone),
            reason: body.exemptionReason,
            replaced: body.leavingPersonId,
            by: joining.id,
          };
          const creditedModules = await this.modulesCompleted(command, context);
          if (inGroup)
            await command.send(
              await this.groupInstance(context.groupId!),
              groupEvent({ type: 'SEAT_MEMBERS_CHANGED', enrolmentId: enrolment.id, tandemId: successor.id, members }),
            );
          await command.send(
            enrolment.instanceId,
            enrolmentEvent({ type: 'MEMBER_REPLACED', tandemId: successor.id, members, exemption, creditedModules }),
          );
          return { successor, enrolmentId: enrolment.id, reformedId: null };
        }
        const movers = inGroup ? await this.leaveGroup(command, context.groupId!, enrolment.id, 'reformed') : [];
        await command.send(
          enrolment.instanceId,
          enrolmentEvent({
            type: 'TANDEM_REFORMED',
            successorTandemId: successor.id,
            reason: `member ${body.leavingPersonId} replaced by ${joining.id}`,
          }),
        );
        await this.moveUp(command, movers, context.groupId!);
        const next = await this.startEnrolment(command, successor, network, enrolment.id);
        return { successor, enrolmentId: next, reformedId: enrolment.id };
      },
      answer: async (em, decided) => ({
        tandem: decided.successor,
        enrolment: decided.enrolmentId ? await this.views.enrolment(decided.enrolmentId, em) : null,
        ...(decided.reformedId ? { reformed: await this.views.enrolment(decided.reformedId, em) } : {}),
      }),
    });
  }

  private async groupInstance(groupId: string): Promise<string> {
    return (await this.group(groupId)).instanceId;
  }

  /** The modules the tandem (its members before the change) has completed, as its group and make-up groups recorded them. */
  private async modulesCompleted(command: CommandScope, context: EnrolmentContext): Promise<string[]> {
    if (!context.groupId) return context.creditedModules;
    const memberIds = context.members.map((m) => m.personId);
    const { own, attendance } = await this.attendance.of(command, context.groupId, memberIds);
    return completedModules(heldEvents(own), memberIds, attendance, context.creditedModules);
  }

  /** The district's own enrolments (the institute's: all), with status and waiting-list position. */
  async list(actor: Actor) {
    const scope = scopeOf(actor);
    return this.views.enrolments(
      await this.repository.enrolments(scope.role === 'district' ? { districtId: scope.districtId } : {}),
    );
  }

  async get(actor: Actor, id: string) {
    await this.enrolmentFor(actor, id);
    return this.views.enrolment(id);
  }
}
