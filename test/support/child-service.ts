import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_SIGNING_KEY } from './harness.js';

const SERVER = join(process.cwd(), 'dist/test/support/sample-server.js');
/** The service with both programmes and their own messages, as `npm start` runs it. */
export const PROGRAMME_SERVER = join(process.cwd(), 'dist/test/support/programme-server.js');

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** Everything the service wrote to standard output so far (its JSON log lines, unless LOTSE_QUIET). */
  stdout(): string;
  /** SIGKILL: no shutdown hooks, no flushing. */
  kill(): Promise<void>;
}

/**
 * Starts a compiled server script (the sample server unless `script` names another under dist/) on a free port with
 * the given environment and waits until it listens. It signs its tokens with the test key, so `as()` works against it.
 */
export async function startChildService(env: Record<string, string>, script = SERVER): Promise<ChildService> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOTSE_QUIET: '1', PORT: '0', AUTH_SIGNING_KEY: TEST_SIGNING_KEY, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  let out = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const ready = /READY (\d+)/.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code} before listening: ${errors}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stdout: () => out,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
