import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The contract tables: a queryable copy of each contract's workflow instance (whose context is the record of truth),
 * rewritten after every accepted event. Calendar days are `YYYY-MM-DD` (varchar 10), instants ISO strings.
 */

/** `review-due`: the review's due day has passed without a decision. */
export type ContractStatus = 'active' | 'review-due' | 'notice-given' | 'terminated';

@Entity('contracts')
export class ContractRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_contracts_instance', { unique: true })
  @Column({ name: 'instance_id', type: 'varchar', length: 36 })
  instanceId!: string;

  @Column({ type: 'varchar', length: 200 })
  bildungsregion!: string;

  @Column({ name: 'land_name', type: 'varchar', length: 200 })
  landName!: string;

  @Column({ name: 'land_represented_by', type: 'varchar', length: 200 })
  landRepresentedBy!: string;

  @Column({ name: 'kommune_name', type: 'varchar', length: 200 })
  kommuneName!: string;

  /** landkreis, kreisfreie_stadt or verbund. */
  @Column({ name: 'kommune_kind', type: 'varchar', length: 20 })
  kommuneKind!: string;

  @Column({ name: 'steering_committee', type: 'varchar', length: 200 })
  steeringCommittee!: string;

  @Column({ name: 'regional_office', type: 'varchar', length: 200 })
  regionalOffice!: string;

  @Column({ name: 'starts_on', type: 'varchar', length: 10 })
  startsOn!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: ContractStatus;

  @Column({ name: 'review_cycle', type: 'integer' })
  reviewCycle!: number;

  @Column({ name: 'review_due_on', type: 'varchar', length: 10 })
  reviewDueOn!: string;

  @Column({ name: 'notice_effective_on', type: 'varchar', length: 10, nullable: true })
  noticeEffectiveOn!: string | null;

  @Column({ name: 'terminated_on', type: 'varchar', length: 10, nullable: true })
  terminatedOn!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}

/** The people who manage the contract for the Land or the Kommune; they receive its reminders. */
@Entity('contract_admins')
export class ContractAdminRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_admins_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'varchar', length: 10 })
  partner!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 200 })
  actorId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 2 })
  language!: string;
}

/** Every written act: the contract, evaluations, decisions, notices, confirmations, reports, secondments. */
@Entity('contract_written_acts')
export class WrittenActRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_written_acts_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  /** Order in which the acts were recorded. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'varchar', length: 10 })
  partner!: string;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;

  @Column({ name: 'received_on', type: 'varchar', length: 10 })
  receivedOn!: string;
}

@Entity('contract_reviews')
export class ReviewRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_reviews_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'integer' })
  cycle!: number;

  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  dueOn!: string;

  @Column({ name: 'evaluation_reference', type: 'varchar', length: 200 })
  evaluationReference!: string;

  @Column({ name: 'evaluation_received_on', type: 'varchar', length: 10 })
  evaluationReceivedOn!: string;

  @Column({ type: 'varchar', length: 20 })
  decision!: string;

  @Column({ name: 'decided_on', type: 'varchar', length: 10 })
  decidedOn!: string;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;
}

@Entity('contract_amendments')
export class AmendmentRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_amendments_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'amendment_id', type: 'varchar', length: 40 })
  amendmentId!: string;

  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Column({ name: 'proposed_by', type: 'varchar', length: 10 })
  proposedBy!: string;

  @Column({ name: 'proposed_on', type: 'varchar', length: 10 })
  proposedOn!: string;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;

  @Column({ name: 'land_confirmed_on', type: 'varchar', length: 10, nullable: true })
  landConfirmedOn!: string | null;

  @Column({ name: 'kommune_confirmed_on', type: 'varchar', length: 10, nullable: true })
  kommuneConfirmedOn!: string | null;

  @Column({ name: 'in_force_on', type: 'varchar', length: 10, nullable: true })
  inForceOn!: string | null;
}

/** One seconded education coordinator; each extension adds a period. */
@Entity('contract_secondments')
export class SecondmentRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_secondments_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'secondment_id', type: 'varchar', length: 40 })
  secondmentId!: string;

  @Column({ type: 'varchar', length: 200 })
  coordinator!: string;

  @Column({ name: 'ended_on', type: 'varchar', length: 10, nullable: true })
  endedOn!: string | null;
}

@Entity('contract_secondment_periods')
export class SecondmentPeriodRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_secondment_periods_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'secondment_id', type: 'varchar', length: 40 })
  secondmentId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'from_on', type: 'varchar', length: 10 })
  fromOn!: string;

  @Column({ name: 'until_on', type: 'varchar', length: 10 })
  untilOn!: string;

  @Column({ name: 'weekly_hours', type: 'real' })
  weeklyHours!: number;

  @Column({ name: 'regular_weekly_hours', type: 'real' })
  regularWeeklyHours!: number;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;
}

@Entity('contract_annual_reports')
export class AnnualReportRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_annual_reports_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'integer' })
  n!: number;

  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  dueOn!: string;

  @Column({ name: 'received_on', type: 'varchar', length: 10 })
  receivedOn!: string;

  @Column({ type: 'varchar', length: 200 })
  reference!: string;
}

/** The open deadlines of each contract, so the statewide overview is one sorted query. */
@Entity('contract_deadlines')
@Index('idx_contract_deadlines_on', ['on', 'kind'])
export class ContractDeadlineRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('idx_contract_deadlines_contract')
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ name: 'deadline_id', type: 'varchar', length: 100 })
  deadlineId!: string;

  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  on!: string;

  @Column({
    type: 'text',
    transformer: { to: (value: unknown) => JSON.stringify(value ?? {}), from: (value: string) => JSON.parse(value) },
  })
  details!: Record<string, unknown>;
}

export const CONTRACT_ENTITIES = [
  ContractRow,
  ContractAdminRow,
  WrittenActRow,
  ReviewRow,
  AmendmentRow,
  SecondmentRow,
  SecondmentPeriodRow,
  AnnualReportRow,
  ContractDeadlineRow,
];
