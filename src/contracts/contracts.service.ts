import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import {
  inputRefusal, LAND, refusal, warnings, type ClientEvent, type ContractContext, type ContractInput, type KommuneResources,
  type PartnerSide, type Refusal, type SchoolAuthorityRepresentative, type Secondment, type SecondmentPeriod, type Warning,
} from '../../workflows/contract-review/contract.js';
import { secondmentEnd } from '../../workflows/contract-review/dates.js';
import { deadlinesOf, dueItems, type DueItem } from '../../workflows/contract-review/deadlines.js';
import { CONTRACT_SYNC_EFFECT } from '../../workflows/contract-review/machine.js';
import { contractReviewReminders, PROGRAMME } from '../../workflows/contract-review/reminders.js';
import { withOverrides, type ReminderPolicy } from '../../workflows/shared/reminders.js';
import { Clock } from '../engine/clock.js';
import { administratorEntry, requireContractAccess } from '../auth/policy.js';
import { NotFound, RuleViolation } from '../engine/errors.js';
import { OutboxDispatcher } from '../engine/outbox-dispatcher.js';
import { WorkflowEngine, type Actor, type InstanceSummary } from '../engine/workflow-engine.js';
import { ContractRow, type ContractStatus } from './contract.entities.js';
import { ContractConflict } from './contract.errors.js';
import type {
  AmendmentProposalDto, CoordinatorQualificationDto, CreateContractDto, DeadlinesQuery, EvaluationDto, ExtraordinaryTerminationDto, KommuneResourcesDto,
  NoticeDto, ReviewDecisionDto, SchoolAuthorityRepresentativeDto, SecondmentDecisionDto, SecondmentDto, WrittenActDto,
} from './contracts.dto.js';
import { ContractsRepository } from './contracts.repository.js';

export interface ContractView extends Omit<ContractContext, 'contractId' | 'cycle' | 'reviewDueOn' | 'evaluation' | 'secondments' | 'schoolAuthorityRepresentatives' | 'kommuneResources'> {
  id: string;
  instanceId: string;
  land: typeof LAND;
  status: ContractStatus;
  /** The workflow state, e.g. `active.running`. */
  state: string;
  review: { cycle: number; dueOn: string; evaluation: ContractContext['evaluation'] } | null;
  /** Every optional member filled in: the defaults of secondments recorded before it was kept. */
  secondments: (Required<Omit<Secondment, 'periods'>> & { periods: Required<SecondmentPeriod>[] })[];
  /** The NLSchB's current representative in the steering committee, and each naming before. */
  schoolAuthorityRepresentative: SchoolAuthorityRepresentative | null;
  schoolAuthorityRepresentatives: SchoolAuthorityRepresentative[];
  /** What the Kommune currently commits to the regional office at its own cost, and each commitment before. */
  kommuneResources: KommuneResources | null;
  kommuneResourcesHistory: KommuneResources[];
  /** Everything owed, soonest first, each with its basis and reminders; `nextDue` is the first of them. */
  due: DueItem[];
  nextDue: DueItem | null;
  /** In the answer to a write: what was recorded that the texts allow only as an exception. */
  warnings?: Warning[];
}

export interface StatewideDeadline {
  contractId: string;
  bildungsregion: string;
  kommune: string;
  status: ContractStatus;
  kind: string;
  id: string;
  on: string;
  overdue: boolean;
  details: Record<string, unknown>;
}

function statusOf(state: string): ContractStatus {
  if (state === 'terminated') return 'terminated';
  if (state === 'active.reviewDue') return 'review-due';
  return state === 'active.noticePeriod' ? 'notice-given' : 'active';
}

function refuse(refused: Refusal): never {
  if (refused.status === 409) throw new ContractConflict(refused.rule, refused.message, refused.details);
  throw new RuleViolation(refused.rule, refused.message, refused.details);
}

/**
 * Cooperation contracts of Lower Saxon Bildungsregionen. The workflow instance holds the contract and decides what
 * may happen; this service checks who asks, refuses by the contract's rules before anything is written, sends the
 * event, and rewrites the contract tables from the result.
 */
@Injectable()
export class ContractsService implements OnModuleInit {
  /** The reminder policy the workflow runs with, so the view shows the reminders that will really go out. */
  private readonly policy: ReminderPolicy;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly contracts: ContractsRepository,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {
    this.policy = withOverrides(contractReviewReminders, config.reminderOverrides[PROGRAMME]);
  }

  /** The termination timer changes a contract without a request of ours; its effect brings the tables along. */
  onModuleInit(): void {
    this.dispatcher.register(CONTRACT_SYNC_EFFECT, async (message) => {
      const contract = message.instanceId ? await this.contracts.findByInstance(message.instanceId) : null;
      if (contract) await this.project(contract, await this.engine.get(contract.instanceId));
    });
  }

