import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import { MIGRATIONS } from './migrations/index.js';

/** The TypeORM options shared by the app, the TypeORM CLI and the test setup. */
export function dataSourceOptions(config: DatabaseConfig, url: string, onPoolError?: (error: Error) => void): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // The schema only ever changes through migrations.
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    // Extensions are the migrations' business too; TypeORM would otherwise create uuid-ossp at
    // every start for the entities' uuid keys. Keys default to gen_random_uuid() (built in since
    // PostgreSQL 13), which is what `pgcrypto` makes a generated migration write.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    poolSize: config.poolSize,
    // pg applies this both to opening a connection and to waiting for a free one in the pool,
    // so a request never queues forever behind an exhausted or unreachable database.
    connectTimeoutMS: config.connectTimeoutMs,
    applicationName: 'tasks-api',
    // A pool error (the server went away under an idle connection) must never crash the process.
    poolErrorHandler: onPoolError ?? (() => undefined),
    extra: {
      statement_timeout: config.statementTimeoutMs,
      idle_in_transaction_session_timeout: config.statementTimeoutMs * 2,
      // A client-side backstop for a server that stops answering without closing the socket.
      query_timeout: config.statementTimeoutMs + 2_000,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    },
    logging: false,
  };
}

/** The connection URL with its password hidden, for logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
