import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, str } from './columns.js';

/**
 * The write path of issue 12: a one-row table the storage probe writes to (a health check learns whether the
 * database takes writes), and no more `contract-sync` effects, since contract tables are now a projection written
 * in each step's own transaction (queued ones would wait forever for a handler that no longer exists).
 */
export class WritePath1764100000000 implements MigrationInterface {
  name = 'WritePath1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'storage_probe', columns: [{ ...int('id'), isPrimary: true }, str('checked_at', 30)] }),
    );
    await queryRunner.query("INSERT INTO storage_probe (id, checked_at) VALUES (1, '')");
    await queryRunner.query("DELETE FROM outbox WHERE kind = 'contract-sync' AND status <> 'sent'");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('storage_probe');
  }
}
