import { driverCode } from './storage-fault.js';

/**
 * Whether a database error is a unique constraint refusing a second row (SQLite `SQLITE_CONSTRAINT_UNIQUE`,
 * PostgreSQL 23505), optionally on a given index or column: the database's answer to "only once" rules that must
 * hold across processes.
 */
export function isUniqueViolation(error: unknown, on?: string): boolean {
  const code = driverCode(error);
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== '23505') return false;
  if (!on) return true;
  const driverError = (error as { driverError?: { constraint?: string; detail?: string; message?: string } })
    .driverError;
  const text = [driverError?.constraint, driverError?.detail, driverError?.message, (error as Error).message]
    .filter(Boolean)
    .join(' ');
  return text.includes(on);
}
