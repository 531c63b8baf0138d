import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str, text, uuid } from './columns.js';

const pk = { ...uuid('id'), isPrimary: true };
const instant = (name: string, nullable = false) => str(name, 30, nullable);

/** Sign-in (signing key, local accounts, principals, API tokens) and calendar subscriptions. */
export class AuthTables1765100000000 implements MigrationInterface {
  name = 'AuthTables1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_signing_keys',
        columns: [{ ...str('id', 20), isPrimary: true }, text('private_key'), instant('created_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_accounts',
        columns: [
          pk,
          str('username', 100),
          str('password_hash', 200),
          str('role', 20),
          str('actor_id', 200),
          str('partner', 10, true),
          str('name', 200),
          instant('created_at'),
          instant('disabled_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_auth_accounts_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_principals',
        columns: [
          { ...str('role', 20), isPrimary: true },
          { ...str('actor_id', 200), isPrimary: true },
          str('partner', 10, true),
          instant('first_seen_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_api_tokens',
        columns: [
          pk,
          str('name', 100),
          str('token_hash', 64),
          str('role', 20),
          str('actor_id', 200),
          str('partner', 10, true),
          instant('created_at'),
          instant('expires_at', true),
          instant('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_auth_api_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_auth_api_tokens_actor', columnNames: ['actor_id', 'role'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'calendar_subscriptions',
        columns: [
          pk,
          str('token_hash', 64),
          str('kind', 10),
          uuid('subject_id'),
          str('owner_id', 200),
          str('owner_role', 20),
          instant('created_at'),
          instant('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_calendar_subscriptions_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_calendar_subscriptions_owner', columnNames: ['owner_id', 'owner_role'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_subscriptions',
      'auth_api_tokens',
      'auth_principals',
      'auth_accounts',
      'auth_signing_keys',
    ])
      await queryRunner.dropTable(table);
  }
}
