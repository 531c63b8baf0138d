import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import {
  inputRefusal,
  LAND,
  refusal,
  warnings,
  type ClientEvent,
  type ContractContext,
  type ContractInput,
  type KommuneResources,
  type PartnerSide,
  type SchoolAuthorityRepresentative,
  type Secondment,
  type SecondmentPeriod,
  type Warning,
} from '../../workflows/contract-review/contract.js';
import {
  isTerminationDate,
  noticeCalculation,
  possibleNoticeEffectiveDates,
  secondmentEnd,
  type NoticeCalculation,
} from '../../workflows/contract-review/dates.js';
import { dueItems, type DueItem } from '../../workflows/contract-review/deadlines.js';
import { contractReviewReminders, PROGRAMME } from '../../workflows/contract-review/reminders.js';
import { withOverrides, type ReminderPolicy } from '../../workflows/shared/reminders.js';
import { administratorEntry, requireContractAccess } from '../auth/policy.js';
import { Clock } from '../engine/clock.js';
import { NotFound, refuse, RuleViolation } from '../common/errors.js';
import { WorkflowEngine, type InstanceSummary } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { ContractRow, type ContractStatus } from './contract.entities.js';
import { statusOf } from './contract.projection.js';
import type {
  AmendmentProposalDto,
  CoordinatorQualificationDto,
  CreateContractDto,
  DeadlinesQuery,
  EvaluationDto,
  ExtraordinaryTerminationDto,
  KommuneResourcesDto,
  NoticeCalculatorQuery,
  NoticeDto,
  ReviewDecisionDto,
  SchoolAuthorityRepresentativeDto,
  SecondmentDecisionDto,
  SecondmentDto,
  WrittenActDto,
} from './contracts.dto.js';
import { ContractsRepository } from './contracts.repository.js';

export interface ContractView extends Omit<
  ContractContext,
  | 'contractId'
  | 'cycle'
  | 'reviewDueOn'
  | 'evaluation'
  | 'secondments'
  | 'schoolAuthorityRepresentatives'
  | 'kommuneResources'
