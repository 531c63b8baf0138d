import { DataSource } from 'typeorm';
import type { TestApp } from './harness.js';

/** The tables a refused correction, erasure or read could touch. */
export const PERSONAL_DATA_TABLES = [
  'qual_persons',
  'qual_tandems',
  'qual_networks',
  'qual_school_offices',
  'qual_certificates',
  'master_data_corrections',
  'pseudonymised_persons',
  'audit_log',
  'workflow_instances',
  'journal',
  'timers',
  'outbox',
  'idempotency_keys',
  'auth_accounts',
  'auth_api_tokens',
  'calendar_subscriptions',
];

/** Every row of the tables, as text: equal before and after means nothing was inserted, changed or removed. */
export async function snapshot(t: TestApp, tables = PERSONAL_DATA_TABLES): Promise<string> {
  const dataSource = t.app.get(DataSource);
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) dump[table] = await dataSource.query(`SELECT * FROM ${table} ORDER BY 1`);
  return JSON.stringify(dump);
}

/** Every text stored in the database file, for "this address is nowhere any more". */
export async function everything(t: TestApp): Promise<string> {
  const dataSource = t.app.get(DataSource);
  const tables: { name: string }[] = await dataSource.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  return snapshot(
    t,
    tables.map((row) => row.name),
  );
}
