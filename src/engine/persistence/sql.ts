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

const statements = new WeakMap<Database, Map<string, Statement>>();

/** A statement prepared once per connection. */
function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/**
 * On SQLite the statements go straight to the driver's connection as cached prepared statements (no ORM query
 * wrapper: the engine's hot path). The caller chooses the connection: a transaction's manager for writes, the reading
 * data source for reads.
 */
function sqlite(db: Database): Sql {
  return {
    run: async (sql, parameters) => prepared(db, sql).run(...parameters).changes,
    insert: async (sql, parameters) => Number(prepared(db, sql).run(...parameters).lastInsertRowid),
    all: async <T>(sql: string, parameters: unknown[]) => prepared(db, sql).all(...parameters) as T[],
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

/** The statements that open and end transactions and savepoints, prepared once per connection. */
export type Control =
  'BEGIN' | 'BEGIN IMMEDIATE' | 'COMMIT' | 'ROLLBACK' | 'SAVEPOINT work' | 'RELEASE work' | 'ROLLBACK TO work';

export function control(db: Database, sql: Control): void {
  prepared(db, sql).run();
}

/** The writer connections whose open transaction is a read window (see `sqlOf`), not a write. */
const readWindows = new WeakSet<Database>();

/** Ends the read window on the writing connection, if one is open; a write transaction must not begin inside it. */
export function endReadWindow(db: Database): void {
  if (!readWindows.delete(db) || !db.open || !db.inTransaction) return;
  try {
    control(db, 'COMMIT');
  } catch {
    // Ending a transaction that only read gives nothing up; a write that finds it still open fails loudly.
    if (db.inTransaction) control(db, 'ROLLBACK');
  }
}

/**
 * Reads outside any transaction; they see committed data only. On SQLite a read runs on the writing connection when
 * no write transaction is open there (its page cache is warm), else on the reading connection. Reads on the writing
 * connection share one read transaction until the end of the event-loop turn or until a write begins, whichever
 * comes first: SQLite's locks for a read of its own cost more than most reads (8 µs against 1.5), and reads come in
 * runs (the callers of a shared commit each reading for their next step).
 */
export function sqlOf(connections: DatabaseConnections): Pick<Sql, 'all'> {
  const source = connections.reader;
  if (isSqlite(source)) {
    const writing = connectionOf(connections.writer);
    const writer = sqlite(writing);
    const reader = sqlite(connectionOf(source));
    return {
      all: <T>(sql: string, parameters: unknown[]) => {
        if (!readWindows.has(writing)) {
          if (writing.inTransaction) return reader.all<T>(sql, parameters);
          control(writing, 'BEGIN');
          readWindows.add(writing);
          setImmediate(() => endReadWindow(writing));
        }
        return writer.all<T>(sql, parameters);
      },
    };
  }
  return {
    all: <T>(sql: string, parameters: unknown[]) => source.query<T[]>(numbered(sql), parameters),
  };
}
