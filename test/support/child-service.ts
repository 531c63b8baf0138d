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

/** Starts the compiled sample server on a free port with the given environment and waits until it listens. */
export async function startChildService(env: Record<string, string>): Promise<ChildService> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, LOTSE_QUIET: '1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