> {
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

/**
 * Cooperation contracts of Lower Saxon Bildungsregionen. The workflow instance holds the contract and decides what
 * may happen; this service checks who asks and refuses by the contract's rules before anything is written, then
 * sends the event as an engine command. The contract tables follow as a projection in the same transaction.
 */
@Injectable()
export class ContractsService {
  /** The reminder policy the workflow runs with, so the view shows the reminders that will really go out. */
  private readonly policy: ReminderPolicy;

  constructor(
    private readonly engine: WorkflowEngine,
    private readonly contracts: ContractsRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {
    this.policy = withOverrides(contractReviewReminders, config.reminderOverrides[PROGRAMME]);
  }

  create(actor: Actor, dto: CreateContractDto, idempotencyKey?: string): Promise<ContractView> {
    const input: ContractInput = {
      contractId: randomUUID(),
      ...dto,
      kommune: { ...dto.kommune },
      admins: dto.admins.map((admin) => ({ ...admin })),
    };
    refuse(inputRefusal(input));
    return this.engine.execute({
      actor,
      idempotency:
        idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: ['create-contract', dto, actor] },
      decide: (scope) => this.view(scope.create(PROGRAMME, input)),
    });
  }

  async get(actor: Actor, id: string): Promise<ContractView> {
    const contract = await this.load(id);
    const instance = await this.engine.get(contract.instanceId);
    requireContractAccess(
      actor,
      { id, bildungsregion: contextOf(instance).bildungsregion, admins: contextOf(instance).admins },
      'read',
    );
    return this.view(instance);
  }

  /** The caller's contracts (the ministry: every contract in the state), each as `get` shows it. */
  async list(actor: Actor): Promise<ContractView[]> {
    const rows = await this.contracts.contracts(actor.role === 'ministry' ? undefined : actor.id);
    const views: ContractView[] = [];
    for (const row of rows) {
      const instance = await this.engine.get(row.instanceId);
      // The token's partner narrows it further: an administrator named for the Land does not see it as the Kommune's.
      if (actor.role === 'ministry' || administratorEntry(actor, contextOf(instance).admins))
        views.push(this.view(instance));
    }
    return views;
  }

  /** Open deadlines of the caller's contracts (the ministry: every contract in the state), soonest first. */
  async deadlines(actor: Actor, query: DeadlinesQuery): Promise<StatewideDeadline[]> {
    const today = this.today();
    const administeredBy = actor.role === 'ministry' ? undefined : actor.id;
    const rows = await this.contracts.deadlines({ today, kind: query.kind, until: query.until, administeredBy });
    return rows.map(({ deadline, contract }) => ({
      contractId: contract.id,
      bildungsregion: contract.bildungsregion,
      kommune: contract.kommuneName,
      status: contract.status,
      kind: deadline.kind,
      id: deadline.deadlineId,
      on: deadline.on,
      overdue: deadline.on < today,
      details: deadline.details,
    }));
  }

  /**
   * The notice calculator: when a notice received on a day takes effect, and the last day to give notice for a
   * 30 June or 31 December. The same rules as a notice recorded on a contract; it reads and stores nothing.
   */
  calculateNotice(query: NoticeCalculatorQuery): NoticeCalculation {
    if (!query.receivedOn && !query.effectiveOn) {
      throw new RuleViolation(
        'notice-calculator-question',
        'ask for receivedOn (when does a notice received that day take effect?), effectiveOn (by when to give notice for that day?), or both',
      );
    }
    if (query.effectiveOn && !isTerminationDate(query.effectiveOn)) {
      const possible = query.receivedOn ? possibleNoticeEffectiveDates(query.receivedOn) : null;
      throw new RuleViolation(
        'notice-to-30-june-or-31-december',
        `a notice takes effect on 30 June or 31 December only, not on ${query.effectiveOn}`,
        { effectiveOn: query.effectiveOn, ...(possible ? { possibleEffectiveDates: possible } : {}) },
      );
    }
    return noticeCalculation(query);
  }

  recordEvaluation(actor: Actor, id: string, dto: EvaluationDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'recordEvaluation', body: dto, idempotencyKey }, () => ({
      type: 'RECORD_EVALUATION',
      ...written(dto),
      ...(dto.summary ? { summary: dto.summary } : {}),
    }));
  }

  decideReview(actor: Actor, id: string, dto: ReviewDecisionDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'decideReview', body: dto, idempotencyKey }, () => ({
      type: 'DECIDE_REVIEW',
      decision: dto.decision,
      ...written({ receivedOn: dto.decidedOn, reference: dto.reference }),
    }));
  }

  giveNotice(actor: Actor, id: string, dto: NoticeDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'giveNotice', body: dto, idempotencyKey }, (partner) => ({
      type: 'GIVE_NOTICE',
      partner,
      ...written(dto),
      ...(dto.effectiveOn ? { effectiveOn: dto.effectiveOn } : {}),
    }));
  }

  terminateExtraordinarily(
    actor: Actor,
    id: string,
    dto: ExtraordinaryTerminationDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'terminateExtraordinarily', body: dto, idempotencyKey }, (partner) => ({
      type: 'TERMINATE_EXTRAORDINARILY',
      partner,
      ...written(dto),
      ...(dto.reason ? { reason: dto.reason } : {}),
    }));
  }

  proposeAmendment(
    actor: Actor,
    id: string,
    dto: AmendmentProposalDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'proposeAmendment', body: dto, idempotencyKey }, (partner, context) => ({
      type: 'PROPOSE_AMENDMENT',
      amendmentId: `A${context.amendments.length + 1}`,
      title: dto.title,
      partner,
      ...written(dto),
    }));
  }

  confirmAmendment(
    actor: Actor,
    id: string,
    amendmentId: string,
    dto: WrittenActDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'confirmAmendment', body: [amendmentId, dto], idempotencyKey }, (partner) => ({
      type: 'CONFIRM_AMENDMENT',
      amendmentId,
      partner,
      ...written(dto),
    }));
  }

  recordAnnualReport(actor: Actor, id: string, dto: WrittenActDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'recordAnnualReport', body: dto, idempotencyKey }, () => ({
      type: 'RECORD_ANNUAL_REPORT',
      ...written(dto),
    }));
  }

  secondCoordinator(actor: Actor, id: string, dto: SecondmentDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'secondCoordinator', body: dto, idempotencyKey }, (_, context) => ({
      type: 'SECOND_COORDINATOR',
      secondmentId: `S${context.secondments.length + 1}`,
      coordinator: dto.coordinator,
      from: dto.from,
      until: dto.until ?? secondmentEnd(dto.from),
      weeklyHours: dto.weeklyHours,
      regularWeeklyHours: dto.regularWeeklyHours,
      ...written(dto),
      ...(dto.form ? { form: dto.form } : {}),
      ...(dto.sponsor !== undefined ? { sponsor: dto.sponsor } : {}),
      ...(dto.hoursReason !== undefined ? { hoursReason: dto.hoursReason } : {}),
      ...(dto.kommuneConsent ? { kommuneConsent: written(dto.kommuneConsent) } : {}),
    }));
  }

  decideSecondmentEnd(
    actor: Actor,
    id: string,
    secondmentId: string,
    dto: SecondmentDecisionDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'decideSecondmentEnd', body: [secondmentId, dto], idempotencyKey }, () => ({
      type: 'DECIDE_SECONDMENT_END',
      secondmentId,
      decision: dto.decision,
      ...written(dto),
      ...(dto.until ? { until: dto.until } : {}),
      ...(dto.weeklyHours !== undefined ? { weeklyHours: dto.weeklyHours } : {}),
      ...(dto.regularWeeklyHours !== undefined ? { regularWeeklyHours: dto.regularWeeklyHours } : {}),
      ...(dto.hoursReason !== undefined ? { hoursReason: dto.hoursReason } : {}),
    }));
  }

  recordCoordinatorConsent(
    actor: Actor,
    id: string,
    secondmentId: string,
    dto: WrittenActDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(
      actor,
      id,
      { action: 'recordCoordinatorConsent', body: [secondmentId, dto], idempotencyKey },
      () => ({ type: 'RECORD_COORDINATOR_CONSENT', secondmentId, ...written(dto) }),
    );
  }

  recordCoordinatorQualification(
    actor: Actor,
    id: string,
    secondmentId: string,
    dto: CoordinatorQualificationDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(
      actor,
      id,
      { action: 'recordCoordinatorQualification', body: [secondmentId, dto], idempotencyKey },
      () => ({ type: 'RECORD_COORDINATOR_QUALIFICATION', secondmentId, course: dto.course, ...written(dto) }),
    );
  }

  nameSchoolAuthorityRepresentative(
    actor: Actor,
    id: string,
    dto: SchoolAuthorityRepresentativeDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'nameSchoolAuthorityRepresentative', body: dto, idempotencyKey }, () => ({
      type: 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE',
      name: dto.name,
      ...written(dto),
    }));
  }

  recordKommuneResources(
    actor: Actor,
    id: string,
    dto: KommuneResourcesDto,
    idempotencyKey?: string,
  ): Promise<ContractView> {
    return this.act(actor, id, { action: 'recordKommuneResources', body: dto, idempotencyKey }, () => ({
      type: 'RECORD_KOMMUNE_RESOURCES',
      officeStaffFte: dto.officeStaffFte,
      ...written(dto),
      ...(dto.officeMaterialEuroPerYear !== undefined
        ? { officeMaterialEuroPerYear: dto.officeMaterialEuroPerYear }
        : {}),
      ...(dto.coordinatorExpensesEuroPerYear !== undefined
        ? { coordinatorExpensesEuroPerYear: dto.coordinatorExpensesEuroPerYear }
        : {}),
      ...(dto.note !== undefined ? { note: dto.note } : {}),
    }));
  }

  /**
   * One change to a contract: only its own administrators may make it, acting for their partner; a refused change
   * writes nothing. Checked and built inside the command, so a retry after a concurrent change checks again. The
   * answer says what was recorded as an exception the texts allow (`warnings`).
   */
  private async act(
    actor: Actor,
    id: string,
    request: { action: string; body: unknown; idempotencyKey?: string },
    build: (partner: PartnerSide, context: ContractContext) => ClientEvent,
  ): Promise<ContractView> {
    const contract = await this.load(id);
    return this.engine.execute({
      actor,
      idempotency:
        request.idempotencyKey === undefined
          ? undefined
          : { key: request.idempotencyKey, request: [request.action, id, request.body, actor] },
      decide: async (scope) => {
        const context = contextOf(await scope.instance(contract.instanceId));
        requireContractAccess(actor, { id, bildungsregion: context.bildungsregion, admins: context.admins }, 'write');
        const event = build(administratorEntry(actor, context.admins)!.partner, context);
        refuse(refusal(context, event, this.today()));
        const said = warnings(context, event);
        return { ...this.view(await scope.send(contract.instanceId, event)), warnings: said };
      },
    });
  }

  private view(instance: InstanceSummary): ContractView {
    const context = contextOf(instance);
    const {
      contractId: _id,
      cycle,
      reviewDueOn,
      evaluation,
      secondments,
      schoolAuthorityRepresentatives = [],
      kommuneResources = [],
      ...rest
    } = context;
    const due = dueItems(context, this.today(), this.policy);
    const reviewOpen = !context.notice && !context.termination;
    return {
      id: context.contractId,
      instanceId: instance.id,
      land: LAND,
      ...rest,
      status: statusOf(instance.state),
      state: instance.state,
      review: reviewOpen ? { cycle, dueOn: reviewDueOn, evaluation } : null,
      // Contracts recorded before the form, consent and qualifications were kept show their defaults.
      secondments: secondments.map((s) => ({
        ...s,
        form: s.form ?? 'abordnung',
        sponsor: s.sponsor ?? null,
        kommuneConsent: s.kommuneConsent ?? null,
        qualifications: s.qualifications ?? [],
        periods: s.periods.map((period) => ({ ...period, hoursReason: period.hoursReason ?? null })),
      })),
      schoolAuthorityRepresentative: schoolAuthorityRepresentatives.at(-1) ?? null,
      schoolAuthorityRepresentatives,
      kommuneResources: kommuneResources.at(-1) ?? null,
      kommuneResourcesHistory: kommuneResources,
      due,
      nextDue: due[0] ?? null,
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
  return {
    ...(dto.receivedOn ? { receivedOn: dto.receivedOn } : {}),
    ...(dto.reference !== undefined ? { reference: dto.reference } : {}),
  };
}
