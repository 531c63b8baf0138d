import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { LotseConfig } from '../../config/configuration.js';
import { ENTITIES, MIGRATIONS } from './schema.js';
import { WalCheckpointer } from './wal-checkpointer.js';

type DatabaseSettings = Pick<LotseConfig, 'databasePath' | 'databaseUrl'>;

const WAL_SIZE_LIMIT = 32 * 1024 * 1024;
/** Page cache per connection, in KiB (negative: SQLite's unit for a size): 32 MiB instead of SQLite's 2 MiB, so the
 * index pages of a database with 100,000 instances stay in memory. */
const PAGE_CACHE = -32 * 1024;
const CHECKPOINT_INTERVAL_MS = 100;
/**
 * The writer checkpoints by itself only past this many WAL pages (about 200 MB; SQLite's default is 1,000). The WAL
 * starts over only when a write begins while the checkpointer has copied all of it, which happens in the first pause
 * of writes longer than one of its rounds. Under writes that never pause, only the writer's own checkpoint lets it
 * start over, and that checkpoint syncs the database file inside a COMMIT, on the event loop: about 20 ms here, for
 * every request waiting behind it. At 4,000 pages that happened every 1.5 s at 500 events/s; at 50,000, every 17 s.
 */
const WRITER_CHECKPOINT_PAGES = 50_000;

interface SqliteConnection {
  pragma(sql: string): unknown;
}

/**
 * The writing connection: SQLite through better-sqlite3 (WAL, synchronous=NORMAL) unless a PostgreSQL URL is
 * configured. Migrations run when it opens; the schema is never synchronised from entities.
 */
export function dataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;
  if (config.databaseUrl) return { type: 'postgres', url: config.databaseUrl, ...common };
  mkdirSync(dirname(config.databasePath), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: config.databasePath,
    prepareDatabase: (db: SqliteConnection) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      db.pragma(`cache_size = ${PAGE_CACHE}`);
      // After a checkpoint has emptied it, the WAL file shrinks back to this size.
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    },
    ...common,
  };
}

/**
 * The reading connection on SQLite: a second connection to the same file that can only read. In WAL mode it sees
 * the last committed state, never the writer's open transaction, so a GET cannot return what is later rolled back.
 */
export function readerOptions(config: DatabaseSettings): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: config.databasePath,
    prepareDatabase: (db: SqliteConnection) => {
      db.pragma('busy_timeout = 10000');
      db.pragma('query_only = ON');
      db.pragma(`cache_size = ${PAGE_CACHE}`);
    },
    entities: ENTITIES,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  };
}

/**
 * Opens the database: the writer first (it applies the migrations), then on SQLite a reader beside it and the WAL
 * checkpointer, which takes checkpoints off the writer's COMMITs. On PostgreSQL every statement outside a
 * transaction already reads committed data, so one pool serves both.
 */
export async function openDatabase(
  config: DatabaseSettings,
): Promise<{ writer: DataSource; reader: DataSource; checkpointer: WalCheckpointer | null }> {
  const writer = await new DataSource(dataSourceOptions(config)).initialize();
  if (config.databaseUrl) return { writer, reader: writer, checkpointer: null };
  try {
    const reader = await new DataSource(readerOptions(config)).initialize();
    let checkpointer: WalCheckpointer | null = null;
    try {
      checkpointer = await WalCheckpointer.start(config.databasePath, CHECKPOINT_INTERVAL_MS);
      (writer.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection.pragma(
        `wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`,
      );
    } catch (error) {
      // Slower, not wrong: SQLite's own checkpoints inside COMMIT remain.
      new Logger('Database').warn(
        `WAL checkpointer not started, the writer checkpoints by itself: ${(error as Error).message}`,
      );
    }
    return { writer, reader, checkpointer };
  } catch (error) {
    await writer.destroy();
    throw error;
  }
}
