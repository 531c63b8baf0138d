import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { programmeWorkflows } from '../workflows/index.js';
import { sampleDeadlineV1, sampleDeadlineV2 } from './support/sample-deadline.js';
import { startChildService, type ChildService } from './support/child-service.js';
import { as, startApp } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';
import { KOMMUNE_ADMIN, LAND_ADMIN } from './support/contract-admins.js';

const CYCLES = 4;
const SENDERS = 8;
const LAND = as('contract_admin', LAND_ADMIN.id, { partner: 'land' });
const KOMMUNE = as('contract_admin', KOMMUNE_ADMIN.id, { partner: 'kommune' });
const DISTRICT = as('district', 'officer');
const CONTRACT_TABLES = [
  'contracts',
  'contract_admins',
  'contract_written_acts',
  'contract_reviews',
  'contract_amendments',
  'contract_secondments',
  'contract_secondment_periods',
  'contract_annual_reports',
  'contract_deadlines',
];

type Kind = 'contract' | 'report' | 'instance' | 'note';

/** One client request, sent again with the same Idempotency-Key until it is answered, as a careful client would. */
interface Sent {
  kind: Kind;
  key: string;
  path: string;
  /** The caller's Authorization header. */
  caller: Record<string, string>;
  body: unknown;
  /** The contract or instance it acts on. */
  target?: string;
  answer?: { status: number; body: Record<string, unknown> };
}

