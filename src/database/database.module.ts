import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LotseConfig } from '../../config/configuration.js';
import { openDatabase } from './data-source.js';
import type { WalCheckpointer } from './wal-checkpointer.js';

/**
 * The two roles a connection plays. `writer` takes every write transaction (through the engine's WriteSerializer);
 * `reader` answers every read outside a transaction. On SQLite they are two connections to one file; on PostgreSQL
 * the same pool.
 */
export class DatabaseConnections implements OnApplicationShutdown {
  constructor(
    readonly writer: DataSource,
    readonly reader: DataSource,
    readonly kind: 'sqlite' | 'postgres',
    private readonly checkpointer: WalCheckpointer | null = null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }
}

/**
 * Opens the database once per application. `DataSource` (what repositories inject) is the reading connection:
 * writes go through `WriteSerializer.transaction`, never through a repository's own data source.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: Pick<LotseConfig, 'databasePath' | 'databaseUrl'>): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DatabaseConnections,
          useFactory: async () => {
            const { writer, reader, checkpointer } = await openDatabase(config);
            return new DatabaseConnections(writer, reader, config.databaseUrl ? 'postgres' : 'sqlite', checkpointer);
          },
        },
        {
          provide: DataSource,
          useFactory: (connections: DatabaseConnections) => connections.reader,
          inject: [DatabaseConnections],
        },
      ],
      exports: [DatabaseConnections, DataSource],
    };
  }
}
