/**
 * `npm run bench:load`: the built service under HTTP load from autocannon on 127.0.0.1, for a bounded time per run
 * (BENCH_SECONDS, default 10): reading an instance (GET /instances/{id}) and accepting an event (POST
 * /instances/{id}/events, NOTE on a submitted request). Three set-ups: embedded SQLite; PostgreSQL with one service
 * process; PostgreSQL with two processes sharing the database, the load spread over both. Each PostgreSQL set-up gets
 * its own throwaway cluster (fsync on). The service logs at info level as in production (one access line per
 * request). The run at a steady 500 requests/s comes from the fixed-rate generator (fixed-rate.ts) instead, latency
 * counted from when each request was due. Targets are printed beside the figures, never asserted.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { as, TEST_SIGNING_KEY } from '../test/support/harness.js';
import { postgresBinaries, startPostgres } from '../test/support/postgres.js';
import { fixedRate } from './fixed-rate.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INSTANCES = 300;
const CONNECTIONS = 16;
const SERVER = join(process.cwd(), 'dist/test/support/sample-server.js');
const headers = { 'content-type': 'application/json', ...as('district', 'bench') };

interface Service {
  url: string;
  child: ChildProcess;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', LOTSE_QUIET: '', AUTH_SIGNING_KEY: TEST_SIGNING_KEY, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen = '';
  let listening = false;
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      // Read until it listens; the access log that follows is read and dropped, as a log shipper would.
      if (listening) return;
      seen += chunk.toString();
      const ready = /READY (\d+)/.exec(seen);
      if (ready) {
        listening = true;
        resolve(Number(ready[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function stop(service: Service): Promise<void> {
  return new Promise((resolve) => {
    service.child.once('exit', () => resolve());
    service.child.kill('SIGTERM');
  });
}

/** Submitted requests to send events to, spread over the services. */
async function seed(services: Service[]): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < INSTANCES; n++) {
    const base = services[n % services.length].url;
    const created = await fetch(`${base}/instances`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ definition: 'sample-deadline', input: { title: `Antrag ${n}`, decideBy: '2099-03-20' } }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`${base}/instances/${id}/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'SUBMIT' }),
    });
    ids.push(id);
  }
  return ids;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

async function load(services: Service[], ids: string[], kind: 'get' | 'post'): Promise<Figures> {
  let next = 0;
  const pick = () => ids[next++ % ids.length];
  const result = await autocannon({
    // Several URLs: autocannon spreads the connections over them, as a load balancer would.
    url: services.map((service) => service.url) as unknown as string,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      kind === 'get'
        ? { method: 'GET', headers, setupRequest: (request) => ({ ...request, path: `/instances/${pick()}` }) }
        : {
            method: 'POST',
            headers,
            body: JSON.stringify({ type: 'NOTE' }),
            setupRequest: (request) => ({ ...request, path: `/instances/${pick()}/events` }),
          },
    ],
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
  };
}

/**
 * POST events at a steady 500 requests/s from the fixed-rate generator: autocannon's own rate limit lets each
 * connection send its share of a second at once and then wait, so its "500 requests/s" is a burst at full speed
 * every second, and its latencies those of the burst's queue.
 */
async function steadyPosts(service: Service, ids: string[]): Promise<Figures> {
  const rate = 500;
  const warmup = 2 * rate;
  const figures = await fixedRate({
    url: service.url,
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'NOTE' }),
    paths: Array.from({ length: warmup + SECONDS * rate }, (_, n) => `/instances/${ids[n % ids.length]}/events`),
    rate,
    warmup,
  });
  return { rps: rate, p50: round(figures.p50), p99: round(figures.p99), failed: figures.failed };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function print(title: string, figures: Figures, target = ''): void {
  const value = `${Math.round(figures.rps)} requests/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms${figures.failed ? `, ${figures.failed} failed` : ''}`;
  console.log(`  ${title.padEnd(52)} ${value.padEnd(52)} ${target}`);
}

async function withServices<T>(
  count: number,
  env: Record<string, string>,
  work: (services: Service[]) => Promise<T>,
): Promise<T> {
  const services: Service[] = [];
  try {
    // One after another: the first applies the migrations.
    for (let n = 0; n < count; n++) services.push(await startService(env));
    return await work(services);
  } finally {
    await Promise.all(services.map(stop));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lotse-load-'));
try {
  console.log(
    `\nHTTP load on 127.0.0.1, ${CONNECTIONS} connections, ${SECONDS} s per run (autocannon); service logging at info`,
  );
  console.log('\nSQLite (file, WAL, synchronous=NORMAL), one process');
  await withServices(
    1,
    { DATABASE_PATH: join(dir, 'lotse.sqlite'), OUTBOX_DIR: join(dir, 'outbox') },
    async (services) => {
      const ids = await seed(services);
      print('GET /instances/{id}, as fast as it goes', await load(services, ids, 'get'));
      print('POST /instances/{id}/events, as fast as it goes', await load(services, ids, 'post'));
      const paced = await steadyPosts(services[0], ids);
      print(
        'POST /instances/{id}/events, steady 500 requests/s',
        paced,
        `target: p99 < 20 ms at 500 requests/s (${paced.p99 < 20 && !paced.failed ? 'met' : 'not met'})`,
      );
    },
  );

  const bin = postgresBinaries();
  if (!bin) {
    console.log('\nPostgreSQL is not installed here: the PostgreSQL figures are skipped (apt-get install postgresql)');
  } else {
    const pgFigures: Record<number, { get: Figures; post: Figures }> = {};
    for (const count of [1, 2]) {
      console.log(
        `\nPostgreSQL (throwaway cluster, fsync on), ${count} process${count > 1 ? 'es sharing the database, load spread over both' : ''}`,
      );
      const cluster = await startPostgres(bin, { durable: true });
      try {
        const env = { DATABASE_URL: await cluster.createDatabase(), OUTBOX_DIR: join(dir, 'outbox') };
        pgFigures[count] = await withServices(count, env, async (services) => {
          const ids = await seed(services);
          const get = await load(services, ids, 'get');
          print('GET /instances/{id}, as fast as it goes', get);
          const post = await load(services, ids, 'post');
          print('POST /instances/{id}/events, as fast as it goes', post);
          return { get, post };
        });
      } finally {
        cluster.stop();
      }
    }
    const ratio = (kind: 'get' | 'post') => pgFigures[2][kind].rps / pgFigures[1][kind].rps;
    console.log('\nTwo processes over one on PostgreSQL (requests/s)');
    for (const kind of ['get', 'post'] as const) {
      console.log(
        `  ${(kind === 'get' ? 'GET /instances/{id}' : 'POST /instances/{id}/events').padEnd(52)} ${ratio(kind).toFixed(2).padEnd(52)} target: >= 1.5 (${ratio(kind) >= 1.5 ? 'met' : 'not met'})`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
