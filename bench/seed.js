/**
 * Seeds the bench databases through SQL (never through the API).
 *
 *   node bench/seed.js [--users 100] [--tasks 1000] [--scales 1k,100k,1m] [--reseed] [--embedded]
 *
 * - `tasks_bench`: `--users` users × `--tasks` tasks each, recreated on every call (seconds);
 * - `tasks_bench_scale`: one user per scale (`scale-1k`, `scale-100k`, `scale-1m`), kept between
 *   runs while its dataset and migrations are unchanged (the million rows take about a minute).
 * Needs the built API (`npx nest build`): the migrations are the compiled ones.
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { parseFlags } from './lib/cli.js';
import { loadUserIds, scaleSize, scaleUserId, seedTasks } from './lib/dataset.js';
import { databaseExists, migrate, recreateDatabase, resolveServer, withDatabase } from './lib/db.js';

export const LOAD_DATABASE = 'tasks_bench';
export const SCALE_DATABASE = 'tasks_bench_scale';
// Bump when the generated data changes, so a kept scale database is rebuilt.
const DATASET_VERSION = 1;

/**
 * @param {string} serverUrl
 * @param {{ users: number, tasks: number, log: (message: string) => void }} options
 * @returns {Promise<{ url: string, userIds: string[], seconds: number }>}
 */
export async function seedLoadDatabase(serverUrl, { users, tasks, log }) {
  const started = Date.now();
  const url = withDatabase(serverUrl, LOAD_DATABASE);
  log(`Seeding ${LOAD_DATABASE}: ${users} users × ${tasks} tasks`);
  await recreateDatabase(serverUrl, LOAD_DATABASE);
  await migrate(url);
  const userIds = loadUserIds(users);
  await seedTasks(url, userIds.map((ownerId) => ({ ownerId, tasks })), { log });
  return { url, userIds, seconds: (Date.now() - started) / 1000 };
}

/**
 * @param {string} serverUrl
 * @param {{ scales: string[], reseed: boolean, log: (message: string) => void }} options
 * @returns {Promise<{ url: string, users: Array<{ label: string, ownerId: string, tasks: number }>, seconds: number, reused: boolean }>}
 */
export async function ensureScaleDatabase(serverUrl, { scales, reseed, log }) {
  const started = Date.now();
  const url = withDatabase(serverUrl, SCALE_DATABASE);
  const users = scales.map((label) => ({ label, ownerId: scaleUserId(label), tasks: scaleSize(label) }));
  const signature = JSON.stringify({ version: DATASET_VERSION, users });
  if (!reseed && (await databaseExists(serverUrl, SCALE_DATABASE))) {
    // New migrations would change the schema: apply them, and rebuild when any was pending.
    const applied = await migrate(url);
    if (applied.length === 0 && (await storedSignature(url)) === signature) {
      log(`Reusing ${SCALE_DATABASE} (${users.map((u) => u.label).join(', ')}; --reseed rebuilds it)`);
      return { url, users, seconds: (Date.now() - started) / 1000, reused: true };
    }
  }
  log(`Seeding ${SCALE_DATABASE}: one user each with ${users.map((u) => u.tasks.toLocaleString('en')).join(', ')} tasks`);
  await recreateDatabase(serverUrl, SCALE_DATABASE);
  await migrate(url);
  await seedTasks(url, users.map(({ ownerId, tasks }) => ({ ownerId, tasks })), { log });
  await storeSignature(url, signature);
  return { url, users, seconds: (Date.now() - started) / 1000, reused: false };
}

/** @param {string} url */
async function storedSignature(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT shobj_description(oid, 'pg_database') AS signature FROM pg_database WHERE datname = current_database()");
    return rows[0]?.signature ?? undefined;
  } finally {
    await client.end();
  }
}

/** The dataset signature lives in the database's comment: no table of the bench's own in the API's schema. */
async function storeSignature(url, signature) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`COMMENT ON DATABASE ${SCALE_DATABASE} IS ${client.escapeLiteral(signature)}`);
  } finally {
    await client.end();
  }
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), {
    users: { type: 'number', default: 100 },
    tasks: { type: 'number', default: 1000 },
    scales: { type: 'list', default: ['1k', '100k', '1m'] },
    reseed: { type: 'boolean', default: false },
    embedded: { type: 'boolean', default: false },
  });
  const log = (message) => console.log(message);
  const server = await resolveServer({ embedded: flags.embedded, log });
  try {
    await seedLoadDatabase(server.url, { users: flags.users, tasks: flags.tasks, log });
    if (flags.scales.length > 0) await ensureScaleDatabase(server.url, { scales: flags.scales, reseed: flags.reseed, log });
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
