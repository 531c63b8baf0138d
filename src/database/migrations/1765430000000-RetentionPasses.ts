import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str } from './columns.js';

/** One row per calendar day the retention job ran: the day is the key, so only one process runs a day's pass. */
export class RetentionPasses1765430000000 implements MigrationInterface {
  name = 'RetentionPasses1765430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'retention_passes',
        columns: [{ ...str('day', 10), isPrimary: true }, str('claimed_at', 30)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retention_passes');
  }
}