/** A small deterministic generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the service killed with SIGKILL under mixed load, several times', () => {
  let workspace: string;
  let service: ChildService | undefined;

  eachTestInWorkspace(
    (dir) => (workspace = dir),
    () => service?.kill(),
  );

  it('loses no acknowledged write, applies none twice, leaves no contract workflow without its contract, and its tables equal the journal', async () => {
    const env = {
      DATABASE_PATH: join(workspace, 'lotse.sqlite'),
      OUTBOX_DIR: join(workspace, 'outbox'),
      SCHEDULER_INTERVAL_MS: '200',
    };
    const next = random(12);
    const sent: Sent[] = [];
    let serial = 0;
    let url = '';

    /** Sends once; an answer is recorded, a connection cut by the kill leaves the request unanswered. */
    const send = async (request: Sent): Promise<void> => {
      try {
        const response = await fetch(`${url}${request.path}`, {
          method: 'POST',
          body: JSON.stringify(request.body),
          headers: { 'content-type': 'application/json', ...request.caller, 'idempotency-key': request.key },
        });
        request.answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
      } catch {
        // Killed mid-request: the client does not know whether it was applied.
      }
    };
    const answered = (kind: Kind) =>
      sent.filter((s) => s.kind === kind && s.answer !== undefined && s.answer.status < 300);

    const plan = (): Sent => {
      const key = `k-${++serial}`;
      const roll = next();
      const contracts = answered('contract');
      const instances = answered('instance');
      if (roll < 0.2 || (roll < 0.5 && !contracts.length)) {
        return {
          kind: 'contract',
          key,
          path: '/contracts',
          caller: LAND,
          body: {
            bildungsregion: `Bildungsregion ${key}`,
            kommune: { name: `Landkreis ${key}`, kind: 'landkreis' },
            steeringCommittee: `Lenkungsgruppe ${key}`,
            regionalOffice: `Bildungsbüro ${key}`,
            startsOn: '2022-08-01',
            signedOn: '2022-07-10',
            reference: `MK ${key}`,
            admins: [LAND_ADMIN, KOMMUNE_ADMIN],
          },
        };
      }
      if (roll < 0.5) {
        const contract = contracts[Math.floor(next() * contracts.length)].answer!.body.id as string;
        return {
          kind: 'report',
          key,
          path: `/contracts/${contract}/annual-reports`,
          caller: KOMMUNE,
          target: contract,
          body: { receivedOn: '2025-09-01', reference: `Bericht ${key}` },
        };
      }
      if (roll < 0.7 || !instances.length) {
        return {
          kind: 'instance',
          key,
          path: '/instances',
          caller: DISTRICT,
          body: { definition: 'sample-deadline', input: { title: key, decideBy: '2099-12-01' } },
        };
      }
      const instance = instances[Math.floor(next() * instances.length)].answer!.body.id as string;
      return {
        kind: 'note',
        key,
        path: `/instances/${instance}/events`,
        caller: DISTRICT,
        target: instance,
        body: { type: 'NOTE' },
      };
    };

    const started = Date.now();
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      service = await startChildService(env);
      url = service.url;
      // The Kommune's administrator has signed in once, so the Land may name them in a contract.
      if (cycle === 1) expect((await fetch(`${url}/auth/me`, { headers: KOMMUNE })).status).toBe(200);
      // Whatever was left unanswered by the last kill is sent again under its key.
      for (const request of sent.filter((s) => !s.answer)) await send(request);
      expect(sent.filter((s) => !s.answer)).toEqual([]);
      let running = true;
      const senders = Array.from({ length: SENDERS }, async () => {
        while (running) {
          const request = plan();
          sent.push(request);
          await send(request);
        }
      });
      await sleep(600 + next() * 900);
      await service.kill();
      service = undefined;
      running = false;
      await Promise.all(senders);
    }
    // The last restart is in this process, so the checks can read the engine directly.
    const t = await startApp({ workspace, workflows: [...programmeWorkflows(), sampleDeadlineV1, sampleDeadlineV2] });
    try {
      for (const request of sent.filter((s) => !s.answer)) {
        const response = await t.http
          .post(request.path)
          .set({ ...request.caller, 'idempotency-key': request.key })
          .send(request.body as object);
        request.answer = { status: response.status, body: response.body };
      }
      const refused = sent.filter((s) => s.answer!.status >= 300);
      expect(refused.map((s) => [s.kind, s.answer!.status, s.answer!.body.rule])).toEqual([]);

      const db = t.app.get(DataSource);
      const count = async (sql: string) => Number((await db.query(sql))[0].n);
      // Every request applied exactly once: one contract per creation, one report per report, one note per note.
      const contracts = answered('contract').map((s) => s.answer!.body.id as string);
      expect(await count('SELECT COUNT(*) AS n FROM contracts')).toBe(contracts.length);
      expect(await count("SELECT COUNT(*) AS n FROM workflow_instances WHERE definition = 'contract-review'")).toBe(
        contracts.length,
      );
      for (const id of contracts) {
        const reports = answered('report').filter((s) => s.target === id).length;
        expect(await count(`SELECT COUNT(*) AS n FROM contract_annual_reports WHERE contract_id = '${id}'`)).toBe(
          reports,
        );
      }
      const instances = answered('instance').map((s) => s.answer!.body.id as string);
      expect(await count("SELECT COUNT(*) AS n FROM workflow_instances WHERE definition = 'sample-deadline'")).toBe(
        instances.length,
      );
      for (const id of instances) {
        const notes = answered('note').filter((s) => s.target === id).length;
        expect((await t.engine.get(id)).context.notes).toBe(notes);
      }
      // No orphans: every contract workflow has its contract row and the other way round.
      expect(
        await count(`SELECT COUNT(*) AS n FROM workflow_instances i LEFT JOIN contracts c ON c.instance_id = i.id
        WHERE i.definition = 'contract-review' AND c.id IS NULL`),
      ).toBe(0);
      expect(
        await count(
          'SELECT COUNT(*) AS n FROM contracts c LEFT JOIN workflow_instances i ON i.id = c.instance_id WHERE i.id IS NULL',
        ),
      ).toBe(0);

      // The journal explains every instance, and the contract tables are what it replays to.
      const dump = async () => {
        const rows: Record<string, string[]> = {};
        for (const table of CONTRACT_TABLES) {
          rows[table] = ((await db.query(`SELECT * FROM ${table}`)) as Record<string, unknown>[])
            .map(({ id, ...row }) => JSON.stringify(table === 'contracts' ? { id, ...row } : row))
            .sort();
        }
        return rows;
      };
      const stored = await dump();
      const ids: { id: string; definition: string }[] = await db.query('SELECT id, definition FROM workflow_instances');
      for (const { id } of ids) {
        const instance = await t.engine.get(id);
        const replayed = await t.engine.rebuildProjections(id);
        expect({ state: replayed.state, context: replayed.context, revision: replayed.revision }).toEqual({
          state: instance.state,
          context: instance.context,
          revision: instance.revision,
        });
      }
      expect(await dump()).toEqual(stored);
      // Timer steps happened during the load (the reviews came due), and their tables followed.
      expect(await count("SELECT COUNT(*) AS n FROM contracts WHERE status = 'review-due'")).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
    console.log(
      `crash test: ${CYCLES} kills, ${sent.length} requests (${answered('contract').length} contracts), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
