import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import { describeDatabaseUrl } from './data-source-options.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.js';

/**
 * The PostgreSQL server the app talks to: the one named by DATABASE_URL, or an embedded one that
 * this provider starts and, on shutdown, stops after the connection pool has closed.
 */
@Injectable()
export class DatabaseServer implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly url: string,
    private readonly embedded: EmbeddedDatabase | undefined,
    private readonly moduleRef: ModuleRef,
  ) {}

  static async start(database: DatabaseConfig, dataDir: string, moduleRef: ModuleRef): Promise<DatabaseServer> {
    if (database.url) {
      this.logger.log(`Using PostgreSQL at ${describeDatabaseUrl(database.url)} (DATABASE_URL)`);
      return new DatabaseServer(database.url, undefined, moduleRef);
    }
    const embedded = await startEmbeddedPostgres(dataDir, {
      info: (message) => this.logger.log(message),
      warn: (message) => this.logger.warn(message),
      debug: (message) => this.logger.debug(message),
    });
    this.logger.log(`Using the embedded PostgreSQL at ${describeDatabaseUrl(embedded.url)}, data in ${embedded.clusterDir} (DATABASE_URL is not set)`);
    return new DatabaseServer(embedded.url, embedded, moduleRef);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    // The pool must close before its server stops, whatever order Nest runs shutdown hooks in.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
    DatabaseServer.logger.log('Stopped the embedded PostgreSQL');
  }
}
