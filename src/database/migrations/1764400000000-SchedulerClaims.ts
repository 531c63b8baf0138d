import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, str } from './columns.js';

/**
 * Several Lotse processes on one database: a timer is claimed by one scheduler before it fires (`claimed_until`),
 * and each process proves at /health that it can write (`heartbeats`, one row per process).
 */
export class SchedulerClaims1764400000000 implements MigrationInterface {
  name = 'SchedulerClaims1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('timers', new TableColumn(str('claimed_until', 30, true)));
    await queryRunner.createTable(
      new Table({
        name: 'heartbeats',
        columns: [{ ...str('process', 200), isPrimary: true }, str('started_at', 30), str('seen_at', 30), int('beats')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('heartbeats');
    await queryRunner.dropColumn('timers', 'claimed_until');
  }
}
