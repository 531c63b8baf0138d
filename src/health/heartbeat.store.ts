import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';

/** Heartbeats of processes that stopped answering this long ago are dropped. */
const FORGET_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * One row per Lotse process in `heartbeats`, written on every health check in its own transaction: the proof that
 * the database takes writes (a read-only file, a full disk or a read-only replica fails it), and a list of the
 * processes that share the database.
 */
@Injectable()
export class HeartbeatStore {
  readonly process = `${hostname()}:${process.pid}`;
  private startedAt: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writes: WriteSerializer,
  ) {}

  async beat(now: Date): Promise<void> {
    this.startedAt ??= now.toISOString();
    const postgres = this.dataSource.options.type === 'postgres';
    const p = (n: number) => (postgres ? `$${n}` : '?');
    await this.writes.transaction(async (em) => {
      // The count changes on every beat: SQLite skips writing a row that an update leaves as it was, and a probe
      // that writes nothing proves nothing.
      await em.query(
        `INSERT INTO heartbeats (process, started_at, seen_at, beats) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 1)
          ON CONFLICT (process) DO UPDATE SET seen_at = excluded.seen_at, beats = heartbeats.beats + 1`,
        [this.process, this.startedAt, now.toISOString()],
      );
      await em.query(`DELETE FROM heartbeats WHERE seen_at < ${p(1)}`, [
        new Date(now.getTime() - FORGET_AFTER_MS).toISOString(),
      ]);
    });
  }
}
