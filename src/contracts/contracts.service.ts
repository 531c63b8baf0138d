import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import {
  CONTRACT_ADMIN, inputRefusal, LAND, refusal, type ClientEvent, type ContractContext, type ContractInput, type PartnerSide, type Refusal,
} from '../../workflows/contract-review/contract.js';
import { secondmentEnd } from '../../workflows/contract-review/dates.js';
import { dueItems, type DueItem } from '../../workflows/contract-review/deadlines.js';
import { PROGRAMME } from '../../workflows/contract-review/reminders.js';
import { Clock } from '../engine/clock.js';
import { calendarDay } from '../engine/due-at.js';
import { NotFound, OutOfScope, RuleViolation } from '../engine/errors.js';
import { WorkflowEngine, type Actor, type InstanceSummary } from '../engine/workflow-engine.js';
import { ContractRow, type ContractStatus } from './contract.entities.js';
import { statusOf } from './contract.projection.js';
import { ContractConflict } from './contract.errors.js';
import type {
  AmendmentProposalDto, CreateContractDto, DeadlinesQuery, EvaluationDto, ExtraordinaryTerminationDto, ReviewDecisionDto, SecondmentDecisionDto,
  SecondmentDto, WrittenActDto,
} from './contracts.dto.js';
import { ContractsRepository } from './contracts.repository.js';

export interface ContractView extends Omit<ContractContext, 'contractId' | 'cycle' | 'reviewDueOn' | 'evaluation'> {
  id: string;
  instanceId: string;
  land: typeof LAND;
  status: ContractStatus;
  /** The workflow state, e.g. `active.running`. */
  state: string;
  review: { cycle: number; dueOn: string; evaluation: ContractContext['evaluation'] } | null;
  /** Everything owed, soonest first; `nextDue` is the first of them. */
  due: DueItem[];
  nextDue: DueItem | null;
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

function refuse(refused: Refusal): never {
  if (refused.status === 409) throw new ContractConflict(refused.rule, refused.message, refused.details);
  throw new RuleViolation(refused.rule, refused.message, refused.details);
}

/**
 * Cooperation contracts of Lower Saxon Bildungsregionen. The workflow instance holds the contract and decides what
 * may happen; this service checks who asks and refuses by the contract's rules before anything is written, then
 * sends the event as an engine command. The contract tables follow as a projection in the same transaction.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly contracts: ContractsRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  create(actor: Actor, dto: CreateContractDto, idempotencyKey?: string): Promise<ContractView> {
    requireContractAdmin(actor);
    const input: ContractInput = { contractId: randomUUID(), ...dto, kommune: { ...dto.kommune }, admins: dto.admins.map((admin) => ({ ...admin })) };
    const refused = inputRefusal(input);
    if (refused) refuse(refused);
    return this.engine.execute({
      actor,
      idempotency: idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: ['create-contract', dto, actor] },
      decide: (scope) => this.view(scope.create(PROGRAMME, input)),
    });
  }

  async get(actor: Actor, id: string): Promise<ContractView> {
    requireContractAdmin(actor);
    const contract = await this.load(id);
    return this.view(await this.engine.get(contract.instanceId));
  }

  /** Open deadlines of every contract in the state, soonest first. */
  async deadlines(actor: Actor, query: DeadlinesQuery): Promise<StatewideDeadline[]> {
    requireContractAdmin(actor);
    const today = this.today();
    const rows = await this.contracts.deadlines({ today, kind: query.kind, until: query.until });
    return rows.map(({ deadline, contract }) => ({
      contractId: contract.id, bildungsregion: contract.bildungsregion, kommune: contract.kommuneName, status: contract.status,
      kind: deadline.kind, id: deadline.deadlineId, on: deadline.on, overdue: deadline.on < today, details: deadline.details,
    }));
  }

