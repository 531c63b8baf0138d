import type { Database, Statement } from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConnections } from '../../database/database.module.js';

/** Plain parameterised SQL with `?` placeholders, for the statements the engine runs on every step and read. */
export interface Sql {
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, parameters: unknown[]): Promise<number>;
  /** Runs an INSERT of one row into a table keyed by a generated `id`; returns that id. */
  insert(sql: string, parameters: unknown[]): Promise<number>;
  all<T>(sql: string, parameters: unknown[]): Promise<T[]>;
}

const prepared = new WeakMap<Database, Map<string, Statement>>();

/**
 * On SQLite the statements go straight to the driver's connection as cached prepared statements (no ORM query
 * wrapper: the engine's hot path). The caller chooses the connection: a transaction's manager for writes, the reading
 * data source for reads.
 */
function sqlite(db: Database): Sql {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  const statement = (sql: string) => {
    let found = cache.get(sql);
    if (!found) cache.set(sql, (found = db.prepare(sql)));
    return found;
  };
  return {
    run: async (sql, parameters) => statement(sql).run(...parameters).changes,
    insert: async (sql, parameters) => Number(statement(sql).run(...parameters).lastInsertRowid),
    all: async <T>(sql: string, parameters: unknown[]) => statement(sql).all(...parameters) as T[],
  };
}

/** `?` placeholders become `$1, $2, …` on PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function isSqlite(source: DataSource): boolean {
  return source.options.type === 'better-sqlite3';
}

function connectionOf(source: DataSource): Database {
  return (source.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

/** The statements of one transaction. */
export function sqlIn(em: EntityManager): Sql {
  if (isSqlite(em.connection)) return sqlite(connectionOf(em.connection));
  const runner = em.queryRunner!;
  return {
    run: async (sql, parameters) => (await runner.query(numbered(sql), parameters, true)).affected ?? 0,
    insert: async (sql, parameters) =>
      Number((await runner.query(`${numbered(sql)} RETURNING id`, parameters, true)).records[0].id),
    all: async <T>(sql: string, parameters: unknown[]) =>
      (await runner.query(numbered(sql), parameters, true)).records as T[],
  };
}

/**
 * Reads outside any transaction. On SQLite a statement runs on the writing connection when no write transaction is
 * open there at that moment (better-sqlite3 runs it synchronously, so none can open meanwhile; its page cache is
 * warm), else on the reading connection; either way it sees committed data only.
 */
export function sqlOf(connections: DatabaseConnections): Pick<Sql, 'all'> {
  const source = connections.reader;
  if (isSqlite(source)) {
    const writer = sqlite(connectionOf(connections.writer));
    const reader = sqlite(connectionOf(source));
    const idle = () => !connectionOf(connections.writer).inTransaction;
    return {
      all: <T>(sql: string, parameters: unknown[]) => (idle() ? writer : reader).all<T>(sql, parameters),
    };
  }
  return {
    all: <T>(sql: string, parameters: unknown[]) => source.query<T[]>(numbered(sql), parameters),
  };
}
