/**
 * The evaluation's own tables. Evaluations of events stay where the qualification keeps them (`qual_evaluations`);
 * the annual exchange's are kept here. A meeting's day, place and recipients live in its workflow instance's context,
 * the single source of truth; the table only finds the instance of a year.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One member's evaluation of an annual exchange its tandem accepted. */
@Entity('eval_exchange_evaluations')
@Index('idx_eval_exchange_evaluations_identity', ['exchangeId', 'personId'], { unique: true })
export class ExchangeEvaluationRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'exchange_id', type: 'varchar', length: 36 }) exchangeId!: string;
  @Column({ name: 'person_id', type: 'varchar', length: 36 }) personId!: string;
  /** 1 (poor) to 5 (very good), the scale of the events' evaluation. */
  @Column({ type: 'integer' }) rating!: number;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ name: 'submitted_at', type: 'varchar', length: 30 }) submittedAt!: string;
}

/** The ministry's meeting on the findings of one evaluation year: at most one per year, one workflow instance. */
@Entity('eval_meetings')
export class MeetingRow {
  @PrimaryColumn({ type: 'integer' }) year!: number;
  @Column({ name: 'instance_id', type: 'varchar', length: 36 }) instanceId!: string;
  @Column({ name: 'created_at', type: 'varchar', length: 30 }) createdAt!: string;
}

export const EVALUATION_ENTITIES = [ExchangeEvaluationRow, MeetingRow];
