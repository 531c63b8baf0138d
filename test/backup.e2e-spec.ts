import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startChildService, type ChildService } from './support/child-service.js';
import { as, makeWorkspace, removeWorkspace } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';
import { postgresBinaries, startPostgres, type TestPostgres } from './support/postgres.js';

/**
 * The backups and restores that README "Running in production" documents, tried on a running service: the copy is
 * restored, the service started on it, and the data is there.
 */
const headers = { 'content-type': 'application/json', ...as('district', 'officer-7') };
const BACKUP = join(process.cwd(), 'dist/src/backup.js');
const INSTANCES = 25;

async function post(service: ChildService, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${service.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect(response.status).toBeLessThan(300);
  return response.json() as Promise<{ id: string }>;
}

/** Instances with a submitted request each (snapshot, journal, timers), and the journal length of each. */
async function fill(service: ChildService): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  for (let n = 0; n < INSTANCES; n++) {
    const { id } = await post(service, '/instances', {
      definition: 'sample-deadline',
      input: { title: `Antrag ${n}`, decideBy: '2099-03-20' },
    });
    await post(service, `/instances/${id}/events`, { type: 'SUBMIT' });
    written.set(id, 2);
  }
  return written;
}

/** Keeps writing events to the service until stopped: the backup is taken from a database in use. */
function keepWriting(service: ChildService, ids: string[]): { stop: () => Promise<number> } {
  let running = true;
  let written = 0;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      await post(service, `/instances/${ids[n % ids.length]}/events`, { type: 'NOTE' });
      written++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return written;
    },
  };
}

/** What the restored service shows: every instance submitted, with its deadlines, and a journal at least as long as before the backup. */
async function expectRestored(service: ChildService, before: Map<string, number>): Promise<void> {
  for (const [id, journalLength] of before) {
    const instance = (await (await fetch(`${service.url}/instances/${id}`, { headers })).json()) as {
      state: string;
      pendingTimers: { key: string }[];
    };
    expect(instance.state).toBe('submitted');
    expect(instance.pendingTimers.map((timer) => timer.key)).toEqual(['decision-reminder', 'decision']);
    const journal = (await (await fetch(`${service.url}/instances/${id}/journal`, { headers })).json()) as unknown[];
    expect(journal.length).toBeGreaterThanOrEqual(journalLength);
  }
  const listed = (await (
    await fetch(`${service.url}/instances?definition=sample-deadline&pageSize=500`, { headers })
  ).json()) as { total: number };
  expect(listed.total).toBe(before.size);
}

describe('SQLite: online backup and restore', () => {
  let workspace: string;
  let service: ChildService | undefined;

  eachTestInWorkspace(
    (dir) => (workspace = dir),
    () => service?.kill(),
  );

  it('backs up the live database with `npm run backup`, restores the copy and the service finds everything', async () => {
    const live = join(workspace, 'live', 'lotse.sqlite');
    service = await startChildService({ DATABASE_PATH: live, OUTBOX_DIR: join(workspace, 'outbox') });
    const before = await fill(service);
    const writer = keepWriting(service, [...before.keys()]);

    // The documented command, while requests keep writing: `DATABASE_PATH=… npm run backup -- <file>`.
    mkdirSync(join(workspace, 'backups'));
    const file = join(workspace, 'backups', 'lotse-2026-03-12.sqlite');
    const backup = spawnSync('npm', ['run', '--silent', 'backup', '--', file], {
      env: { ...process.env, DATABASE_PATH: live },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const notes = await writer.stop();
    expect({ status: backup.status, stderr: backup.stderr }).toMatchObject({ status: 0 });
    expect(backup.stdout).toMatch(
      new RegExp(`written to .*lotse-2026-03-12\\.sqlite: \\d+ pages, integrity ok, ${INSTANCES} workflow instances`),
    );
    expect(notes).toBeGreaterThan(0);
    expect(readdirSync(join(workspace, 'backups'))).toEqual(['lotse-2026-03-12.sqlite']);
    // A second backup to the same name is refused rather than overwriting the first.
    expect(
      spawnSync(process.execPath, [BACKUP, file], { env: { ...process.env, DATABASE_PATH: live }, encoding: 'utf8' })
        .status,
    ).toBe(73);
    await service.kill();

    // The documented restore: the service stopped, the copy put in place, stale WAL files of a former database removed.
    const restored = join(workspace, 'restored', 'lotse.sqlite');
    mkdirSync(join(workspace, 'restored'));
    execFileSync('sh', ['-c', `cp "${file}" "${restored}" && rm -f "${restored}-wal" "${restored}-shm"`]);
    service = await startChildService({ DATABASE_PATH: restored, OUTBOX_DIR: join(workspace, 'outbox') });
    await expectRestored(service, before);
    // The restored database takes writes again.
    await post(service, `/instances/${[...before.keys()][0]}/events`, { type: 'APPROVE' });
  });
});

const bin = postgresBinaries();
if (!bin && process.env.LOTSE_REQUIRE_POSTGRES)
  throw new Error('PostgreSQL server binaries are required (LOTSE_REQUIRE_POSTGRES) but not installed');
const describeWithPostgres = bin ? describe : describe.skip;

describeWithPostgres('PostgreSQL: pg_dump and pg_restore', () => {
  let server: TestPostgres;
  let workspace: string;
  let service: ChildService | undefined;

  beforeAll(async () => {
    server = await startPostgres(bin!);
  }, 120_000);

  afterAll(() => server?.stop());

  afterEach(async () => {
    await service?.kill();
    service = undefined;
    removeWorkspace(workspace);
  });

  it('dumps the live database, restores the dump into a new database and the service finds everything', async () => {
    workspace = makeWorkspace();
    const live = await server.createDatabase();
    service = await startChildService({ DATABASE_URL: live, OUTBOX_DIR: join(workspace, 'outbox') });
    const before = await fill(service);
    const writer = keepWriting(service, [...before.keys()]);
    const dump = join(workspace, 'lotse.dump');
    execFileSync(join(bin!, 'pg_dump'), ['--format=custom', `--file=${dump}`, live]);
    await writer.stop();
    await service.kill();
    expect(existsSync(dump)).toBe(true);

    const copy = await server.createDatabase();
    execFileSync(join(bin!, 'pg_restore'), ['--no-owner', `--dbname=${copy}`, dump]);
    service = await startChildService({ DATABASE_URL: copy, OUTBOX_DIR: join(workspace, 'outbox') });
    await expectRestored(service, before);
  });
});
