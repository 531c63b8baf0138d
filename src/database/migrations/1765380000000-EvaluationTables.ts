import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, str, text, uuid } from './columns.js';

/**
 * The annual exchange's evaluations (one per member of a tandem that accepted) and the ministry's yearly meetings on
 * the evaluation findings (one workflow instance per evaluation year).
 */
export class EvaluationTables1765380000000 implements MigrationInterface {
  name = 'EvaluationTables1765380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'eval_exchange_evaluations',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('exchange_id'),
          uuid('person_id'),
          int('rating'),
          text('comment', true),
          str('submitted_at', 30),
        ],
        indices: [
          new TableIndex({
            name: 'idx_eval_exchange_evaluations_identity',
            columnNames: ['exchange_id', 'person_id'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'eval_meetings',
        columns: [{ ...int('year'), isPrimary: true }, uuid('instance_id'), str('created_at', 30)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('eval_meetings');
    await queryRunner.dropTable('eval_exchange_evaluations');
  }
}
