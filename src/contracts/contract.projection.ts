import type { EntityManager } from 'typeorm';
import { LAND, type ContractContext } from '../../workflows/contract-review/contract.js';
import { deadlinesOf } from '../../workflows/contract-review/deadlines.js';
import { PROGRAMME } from '../../workflows/contract-review/reminders.js';
import type { Deadline } from '../../workflows/shared/reminders.js';
import type { ProjectedInstance, Projection } from '../engine/projection.js';
import {
  AmendmentRow,
  AnnualReportRow,
  ContractAdminRow,
  ContractDeadlineRow,
  ContractRow,
  ReviewRow,
  SecondmentPeriodRow,
  SecondmentRow,
  WrittenActRow,
  type ContractStatus,
} from './contract.entities.js';

const CHILD_TABLES = [
  ContractAdminRow,
  WrittenActRow,
  ReviewRow,
  AmendmentRow,
  SecondmentRow,
  SecondmentPeriodRow,
  AnnualReportRow,
  ContractDeadlineRow,
] as const;

export function statusOf(state: string): ContractStatus {
  if (state === 'terminated') return 'terminated';
  if (state === 'active.reviewDue') return 'review-due';
  return state === 'active.noticePeriod' ? 'notice-given' : 'active';
}

/**
 * The contract tables as a projection of each contract-review instance: the engine rewrites them in the
 * transaction of every step of the instance (its creation, a partner's act, the review's or the notice's timer),
 * so they never lag the workflow and can be rebuilt from its journal.
 */
export const contractProjection: Projection = {
  definition: PROGRAMME,
  project: (em, instance) => projectContract(em, instance),
};

/**
 * Rewrites a contract's rows from its instance's context. Rewriting rather than patching keeps the tables equal to
 * the context however often (and in whatever order) it runs.
 */
async function projectContract(em: EntityManager, instance: ProjectedInstance): Promise<void> {
  const context = instance.context as unknown as ContractContext;
  const row = Object.assign(new ContractRow(), {
    id: context.contractId,
    instanceId: instance.id,
    bildungsregion: context.bildungsregion,
    landName: LAND.name,
    landRepresentedBy: LAND.representedBy,
    kommuneName: context.kommune.name,
    kommuneKind: context.kommune.kind,
    steeringCommittee: context.steeringCommittee,
    regionalOffice: context.regionalOffice,
    startsOn: context.startsOn,
    status: statusOf(instance.state),
    reviewCycle: context.cycle,
    reviewDueOn: context.reviewDueOn,
    noticeEffectiveOn: context.notice?.effectiveOn ?? null,
    terminatedOn: context.termination?.effectiveOn ?? null,
    createdAt: instance.createdAt,
    updatedAt: instance.updatedAt,
  });
  await em.save(ContractRow, row);
  for (const table of CHILD_TABLES) await em.delete(table, { contractId: row.id });
  await insertChildren(em, row.id, context, deadlinesOf(context));
}

async function insertChildren(
  em: EntityManager,
  contractId: string,
  context: ContractContext,
  deadlines: Deadline[],
): Promise<void> {
  const insert = async <T>(entity: new () => T, rows: Partial<T>[]) => {
    if (rows.length) await em.insert(entity, rows as never);
  };
  await insert(
    ContractAdminRow,
    context.admins.map((admin) => ({
      contractId,
      partner: admin.partner,
      actorId: admin.id,
      name: admin.name,
      email: admin.email,
      language: admin.language,
    })),
  );
  await insert(
    WrittenActRow,
    context.writtenActs.map((act, index) => ({ contractId, seq: index + 1, ...act })),
  );
  await insert(
    ReviewRow,
    context.reviews.map((review) => ({
      contractId,
      cycle: review.cycle,
      dueOn: review.dueOn,
      evaluationReference: review.evaluation.reference,
      evaluationReceivedOn: review.evaluation.receivedOn,
      decision: review.decision,
      decidedOn: review.decidedOn,
      reference: review.reference,
    })),
  );
  await insert(
    AmendmentRow,
    context.amendments.map((amendment) => ({
      contractId,
      amendmentId: amendment.id,
      title: amendment.title,
      proposedBy: amendment.proposedBy,
      proposedOn: amendment.proposedOn,
      reference: amendment.reference,
      landConfirmedOn: amendment.confirmations.land ?? null,
      kommuneConfirmedOn: amendment.confirmations.kommune ?? null,
      inForceOn: amendment.inForceOn,
    })),
  );
  await insert(
    SecondmentRow,
    context.secondments.map((s) => ({
      contractId,
      secondmentId: s.id,
      coordinator: s.coordinator,
      endedOn: s.endedOn,
    })),
  );
  await insert(
    SecondmentPeriodRow,
    context.secondments.flatMap((s) =>
      s.periods.map((period, index) => ({
        contractId,
        secondmentId: s.id,
        seq: index + 1,
        fromOn: period.from,
        untilOn: period.until,
        weeklyHours: period.weeklyHours,
        regularWeeklyHours: period.regularWeeklyHours,
        reference: period.reference,
      })),
    ),
  );
  await insert(
    AnnualReportRow,
    context.annualReports.map((report) => ({ contractId, ...report })),
  );
  await insert(
    ContractDeadlineRow,
    deadlines.map((deadline) => {
      const { contractId: _id, bildungsregion: _name, ...details } = deadline.data;
      return { contractId, kind: deadline.kind, deadlineId: deadline.id, on: deadline.on, details };
    }),
  );
}
