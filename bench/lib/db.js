/** The PostgreSQL server and the dedicated bench databases. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = resolve(ROOT, 'dist');

/** Fails with a clear message when the API has not been built (`npm run bench` builds first). */
export function assertBuilt() {
  if (!existsSync(resolve(DIST, 'main.js')) || !existsSync(resolve(DIST, 'database/migrations/index.js'))) {
    throw new Error('dist/ is missing: run `npx nest build` first (`npm run bench` does)');
  }
}

/**
 * @param {string} url
 * @param {string} database
 */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** @param {string} url */
async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The server to benchmark on: DATABASE_URL when set (it must answer); otherwise the local server
 * at 127.0.0.1:5432, or, when none answers there (or with `embedded`), the embedded PostgreSQL of
 * the built API, in `.data/bench`.
 * @param {{ embedded?: boolean, log: (message: string) => void }} options
 * @returns {Promise<{ url: string, kind: 'DATABASE_URL' | 'local server' | 'embedded', stop: () => Promise<void> }>}
 */
export async function resolveServer({ embedded = false, log }) {
  const configured = process.env.DATABASE_URL;
  if (configured && !embedded) {
    if (!(await answers(configured))) throw new Error('DATABASE_URL is set but no PostgreSQL answers there');
    return { url: configured, kind: 'DATABASE_URL', stop: async () => undefined };
  }
  if (!embedded && (await answers(DEFAULT_SERVER_URL))) return { url: DEFAULT_SERVER_URL, kind: 'local server', stop: async () => undefined };
  assertBuilt();
  log(embedded ? 'Starting the embedded PostgreSQL (--embedded)' : `No PostgreSQL answers at ${DEFAULT_SERVER_URL}: starting the embedded one`);
  const { startEmbeddedPostgres } = await import(resolve(DIST, 'database/embedded-postgres.js'));
  const server = await startEmbeddedPostgres(resolve(ROOT, '.data', 'bench'), { info: log, warn: log, debug: () => undefined });
  return { url: withDatabase(server.url, 'postgres'), kind: 'embedded', stop: () => server.stop() };
}

/**
 * Drops and creates a database whose name must say it is a bench database.
 * @param {string} serverUrl
 * @param {string} name
 */
export async function recreateDatabase(serverUrl, name) {
  if (!/bench/.test(name) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to recreate "${name}": a bench database name contains "bench"`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** @param {string} serverUrl @param {string} name */
export async function databaseExists(serverUrl, name) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await admin.end();
  }
}

/**
 * Applies the API's migrations (the built MIGRATIONS list, through TypeORM, recorded in the same
 * `migrations` table the API uses), so the schema is exactly the one the API runs on.
 * @param {string} url
 * @returns {Promise<string[]>} the migrations applied
 */
export async function migrate(url) {
  assertBuilt();
  const { DataSource } = await import('typeorm');
  const { MIGRATIONS } = await import(resolve(DIST, 'database/migrations/index.js'));
  const dataSource = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTableName: 'migrations', logging: false });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** The server's version string (e.g. "15.20"). @param {string} url */
export async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version');
    return String(rows[0].server_version);
  } finally {
    await client.end();
  }
}

/**
 * The server process ids of a client's connections (by application_name), to read their CPU time.
 * @param {pg.Client} client
 * @param {string} database
 * @param {string} applicationName
 * @returns {Promise<number[]>}
 */
export async function backendPids(client, database, applicationName) {
  const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database, applicationName]);
  return rows.map((row) => Number(row.pid));
}
