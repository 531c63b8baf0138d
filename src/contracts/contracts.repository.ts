import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import type { ContractContext } from '../../workflows/contract-review/contract.js';
import type { Deadline } from '../../workflows/shared/reminders.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import {
  AmendmentRow, AnnualReportRow, ContractAdminRow, ContractDeadlineRow, ContractRow, ReviewRow, SecondmentPeriodRow, SecondmentRow,
  WrittenActRow,
} from './contract.entities.js';

const CHILD_TABLES = [
  ContractAdminRow, WrittenActRow, ReviewRow, AmendmentRow, SecondmentRow, SecondmentPeriodRow, AnnualReportRow, ContractDeadlineRow,
] as const;

export interface DeadlineFilter {
  /** Notice windows before this day have passed and are left out; other open deadlines stay, as overdue. */
  today: string;
  kind?: string;
  until?: string;
  /** Only the contracts naming this actor id among their administrators. */
  administeredBy?: string;
}

/** The only place that touches the contract tables. */
@Injectable()
export class ContractsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  find(id: string): Promise<ContractRow | null> {
    return this.dataSource.getRepository(ContractRow).findOneBy({ id });
  }

  findByInstance(instanceId: string): Promise<ContractRow | null> {
    return this.dataSource.getRepository(ContractRow).findOneBy({ instanceId });
  }

  /** The workflow instances of the contracts that name this actor id among their administrators. */
  async instancesAdministeredBy(actorId: string): Promise<string[]> {
    const rows = await this.dataSource.getRepository(ContractRow).createQueryBuilder('c').select('c.instance_id', 'instanceId')
      .innerJoin(ContractAdminRow, 'a', 'a.contract_id = c.id').where('a.actor_id = :actorId', { actorId }).getRawMany<{ instanceId: string }>();
    return rows.map((row) => row.instanceId);
  }

  /**
   * Rewrites a contract's rows from its instance's context in one transaction. Rewriting rather than patching keeps
   * the tables equal to the context however often (and in whatever order) it runs.
   */
  save(contract: ContractRow, context: ContractContext, deadlines: Deadline[]): Promise<ContractRow> {
    return this.writes.transaction(async (em) => {
      const existing = await em.findOneBy(ContractRow, { id: contract.id });
      await em.save(ContractRow, { ...contract, createdAt: existing?.createdAt ?? contract.createdAt });
      for (const table of CHILD_TABLES) await em.delete(table, { contractId: contract.id });
      await insertChildren(em, contract.id, context, deadlines);
      return contract;
    });
  }

  /** Open deadlines of all contracts, soonest first; on one day by Bildungsregion, then kind. */
  async deadlines(filter: DeadlineFilter): Promise<{ deadline: ContractDeadlineRow; contract: ContractRow }[]> {
    const query = this.dataSource.getRepository(ContractDeadlineRow).createQueryBuilder('d')
      .where(new Brackets((q) => q.where("d.kind <> 'notice-window'").orWhere('d.due_on >= :today', { today: filter.today })));
    if (filter.kind) query.andWhere('d.kind = :kind', { kind: filter.kind });
    if (filter.until) query.andWhere('d.due_on <= :until', { until: filter.until });
    if (filter.administeredBy !== undefined) {
      query.andWhere('d.contract_id IN (SELECT a.contract_id FROM contract_admins a WHERE a.actor_id = :admin)', { admin: filter.administeredBy });
    }
    const deadlines = await query.orderBy('d.due_on', 'ASC').getMany();
    const ids = [...new Set(deadlines.map((d) => d.contractId))];
    const contracts = new Map((ids.length ? await this.dataSource.getRepository(ContractRow).findBy({ id: In(ids) }) : []).map((c) => [c.id, c]));
    return deadlines
      .map((deadline) => ({ deadline, contract: contracts.get(deadline.contractId)! }))
      .sort((a, b) => a.deadline.on.localeCompare(b.deadline.on) || a.contract.bildungsregion.localeCompare(b.contract.bildungsregion)
        || a.deadline.kind.localeCompare(b.deadline.kind));
  }
}

async function insertChildren(em: EntityManager, contractId: string, context: ContractContext, deadlines: Deadline[]): Promise<void> {
  const insert = async <T>(entity: new () => T, rows: Partial<T>[]) => {
    if (rows.length) await em.insert(entity, rows as never);
  };
  await insert(ContractAdminRow, context.admins.map((admin) => ({
    contractId, partner: admin.partner, actorId: admin.id, name: admin.name, email: admin.email, language: admin.language,
  })));
  await insert(WrittenActRow, context.writtenActs.map((act, index) => ({ contractId, seq: index + 1, ...act })));
  await insert(ReviewRow, context.reviews.map((review) => ({
    contractId, cycle: review.cycle, dueOn: review.dueOn, evaluationReference: review.evaluation.reference,
    evaluationReceivedOn: review.evaluation.receivedOn, decision: review.decision, decidedOn: review.decidedOn, reference: review.reference,
  })));
  await insert(AmendmentRow, context.amendments.map((amendment) => ({
    contractId, amendmentId: amendment.id, title: amendment.title, proposedBy: amendment.proposedBy, proposedOn: amendment.proposedOn,
    reference: amendment.reference, landConfirmedOn: amendment.confirmations.land ?? null,
    kommuneConfirmedOn: amendment.confirmations.kommune ?? null, inForceOn: amendment.inForceOn,
  })));
  await insert(SecondmentRow, context.secondments.map((s) => ({ contractId, secondmentId: s.id, coordinator: s.coordinator, endedOn: s.endedOn })));
  await insert(SecondmentPeriodRow, context.secondments.flatMap((s) => s.periods.map((period, index) => ({
    contractId, secondmentId: s.id, seq: index + 1, fromOn: period.from, untilOn: period.until, weeklyHours: period.weeklyHours,
    regularWeeklyHours: period.regularWeeklyHours, reference: period.reference,
  }))));
  await insert(AnnualReportRow, context.annualReports.map((report) => ({ contractId, ...report })));
  await insert(ContractDeadlineRow, deadlines.map((deadline) => {
    const { contractId: _id, bildungsregion: _name, ...details } = deadline.data;
    return { contractId, kind: deadline.kind, deadlineId: deadline.id, on: deadline.on, details };
  }));
}
