/**
 * A fixed-rate HTTP load generator in a process of its own, so that its garbage collection neither shows up as
 * server latency nor takes the server's CPU at the same moments (in the benchmark's own process, holding 100,000 ids,
 * its scavenges took 40–60 ms and every one of them appeared as a stall of the service). Sends one request every
 * 1000/rate ms over keep-alive connections; latency counts from when each request was due, so a late sender does not
 * hide a slow server. The first `warmup` requests go out at the same rate but are not counted: the first second at a
 * rate (the generator's own start, the service's compiler settling on the concurrent path) showed stalls that the
 * sequential warm-up before did not remove. Started by `fixedRate()`; the requests' paths come in over IPC.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface FixedRateRun {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** One path per request, sent in this order. */
  paths: string[];
  /** How many of the first paths are sent at the rate without being counted. */
  warmup: number;
  rate: number;
}

export interface FixedRateResult {
  p50: number;
  p99: number;
  failed: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function send(run: FixedRateRun, agent: Agent, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sent = request(`${run.url}${path}`, { method: run.method, headers: run.headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode! >= 200 && response.statusCode! < 300));
    });
    sent.on('error', () => resolve(false));
    sent.end(run.body);
  });
}

async function generate(run: FixedRateRun): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = new Float64Array(run.paths.length - run.warmup);
  let failed = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n < run.paths.length; n++) {
    const due = start + (n * 1000) / run.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      send(run, agent, run.paths[n]).then((ok) => {
        if (n < run.warmup) return;
        if (!ok) failed++;
        latencies[n - run.warmup] = performance.now() - due;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), failed };
}

/** Runs `run` in a fresh load-generator process and returns its figures. */
export function fixedRate(run: FixedRateRun): Promise<FixedRateResult> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (result: FixedRateResult) => resolve(result));
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(run);
  });
}

if (process.send) {
  process.once('message', (run: FixedRateRun) => {
    void generate(run).then((result) => process.send!(result, () => process.exit(0)));
  });
}
