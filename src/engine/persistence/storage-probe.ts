import { Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LotseConfig } from '../../../config/configuration.js';
import { DatabaseConnections } from '../../database/database.module.js';
import { Clock } from '../clock.js';
import { WriteSerializer, type StorageFault } from './write-serializer.js';

/** Below this much free space next to the SQLite file, writes of ordinary size start to fail. */
const MIN_FREE_BYTES = 1024 * 1024;

export interface StorageHealth {
  /** A write transaction committed just now, and (on SQLite) the file system has room for more. */
  writable: boolean;
  database: 'sqlite' | 'postgres';
  /** Why the probe could not write, or else the last write the storage refused since a write last committed. */
  fault: { at: string; code: string | null; message: string } | null;
  /** Free bytes on the file system of the SQLite file. */
  freeBytes?: number;
}

function described(fault: StorageFault): StorageHealth['fault'] {
  return { at: fault.at.toISOString(), code: fault.code, message: fault.message };
}

/**
 * What a health check needs to know about the database: whether it takes a write now. The probe commits a real
 * write transaction (one row of `storage_probe`) through the same writer as every request, so a read-only file, an
 * I/O error, a lost connection or a full disk shows here as it would for a request.
 */
@Injectable()
export class StorageProbe {
  constructor(
    private readonly writes: WriteSerializer,
    private readonly connections: DatabaseConnections,
    private readonly config: LotseConfig,
    private readonly clock: Clock,
  ) {}

  async check(): Promise<StorageHealth> {
    const database = this.connections.kind;
    let refused: Error | null = null;
    try {
      await this.writes.transaction((em) =>
        em.query(
          database === 'postgres'
            ? 'UPDATE storage_probe SET checked_at = $1 WHERE id = 1'
            : 'UPDATE storage_probe SET checked_at = ? WHERE id = 1',
          [this.clock.now().toISOString()],
        ),
      );
    } catch (error) {
      refused = error as Error;
    }
    // A refusal by the storage is what the writer remembers as its last fault.
    const last = this.writes.lastFault();
    const fault = last
      ? described(last)
      : refused && { at: this.clock.now().toISOString(), code: null, message: refused.message };
    if (database === 'postgres') return { writable: refused === null, database, fault };
    const space = await statfs(dirname(this.config.databasePath));
    const freeBytes = Number(space.bavail) * Number(space.bsize);
    return { writable: refused === null && freeBytes >= MIN_FREE_BYTES, database, freeBytes, fault };
  }
}
