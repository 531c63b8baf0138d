import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SERVER = join(process.cwd(), 'dist/test/support/sample-server.js');

export interface ChildService {
  url: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown hooks, no flushing. */
  kill(): Promise<void>;
}

/** The compiled service with the programmes (test/support/programme-server.ts). */
export const PROGRAMME_SERVER = join(process.cwd(), 'dist/test/support/programme-server.js');

/**
 * Starts a compiled server script (the sample server unless `script` names another under dist/) on a free port with
 * the given environment and waits until it listens.
 */
export async function startChildService(env: Record<string, string>, script = SERVER): Promise<ChildService> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [script], { env: { ...process.env, LOTSE_QUIET: '1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\d+)/.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code} before listening: ${errors}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    kill: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
