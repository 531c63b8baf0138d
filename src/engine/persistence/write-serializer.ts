import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs write transactions one after another on SQLite, which has a single writer and one shared connection here;
 * on PostgreSQL transactions run concurrently and optimistic locking decides.
 */
@Injectable()
export class WriteSerializer {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serial: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type !== 'postgres';
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => this.dataSource.transaction(work);
    if (!this.serial) return run();
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
