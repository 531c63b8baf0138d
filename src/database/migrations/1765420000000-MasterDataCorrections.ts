import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { serial, str, text, uuid } from './columns.js';

/** The correction history of persons, tandems, Schulämter and networks; which persons are pseudonymised. */
export class MasterDataCorrections1765420000000 implements MigrationInterface {
  name = 'MasterDataCorrections1765420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'master_data_corrections',
        columns: [
          serial,
          str('record_type', 20),
          uuid('record_id'),
          str('at', 30),
          str('actor_id', 200),
          str('actor_role', 50),
          text('changes'),
          text('note', true),
        ],
        indices: [
          new TableIndex({
            name: 'idx_master_data_corrections_record',
            columnNames: ['record_type', 'record_id', 'id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pseudonymised_persons',
        columns: [
          { ...uuid('person_id'), isPrimary: true },
          str('at', 30),
          str('actor_id', 200),
          str('actor_role', 50),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pseudonymised_persons');
    await queryRunner.dropTable('master_data_corrections');
  }
}
