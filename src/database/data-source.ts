import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { LotseConfig } from '../../config/configuration.js';
import { ENTITIES, MIGRATIONS } from './schema.js';

/**
 * SQLite through better-sqlite3 (WAL, synchronous=NORMAL) unless a PostgreSQL URL is configured. Migrations run at
 * start-up; the schema is never synchronised from entities.
 */
export function dataSourceOptions(config: Pick<LotseConfig, 'databasePath' | 'databaseUrl'>): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (config.databaseUrl) return { type: 'postgres', url: config.databaseUrl, ...common };
  mkdirSync(dirname(config.databasePath), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: config.databasePath,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
    },
    ...common,
  };
}

export function createDataSource(config: Pick<LotseConfig, 'databasePath' | 'databaseUrl'>): DataSource {
  return new DataSource(dataSourceOptions(config));
}
