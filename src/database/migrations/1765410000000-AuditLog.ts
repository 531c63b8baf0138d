import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { serial, str, text } from './columns.js';

const REFUSAL = 'audit_log is append-only: rows are never changed or removed';

/**
 * The audit log, and the database's refusal to change or remove its rows: on SQLite triggers that raise, on
 * PostgreSQL a trigger function for UPDATE and DELETE (each row) and TRUNCATE (each statement).
 */
export class AuditLog1765410000000 implements MigrationInterface {
  name = 'AuditLog1765410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          serial,
          str('at', 30),
          str('actor_id', 200),
          str('actor_role', 50),
          str('action', 60),
          str('subject_type', 40, true),
          str('subject_id', 200, true),
          str('person_id', 200, true),
          text('details'),
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_log_person', columnNames: ['person_id', 'at'] }),
          new TableIndex({ name: 'idx_audit_log_actor', columnNames: ['actor_id', 'at'] }),
          new TableIndex({ name: 'idx_audit_log_at', columnNames: ['at'] }),
        ],
      }),
    );
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '${REFUSAL} (% refused)', TG_OP; END $$`);
      await queryRunner.query(
        'CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
      );
      await queryRunner.query(
        'CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()',
      );
    } else {
      for (const operation of ['UPDATE', 'DELETE']) {
        await queryRunner.query(`CREATE TRIGGER audit_log_no_${operation.toLowerCase()} BEFORE ${operation} ON audit_log
          BEGIN SELECT RAISE(ABORT, '${REFUSAL} (${operation} refused)'); END`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP TRIGGER audit_log_no_truncate ON audit_log');
      await queryRunner.query('DROP TRIGGER audit_log_no_change ON audit_log');
      await queryRunner.query('DROP FUNCTION audit_log_append_only()');
    } else {
      await queryRunner.query('DROP TRIGGER audit_log_no_delete');
      await queryRunner.query('DROP TRIGGER audit_log_no_update');
    }
    await queryRunner.dropTable('audit_log');
  }
}
