import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log back into the database file from a worker thread with its own connection.
 * Left to SQLite, the COMMIT that crosses 1,000 WAL pages does this itself, on the event loop, for 50–160 ms: the
 * request that happens to commit then, and every request queued behind it, waits. PASSIVE never blocks the writer
 * (nor waits for readers), it copies what it can and tries again on the next round. It cannot restart the WAL
 * while writes keep coming; the writer's own (rarer, mostly pre-copied) checkpoint does that.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let failing = null;
const round = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = null;
  } catch (error) {
    // Reported once per fault, not every round while a disk stays full.
    if (error.message !== failing) parentPort.postMessage(error.message);
    failing = error.message;
  }
};
const timer = setInterval(round, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  round();
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: string) => this.logger.warn(`WAL checkpoint failed: ${message}`));
    worker.on('error', (error) => this.logger.error(`WAL checkpointer stopped: ${error.message}`));
    worker.unref();
  }

  /** Starts checkpointing `path` every `intervalMs`; resolves once the worker has opened the file. */
  static async start(path: string, intervalMs: number): Promise<WalCheckpointer> {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, intervalMs } });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    return new WalCheckpointer(worker);
  }

  /** A last checkpoint, then the worker's connection closes. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Unreferenced, the worker would not keep the process alive long enough to finish.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
