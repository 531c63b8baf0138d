/**
 * The audit log: who did what to which record, and who read whose personal data. Append-only: Lotse has no path that
 * changes or removes a row, and the database refuses UPDATE and DELETE (triggers, see the migration).
 *
 * Rows name people by id only (person ids, actor ids) and never hold names, addresses or the values of a
 * correction: those live in the records and their correction history, which pseudonymisation can reach; the log
 * itself never needs to change.
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

const json = {
  to: (value: unknown) => JSON.stringify(value ?? {}),
  from: (value: string | null) => (value === null ? {} : JSON.parse(value)),
};
const str = (length: number, name?: string, nullable = false) =>
  Column({ ...(name ? { name } : {}), type: 'varchar', length, nullable });

@Entity('audit_log')
@Index('idx_audit_log_person', ['personId', 'at'])
@Index('idx_audit_log_actor', ['actorId', 'at'])
@Index('idx_audit_log_at', ['at'])
export class AuditRow {
  /** Increases with every row: the order in which things happened. */
  @PrimaryGeneratedColumn() id!: number;
  @str(30) at!: string;
  @str(200, 'actor_id') actorId!: string;
  @str(50, 'actor_role') actorRole!: string;
  /** What happened, e.g. `person.corrected`, `personal-data.read`, `api-token.created`. */
  @str(60) action!: string;
  /** The record acted on or read: `person`, `tandem`, `api-token`, … */
  @str(40, 'subject_type', true) subjectType!: string | null;
  @str(200, 'subject_id', true) subjectId!: string | null;
  /** The person the row is about (whose data was read or changed), when there is one. */
  @str(200, 'person_id', true) personId!: string | null;
  /** Which fields, which route, how many: never the personal data itself. */
  @Column({ type: 'text', transformer: json }) details!: Record<string, unknown>;
}

export const AUDIT_ENTITIES = [AuditRow];
