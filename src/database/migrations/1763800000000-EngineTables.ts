import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, serial, str, text } from './columns.js';

/** The engine's tables: instances, journal, timers, outbox, idempotency keys. Portable across SQLite and PostgreSQL. */
export class EngineTables1763800000000 implements MigrationInterface {
  name = 'EngineTables1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'workflow_instances',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('definition', 100),
          int('definition_version'),
          str('state', 500),
          str('status', 20),
          text('snapshot'),
          text('context'),
          str('timer_digest', 64),
          int('version'),
          str('created_at', 30),
          str('updated_at', 30),
        ],
        indices: [
          new TableIndex({
            name: 'idx_instances_definition_state',
            columnNames: ['definition', 'definition_version', 'state'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'journal',
        columns: [
          serial,
          str('instance_id', 36),
          int('seq'),
          str('at', 30),
          str('actor_id', 200),
          str('actor_role', 50),
          str('event_type', 100),
          text('payload'),
          str('state_before', 500, true),
          str('state_after', 500),
        ],
        indices: [
          new TableIndex({ name: 'idx_journal_instance_seq', columnNames: ['instance_id', 'seq'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'timers',
        columns: [
          serial,
          str('instance_id', 36),
          str('key', 200),
          str('due_at', 30),
          str('status', 10),
          text('event', true),
          text('effect', true),
          str('fired_at', 30, true),
        ],
        indices: [
          new TableIndex({
            name: 'idx_timers_identity',
            columnNames: ['instance_id', 'key', 'due_at'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_timers_due', columnNames: ['status', 'due_at'] }),
          new TableIndex({ name: 'idx_timers_instance', columnNames: ['instance_id', 'status', 'due_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          serial,
          { ...str('key', 300), isUnique: true },
          str('instance_id', 36, true),
          str('kind', 50),
          text('payload'),
          str('status', 10),
          int('attempts'),
          str('next_attempt_at', 30),
          text('last_error', true),
          str('created_at', 30),
          str('sent_at', 30, true),
        ],
        indices: [new TableIndex({ name: 'idx_outbox_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...str('key', 200), isPrimary: true },
          str('request_hash', 64),
          text('response'),
          str('created_at', 30),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'outbox', 'timers', 'journal', 'workflow_instances']) {
      await queryRunner.dropTable(table);
    }
  }
}
