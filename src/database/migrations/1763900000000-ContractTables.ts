import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { day, int, real, serial, str } from './columns.js';

const contractId = str('contract_id', 36);
const byContract = (table: string) => new TableIndex({ name: `idx_${table}_contract`, columnNames: ['contract_id'] });

/** Cooperation contracts of Lower Saxon Bildungsregionen and what hangs off them (programme B). */
export class ContractTables1763900000000 implements MigrationInterface {
  name = 'ContractTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contracts',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('instance_id', 36),
          str('bildungsregion', 200),
          str('land_name', 200),
          str('land_represented_by', 200),
          str('kommune_name', 200),
          str('kommune_kind', 20),
          str('steering_committee', 200),
          str('regional_office', 200),
          day('starts_on'),
          str('status', 20),
          int('review_cycle'),
          day('review_due_on'),
          day('notice_effective_on', true),
          day('terminated_on', true),
          str('created_at', 30),
          str('updated_at', 30),
        ],
        indices: [new TableIndex({ name: 'idx_contracts_instance', columnNames: ['instance_id'], isUnique: true })],
      }),
    );
    const children: { name: string; columns: object[]; indices?: TableIndex[] }[] = [
      {
        name: 'contract_admins',
        columns: [str('partner', 10), str('actor_id', 200), str('name', 200), str('email', 320), str('language', 2)],
      },
      {
        name: 'contract_written_acts',
        columns: [int('seq'), str('kind', 40), str('partner', 10), str('reference', 200), day('received_on')],
      },
      {
        name: 'contract_reviews',
        columns: [
          int('cycle'),
          day('due_on'),
          str('evaluation_reference', 200),
          day('evaluation_received_on'),
          str('decision', 20),
          day('decided_on'),
          str('reference', 200),
        ],
      },
      {
        name: 'contract_amendments',
        columns: [
          str('amendment_id', 40),
          str('title', 500),
          str('proposed_by', 10),
          day('proposed_on'),
          str('reference', 200),
          day('land_confirmed_on', true),
          day('kommune_confirmed_on', true),
          day('in_force_on', true),
        ],
      },
      {
        name: 'contract_secondments',
        columns: [str('secondment_id', 40), str('coordinator', 200), day('ended_on', true)],
      },
      {
        name: 'contract_secondment_periods',
        columns: [
          str('secondment_id', 40),
          int('seq'),
          day('from_on'),
          day('until_on'),
          real('weekly_hours'),
          real('regular_weekly_hours'),
          str('reference', 200),
        ],
      },
      {
        name: 'contract_annual_reports',
        columns: [int('n'), day('due_on'), day('received_on'), str('reference', 200)],
      },
      {
        name: 'contract_deadlines',
        columns: [str('kind', 20), str('deadline_id', 100), day('due_on'), { name: 'details', type: 'text' }],
        indices: [new TableIndex({ name: 'idx_contract_deadlines_on', columnNames: ['due_on', 'kind'] })],
      },
    ];
    for (const table of children) {
      await queryRunner.createTable(
        new Table({
          name: table.name,
          columns: [serial, contractId, ...(table.columns as never[])],
          indices: [byContract(table.name), ...(table.indices ?? [])],
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'contract_deadlines',
      'contract_annual_reports',
      'contract_secondment_periods',
      'contract_secondments',
      'contract_amendments',
      'contract_reviews',
      'contract_written_acts',
      'contract_admins',
      'contracts',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