  recordEvaluation(actor: Actor, id: string, dto: EvaluationDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'recordEvaluation', body: dto, idempotencyKey }, () => ({ type: 'RECORD_EVALUATION', ...written(dto), ...(dto.summary ? { summary: dto.summary } : {}) }));
  }

  decideReview(actor: Actor, id: string, dto: ReviewDecisionDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'decideReview', body: dto, idempotencyKey }, () => ({ type: 'DECIDE_REVIEW', decision: dto.decision, ...written({ receivedOn: dto.decidedOn, reference: dto.reference }) }));
  }

  giveNotice(actor: Actor, id: string, dto: WrittenActDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'giveNotice', body: dto, idempotencyKey }, (partner) => ({ type: 'GIVE_NOTICE', partner, ...written(dto) }));
  }

  terminateExtraordinarily(actor: Actor, id: string, dto: ExtraordinaryTerminationDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'terminateExtraordinarily', body: dto, idempotencyKey }, (partner) => ({ type: 'TERMINATE_EXTRAORDINARILY', partner, ...written(dto), ...(dto.reason ? { reason: dto.reason } : {}) }));
  }

  proposeAmendment(actor: Actor, id: string, dto: AmendmentProposalDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'proposeAmendment', body: dto, idempotencyKey }, (partner, context) => ({
      type: 'PROPOSE_AMENDMENT', amendmentId: `A${context.amendments.length + 1}`, title: dto.title, partner, ...written(dto),
    }));
  }

  confirmAmendment(actor: Actor, id: string, amendmentId: string, dto: WrittenActDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'confirmAmendment', body: [amendmentId, dto], idempotencyKey }, (partner) => ({ type: 'CONFIRM_AMENDMENT', amendmentId, partner, ...written(dto) }));
  }

  recordAnnualReport(actor: Actor, id: string, dto: WrittenActDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'recordAnnualReport', body: dto, idempotencyKey }, () => ({ type: 'RECORD_ANNUAL_REPORT', ...written(dto) }));
  }

  secondCoordinator(actor: Actor, id: string, dto: SecondmentDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'secondCoordinator', body: dto, idempotencyKey }, (_, context) => ({
      type: 'SECOND_COORDINATOR', secondmentId: `S${context.secondments.length + 1}`, coordinator: dto.coordinator, from: dto.from,
      until: dto.until ?? secondmentEnd(dto.from), weeklyHours: dto.weeklyHours, regularWeeklyHours: dto.regularWeeklyHours, ...written(dto),
    }));
  }

  decideSecondmentEnd(actor: Actor, id: string, secondmentId: string, dto: SecondmentDecisionDto, idempotencyKey?: string): Promise<ContractView> {
    return this.act(actor, id, { action: 'decideSecondmentEnd', body: [secondmentId, dto], idempotencyKey }, () => ({
      type: 'DECIDE_SECONDMENT_END', secondmentId, decision: dto.decision, ...written(dto),
      ...(dto.until ? { until: dto.until } : {}),
      ...(dto.weeklyHours !== undefined ? { weeklyHours: dto.weeklyHours } : {}),
      ...(dto.regularWeeklyHours !== undefined ? { regularWeeklyHours: dto.regularWeeklyHours } : {}),
    }));
  }

  /**
   * One change to a contract: only its own administrators may make it, acting for their partner; a refused change
   * writes nothing. Checked and built inside the command, so a retry after a concurrent change checks again.
   */
  private async act(
    actor: Actor,
    id: string,
    request: { action: string; body: unknown; idempotencyKey?: string },
    build: (partner: PartnerSide, context: ContractContext) => ClientEvent,
  ): Promise<ContractView> {
    requireContractAdmin(actor);
    const contract = await this.load(id);
    return this.engine.execute({
      actor,
      idempotency: request.idempotencyKey === undefined ? undefined : { key: request.idempotencyKey, request: [request.action, id, request.body, actor] },
      decide: async (scope) => {
        const context = contextOf(await scope.instance(contract.instanceId));
        const admin = context.admins.find((candidate) => candidate.id === actor.id);
        if (!admin) {
          throw new OutOfScope(`${actor.id} is not a contract administrator of ${context.bildungsregion}`, 'contract-admin-of-this-contract', { contractId: id });
        }
        const event = build(admin.partner, context);
        const refused = refusal(context, event, this.today());
        if (refused) refuse(refused);
        return this.view(await scope.send(contract.instanceId, event));
      },
    });
  }

  private view(instance: InstanceSummary): ContractView {
    const context = contextOf(instance);
    const { contractId: _id, cycle, reviewDueOn, evaluation, ...rest } = context;
    const due = dueItems(context, this.today());
    const reviewOpen = !context.notice && !context.termination;
    return {
      id: context.contractId, instanceId: instance.id, land: LAND, ...rest, status: statusOf(instance.state), state: instance.state,
      review: reviewOpen ? { cycle, dueOn: reviewDueOn, evaluation } : null, due, nextDue: due[0] ?? null,
    };
  }

  private async load(id: string): Promise<ContractRow> {
    const contract = await this.contracts.find(id);
    if (!contract) throw new NotFound(`no contract ${id}`, 'contract-exists', { contractId: id });
    return contract;
  }

  private today(): string {
    return calendarDay(this.clock.now(), this.config.timeZone);
  }
}

function contextOf(instance: InstanceSummary): ContractContext {
  return instance.context as unknown as ContractContext;
}

function requireContractAdmin(actor: Actor): void {
  if (actor.role !== CONTRACT_ADMIN) {
    throw new OutOfScope(`contracts are managed by the role ${CONTRACT_ADMIN}, not ${actor.role}`, 'role-contract-admin', { role: actor.role });
  }
}

/** Only the fields given, so a missing reference or date stays missing and the rule `in-writing` can name it. */
function written(dto: WrittenActDto): { receivedOn?: string; reference?: string } {
  return { ...(dto.receivedOn ? { receivedOn: dto.receivedOn } : {}), ...(dto.reference !== undefined ? { reference: dto.reference } : {}) };
}
