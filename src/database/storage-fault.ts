/**
 * Which database errors mean "the storage cannot take writes right now" (a full disk, a read-only file, an I/O
 * error, a lost connection) rather than "this request is wrong". A request that meets one is answered 503 and can be
 * retried once the fault clears; nothing of it was stored.
 */

/** SQLite result codes (better-sqlite3 names them `SQLITE_…`, extended codes add a suffix such as `_WRITE`). */
const SQLITE_FAULTS = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_BUSY',
  'SQLITE_NOMEM',
  'SQLITE_PROTOCOL',
];

/**
 * PostgreSQL SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources (53100 disk full),
 * 57P01–57P03 shutdown or cannot connect now, 58 system error (I/O), 25006 read-only transaction, 40001/40P01 are
 * not faults (the optimistic lock handles them).
 */
const POSTGRES_FAULT = /^(08|53|58|57P0[1-3]$|25006$)/;

/** Node socket errors when the PostgreSQL server is gone. */
const SOCKET_FAULTS = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'];

/** The driver's code of an error, unwrapping TypeORM's QueryFailedError. */
export function driverCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isStorageFault(error: unknown): boolean {
  const code = driverCode(error);
  if (!code) return error instanceof Error && /Connection terminated|connection timeout/i.test(error.message);
  if (code.startsWith('SQLITE_')) return SQLITE_FAULTS.some((fault) => code === fault || code.startsWith(`${fault}_`));
  return POSTGRES_FAULT.test(code) || SOCKET_FAULTS.includes(code);
}