  async create(actor: Actor, dto: CreateContractDto): Promise<ContractView> {
    const input: ContractInput = { contractId: randomUUID(), ...dto, kommune: { ...dto.kommune }, admins: dto.admins.map((admin) => ({ ...admin })) };
    const refused = inputRefusal(input);
    if (refused) refuse(refused);
    const instance = await this.engine.create({ definition: PROGRAMME, input, actor });
    const now = this.clock.now().toISOString();
    const row = Object.assign(new ContractRow(), { id: input.contractId, instanceId: instance.id, createdAt: now });
    return this.project(row, instance);
  }

  async get(actor: Actor, id: string): Promise<ContractView> {
    const contract = await this.load(id);
    const instance = await this.engine.get(contract.instanceId);
    requireContractAccess(actor, { id, bildungsregion: contextOf(instance).bildungsregion, admins: contextOf(instance).admins }, 'read');
    return this.view(contract, instance);
  }

  /** Open deadlines of the caller's contracts (the ministry: every contract in the state), soonest first. */
  async deadlines(actor: Actor, query: DeadlinesQuery): Promise<StatewideDeadline[]> {
    const today = this.today();
    const administeredBy = actor.role === 'ministry' ? undefined : actor.id;
    const rows = await this.contracts.deadlines({ today, kind: query.kind, until: query.until, administeredBy });
    return rows.map(({ deadline, contract }) => ({
      contractId: contract.id, bildungsregion: contract.bildungsregion, kommune: contract.kommuneName, status: contract.status,
      kind: deadline.kind, id: deadline.deadlineId, on: deadline.on, overdue: deadline.on < today, details: deadline.details,
    }));
  }

