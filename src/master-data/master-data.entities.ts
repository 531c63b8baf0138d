/**
 * The correction history of master data: every correction of a person, tandem, Schulamt or network, with who made
 * it, when, and each field's value before and after. Pseudonymising a person rewrites the values in its rows (the
 * history must not keep what erasure removes); who corrected what and when stays.
 */
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

const json = {
  to: (value: unknown) => JSON.stringify(value ?? {}),
  from: (value: string | null) => (value === null ? {} : JSON.parse(value)),
};
const str = (length: number, name?: string, nullable = false) =>
  Column({ ...(name ? { name } : {}), type: 'varchar', length, nullable });

export const RECORD_TYPES = ['person', 'tandem', 'school-office', 'network'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** One field's value before and after a correction. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

@Entity('master_data_corrections')
@Index('idx_master_data_corrections_record', ['recordType', 'recordId', 'id'])
export class CorrectionRow {
  /** Increases with every correction: their order, also within one instant. */
  @PrimaryGeneratedColumn() id!: number;
  @str(20, 'record_type') recordType!: RecordType;
  @str(36, 'record_id') recordId!: string;
  @str(30) at!: string;
  @str(200, 'actor_id') actorId!: string;
  @str(50, 'actor_role') actorRole!: string;
  @Column({ type: 'text', transformer: json }) changes!: Changes;
  /** Why, in the corrector's words (optional). */
  @Column({ type: 'text', nullable: true }) note!: string | null;
}

/**
 * A person whose name and address were replaced by a pseudonym (DSGVO Art. 17, where a record must stay): the
 * person row and its copies keep the id and nothing that names or reaches the person.
 */
@Entity('pseudonymised_persons')
export class PseudonymisedPersonRow {
  @PrimaryColumn({ name: 'person_id', type: 'varchar', length: 36 }) personId!: string;
  @str(30) at!: string;
  @str(200, 'actor_id') actorId!: string;
  @str(50, 'actor_role') actorRole!: string;
}

/** A day's pass of the retention job, claimed by the process that runs it (the day is the key). */
@Entity('retention_passes')
export class RetentionPassRow {
  @PrimaryColumn({ type: 'varchar', length: 10 }) day!: string;
  @str(30, 'claimed_at') claimedAt!: string;
}

export const MASTER_DATA_ENTITIES = [CorrectionRow, PseudonymisedPersonRow, RetentionPassRow];
