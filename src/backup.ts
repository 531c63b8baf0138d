/**
 * `npm run backup -- <file>` (or `node dist/src/backup.js <file>`): an online backup of the embedded SQLite database
 * while the service keeps running, through SQLite's backup API (better-sqlite3 `db.backup()`). The copy is one
 * consistent snapshot: every transaction committed before it started, none after. It is written next to the target
 * and renamed when complete and checked, so a file at the target path is always a whole backup.
 * For PostgreSQL, use pg_dump (README, "Running in production").
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config/configuration.js';

function fail(message: string, code: number): never {
  process.stderr.write(`backup: ${message}\n`);
  process.exit(code);
}

const target = process.argv[2];
if (!target) fail('usage: npm run backup -- <backup file>   (the database is the one DATABASE_PATH names)', 64);
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 78);
  throw error;
}
if (config.databaseUrl)
  fail('DATABASE_URL is set: back up PostgreSQL with pg_dump (see README, "Running in production")', 64);
if (!existsSync(config.databasePath)) fail(`no database at ${config.databasePath}`, 66);
if (existsSync(target)) fail(`${target} exists already; choose a new file name`, 73);

const partial = `${target}.partial`;
const source = new Database(config.databasePath, { readonly: true, fileMustExist: true });
try {
  // All pages in one step: one read transaction, so concurrent writes neither restart nor tear the copy.
  const { totalPages } = await source.backup(partial, { progress: ({ totalPages: pages }) => pages });
  // The copy inherits write-ahead logging; a backup is one self-contained file (the service turns WAL on again).
  const copy = new Database(partial);
  copy.pragma('journal_mode = DELETE');
  const integrity = copy.pragma('integrity_check', { simple: true });
  const instances = (copy.prepare('SELECT COUNT(*) AS n FROM workflow_instances').get() as { n: number }).n;
  copy.close();
  if (integrity !== 'ok')
    fail(`the copy failed its integrity check (${String(integrity)}); ${partial} is kept for inspection`, 74);
  renameSync(partial, target);
  console.log(
    `backup of ${config.databasePath} written to ${target}: ${totalPages} pages, integrity ok, ${instances} workflow instances`,
  );
} catch (error) {
  rmSync(partial, { force: true });
  fail((error as Error).message, 74);
} finally {
  source.close();
}