  recordEvaluation(actor: Actor, id: string, dto: EvaluationDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'RECORD_EVALUATION', ...written(dto), ...(dto.summary ? { summary: dto.summary } : {}) }));
  }

  decideReview(actor: Actor, id: string, dto: ReviewDecisionDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'DECIDE_REVIEW', decision: dto.decision, ...written({ receivedOn: dto.decidedOn, reference: dto.reference }) }));
  }

  giveNotice(actor: Actor, id: string, dto: NoticeDto): Promise<ContractView> {
    return this.act(actor, id, (partner) => ({ type: 'GIVE_NOTICE', partner, ...written(dto), ...(dto.effectiveOn ? { effectiveOn: dto.effectiveOn } : {}) }));
  }

  terminateExtraordinarily(actor: Actor, id: string, dto: ExtraordinaryTerminationDto): Promise<ContractView> {
    return this.act(actor, id, (partner) => ({ type: 'TERMINATE_EXTRAORDINARILY', partner, ...written(dto), ...(dto.reason ? { reason: dto.reason } : {}) }));
  }

  proposeAmendment(actor: Actor, id: string, dto: AmendmentProposalDto): Promise<ContractView> {
    return this.act(actor, id, (partner, context) => ({
      type: 'PROPOSE_AMENDMENT', amendmentId: `A${context.amendments.length + 1}`, title: dto.title, partner, ...written(dto),
    }));
  }

  confirmAmendment(actor: Actor, id: string, amendmentId: string, dto: WrittenActDto): Promise<ContractView> {
    return this.act(actor, id, (partner) => ({ type: 'CONFIRM_AMENDMENT', amendmentId, partner, ...written(dto) }));
  }

  recordAnnualReport(actor: Actor, id: string, dto: WrittenActDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'RECORD_ANNUAL_REPORT', ...written(dto) }));
  }

  secondCoordinator(actor: Actor, id: string, dto: SecondmentDto): Promise<ContractView> {
    return this.act(actor, id, (_, context) => ({
      type: 'SECOND_COORDINATOR', secondmentId: `S${context.secondments.length + 1}`, coordinator: dto.coordinator, from: dto.from,
      until: dto.until ?? secondmentEnd(dto.from), weeklyHours: dto.weeklyHours, regularWeeklyHours: dto.regularWeeklyHours, ...written(dto),
      ...(dto.form ? { form: dto.form } : {}), ...(dto.sponsor !== undefined ? { sponsor: dto.sponsor } : {}),
      ...(dto.hoursReason !== undefined ? { hoursReason: dto.hoursReason } : {}),
      ...(dto.kommuneConsent ? { kommuneConsent: written(dto.kommuneConsent) } : {}),
    }));
  }

  decideSecondmentEnd(actor: Actor, id: string, secondmentId: string, dto: SecondmentDecisionDto): Promise<ContractView> {
    return this.act(actor, id, () => ({
      type: 'DECIDE_SECONDMENT_END', secondmentId, decision: dto.decision, ...written(dto),
      ...(dto.until ? { until: dto.until } : {}),
      ...(dto.weeklyHours !== undefined ? { weeklyHours: dto.weeklyHours } : {}),
      ...(dto.regularWeeklyHours !== undefined ? { regularWeeklyHours: dto.regularWeeklyHours } : {}),
      ...(dto.hoursReason !== undefined ? { hoursReason: dto.hoursReason } : {}),
    }));
  }

  recordCoordinatorConsent(actor: Actor, id: string, secondmentId: string, dto: WrittenActDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'RECORD_COORDINATOR_CONSENT', secondmentId, ...written(dto) }));
  }

  recordCoordinatorQualification(actor: Actor, id: string, secondmentId: string, dto: CoordinatorQualificationDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'RECORD_COORDINATOR_QUALIFICATION', secondmentId, course: dto.course, ...written(dto) }));
  }

  nameSchoolAuthorityRepresentative(actor: Actor, id: string, dto: SchoolAuthorityRepresentativeDto): Promise<ContractView> {
    return this.act(actor, id, () => ({ type: 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE', name: dto.name, ...written(dto) }));
  }

  recordKommuneResources(actor: Actor, id: string, dto: KommuneResourcesDto): Promise<ContractView> {
    return this.act(actor, id, () => ({
      type: 'RECORD_KOMMUNE_RESOURCES', officeStaffFte: dto.officeStaffFte, ...written(dto),
      ...(dto.officeMaterialEuroPerYear !== undefined ? { officeMaterialEuroPerYear: dto.officeMaterialEuroPerYear } : {}),
      ...(dto.coordinatorExpensesEuroPerYear !== undefined ? { coordinatorExpensesEuroPerYear: dto.coordinatorExpensesEuroPerYear } : {}),
      ...(dto.note !== undefined ? { note: dto.note } : {}),
    }));
  }

  /**
   * One change to a contract: only its own administrators may make it, acting for their partner; a refused change
   * writes nothing. The answer says what was recorded as an exception the texts allow (`warnings`).
   */
  private async act(actor: Actor, id: string, build: (partner: PartnerSide, context: ContractContext) => ClientEvent): Promise<ContractView> {
    const contract = await this.load(id);
    const instance = await this.engine.get(contract.instanceId);
    const context = contextOf(instance);
    requireContractAccess(actor, { id, bildungsregion: context.bildungsregion, admins: context.admins }, 'write');
    const event = build(administratorEntry(actor, context.admins)!.partner, context);
    const refused = refusal(context, event, this.today());
    if (refused) refuse(refused);
    const said = warnings(context, event);
    return { ...(await this.project(contract, await this.engine.send(contract.instanceId, event, actor))), warnings: said };
  }

  private async project(contract: ContractRow, instance: InstanceSummary): Promise<ContractView> {
    const context = contextOf(instance);
    const row = Object.assign(new ContractRow(), {
      id: contract.id, instanceId: instance.id, bildungsregion: context.bildungsregion, landName: LAND.name,
      landRepresentedBy: LAND.representedBy, kommuneName: context.kommune.name, kommuneKind: context.kommune.kind,
      steeringCommittee: context.steeringCommittee, regionalOffice: context.regionalOffice, startsOn: context.startsOn,
      status: statusOf(instance.state), reviewCycle: context.cycle, reviewDueOn: context.reviewDueOn,
      noticeEffectiveOn: context.notice?.effectiveOn ?? null, terminatedOn: context.termination?.effectiveOn ?? null,
      createdAt: contract.createdAt, updatedAt: this.clock.now().toISOString(),
    });
    await this.contracts.save(row, context, deadlinesOf(context));
    return this.view(row, instance);
  }

  private view(contract: ContractRow, instance: InstanceSummary): ContractView {
    const context = contextOf(instance);
    const { contractId: _id, cycle, reviewDueOn, evaluation, secondments, schoolAuthorityRepresentatives = [], kommuneResources = [], ...rest } = context;
    const due = dueItems(context, this.today(), this.policy);
    const reviewOpen = !context.notice && !context.termination;
    return {
      id: contract.id, instanceId: contract.instanceId, land: LAND, ...rest, status: statusOf(instance.state), state: instance.state,
      review: reviewOpen ? { cycle, dueOn: reviewDueOn, evaluation } : null,
      // Contracts recorded before the form, consent and qualifications were kept show their defaults.
      secondments: secondments.map((s) => ({
        ...s, form: s.form ?? 'abordnung', sponsor: s.sponsor ?? null, kommuneConsent: s.kommuneConsent ?? null, qualifications: s.qualifications ?? [],
        periods: s.periods.map((period) => ({ ...period, hoursReason: period.hoursReason ?? null })),
      })),
      schoolAuthorityRepresentative: schoolAuthorityRepresentatives.at(-1) ?? null, schoolAuthorityRepresentatives,
      kommuneResources: kommuneResources.at(-1) ?? null, kommuneResourcesHistory: kommuneResources,
      due, nextDue: due[0] ?? null,
    };
  }

  private async load(id: string): Promise<ContractRow> {
    const contract = await this.contracts.find(id);
    if (!contract) throw new NotFound(`no contract ${id}`, 'contract-exists', { contractId: id });
    return contract;
  }

  private today(): string {
    return this.clock.today(this.config.timeZone);
  }
}

function contextOf(instance: InstanceSummary): ContractContext {
  return instance.context as unknown as ContractContext;
}

/** Only the fields given, so a missing reference or date stays missing and the rule `in-writing` can name it. */
function written(dto: WrittenActDto): { receivedOn?: string; reference?: string } {
  return { ...(dto.receivedOn ? { receivedOn: dto.receivedOn } : {}), ...(dto.reference !== undefined ? { reference: dto.reference } : {}) };
}
