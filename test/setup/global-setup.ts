import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { runMigrations } from '../../src/database/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database created for this run only, migrated, dropped afterwards. */
    databaseUrl: string;
  }
}

const silent = { info: () => undefined, warn: (m: string) => console.warn(m), debug: () => undefined };

/**
 * One fresh database per test run: on the server named by DATABASE_URL when set, otherwise on an
 * embedded PostgreSQL started in a temporary directory. Refuses to touch any database whose name
 * does not say it is a test database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedDatabase | undefined;
  let embeddedDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embeddedDir = await mkdtemp(join(tmpdir(), 'tasks-api-test-'));
    embedded = await startEmbeddedPostgres(embeddedDir, silent);
    serverUrl = embedded.url;
  }

  const databaseName = `tasks_api_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  if (!/(^|_)test(_|$)/.test(databaseName)) throw new Error(`Refusing to run tests against ${databaseName}: not a test database`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${databaseName}`;

  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`));
  const dataSource = new DataSource(dataSourceOptions(loadConfig({ NODE_ENV: 'test' }).database, databaseUrl.toString()));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  project.provide('databaseUrl', databaseUrl.toString());

  return async () => {
    await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`));
    await embedded?.stop();
    // As root the cluster is not in embeddedDir but under /var/lib/tasks-api (stateDir).
    for (const dir of [embeddedDir, embedded?.stateDir]) if (dir) await rm(dir, { recursive: true, force: true });
  };
}

async function withAdminClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
