/** The bench databases: `tasks_bench` (recreated every run) and `tasks_bench_scale` (kept while unchanged). */
import { resolve } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { seedTasks } from './dataset.js';

const DIST = resolve(import.meta.dirname, '..', '..', 'dist');
export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOAD_DATABASE = 'tasks_bench';
const SCALE_DATABASE = 'tasks_bench_scale';
// Bump when the generated data changes, so a kept scale database is rebuilt.
const DATASET_VERSION = 2;

/** The URL of `database` on the bench's server. @param {string} database */
function databaseUrl(database) {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a client connected to the server's own database. */
export async function withClient(work) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops and creates `name`, then applies the built API's migrations: the schema the API runs on. @returns the migrations applied */
async function migrate(name, recreate) {
  if (recreate) {
    await withClient(async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
  }
  const { MIGRATIONS } = await import(resolve(DIST, 'database/migrations/index.js'));
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl(name), migrations: MIGRATIONS, migrationsTableName: 'migrations' });
  await dataSource.initialize();
  try {
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** A freshly created and migrated database `name` on the bench's server; its URL. @param {string} name */
export async function freshDatabase(name) {
  await migrate(name, true);
  return databaseUrl(name);
}

/** `users` users (bench-user-001…) with `tasks` tasks each, in a fresh `tasks_bench`. */
export async function seedLoadDatabase({ users, tasks, log }) {
  log(`Seeding ${LOAD_DATABASE}: ${users} users × ${tasks} tasks`);
  await migrate(LOAD_DATABASE, true);
  const userIds = Array.from({ length: users }, (_, i) => `bench-user-${String(i + 1).padStart(3, '0')}`);
  await seedTasks(databaseUrl(LOAD_DATABASE), userIds.map((ownerId) => ({ ownerId, tasks })), log);
  return { url: databaseUrl(LOAD_DATABASE), userIds };
}

/**
 * One user per scale label (`scale-1k` with 1,000 tasks and 100 deleted ones…) in `tasks_bench_scale`, reused while its
 * dataset and migrations are unchanged (the million rows take a few minutes); `reseed` rebuilds it.
 */
export async function ensureScaleDatabase({ scales, reseed, log }) {
  const users = scales.map((label) => {
    const [, count, unit] = /^(\d+)([km]?)$/i.exec(label) ?? [];
    if (!count) throw new Error(`not a scale: ${label} (e.g. 1k, 100k, 1m)`);
    const tasks = Number(count) * { '': 1, k: 1_000, m: 1_000_000 }[unit.toLowerCase()];
    // One deleted task for every ten kept: the change feed's tombstones (issue 21: 100k at 1M tasks).
    return { label, ownerId: `scale-${label.toLowerCase()}`, tasks, tombstones: Math.floor(tasks / 10) };
  });
  // The dataset's signature is the database's comment: no table of the bench's own in the API's schema.
  const signature = JSON.stringify({ version: DATASET_VERSION, users });
  const stored = await withClient(async (client) => {
    const { rows } = await client.query("SELECT shobj_description(oid, 'pg_database') AS signature FROM pg_database WHERE datname = $1", [SCALE_DATABASE]);
    return rows[0]?.signature;
  });
  // A kept database gets any new migration, and is rebuilt when one was pending.
  if (!reseed && stored === signature && (await migrate(SCALE_DATABASE, false)).length === 0) {
    log(`Reusing ${SCALE_DATABASE} (${scales.join(', ')}; --reseed rebuilds it)`);
    return { url: databaseUrl(SCALE_DATABASE), users };
  }
  log(`Seeding ${SCALE_DATABASE}: one user each with ${users.map((u) => u.tasks.toLocaleString('en')).join(', ')} tasks`);
  await migrate(SCALE_DATABASE, true);
  await seedTasks(databaseUrl(SCALE_DATABASE), users, log);
  await withClient((client) => client.query(`COMMENT ON DATABASE ${SCALE_DATABASE} IS ${client.escapeLiteral(signature)}`));
  return { url: databaseUrl(SCALE_DATABASE), users };
}
