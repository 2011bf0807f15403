import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { initialiseCluster, startPostgresServer, stopPostgresServer } from './embedded/postgres-process.js';
import { locateEmbeddedServer } from './embedded/server-location.js';
import { clearStaleLock } from './embedded/stale-lock.js';

/** The PostgreSQL major the embedded server ships; docker-compose.yml uses the same. */
export const EMBEDDED_POSTGRES_MAJOR = '18';
const DATABASE_NAME = 'tasks';
const SUPERUSER = 'postgres';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  clusterDir: string;
  /** The cluster's directory and its password: `dataDir`, or as root a directory under /var/lib/tasks-api. */
  stateDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresLog {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/**
 * Starts (creating it on first use) a PostgreSQL cluster for `dataDir`, listening on a free
 * loopback port only, with a random password kept beside it. The binaries come from the
 * `embedded-postgres` package; this module runs them itself because, as root, they must run from
 * a copy the `postgres` user can reach (see server-location.ts), which that package cannot do.
 * Also handles a cluster left running or locked by a process that was killed with SIGKILL.
 */
export async function startEmbeddedPostgres(dataDir: string, log: EmbeddedPostgresLog): Promise<EmbeddedDatabase> {
  const { stateDir, binDir, runAs } = await locateEmbeddedServer(dataDir);
  const clusterDir = join(stateDir, 'postgres');
  const passwordFile = join(stateDir, 'postgres-password');

  const isNew = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!isNew) await assertSameMajor(clusterDir);
  if (!isNew) await clearStaleLock(clusterDir, log);
  const password = isNew ? randomBytes(24).toString('base64url') : await readPassword(passwordFile, clusterDir);

  if (isNew) {
    log.info(`Creating the embedded PostgreSQL ${EMBEDDED_POSTGRES_MAJOR} cluster in ${clusterDir}`);
    await rm(clusterDir, { recursive: true, force: true });
    await mkdir(clusterDir, { mode: 0o700 });
    // initdb runs as the server's user and reads the password from a file only it may read.
    const initdbPasswordFile = join(stateDir, 'initdb-password');
    await writeFile(initdbPasswordFile, password, { mode: 0o600 });
    if (runAs) await Promise.all([clusterDir, initdbPasswordFile].map((path) => chown(path, runAs.uid, runAs.gid)));
    try {
      await initialiseCluster({ binDir, clusterDir, passwordFile: initdbPasswordFile, runAs, workDir: stateDir });
    } finally {
      await rm(initdbPasswordFile, { force: true });
    }
    await writeFile(passwordFile, password, { mode: 0o600 });
  }

  const port = await findFreePort();
  let server;
  try {
    server = await startPostgresServer({ binDir, clusterDir, port, runAs, workDir: stateDir, onLog: (line) => log.debug(line) });
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start: ${(error as Error).message}`);
  }
  // Last resort when Node exits without a graceful shutdown (an uncaught error, process.exit()):
  // a fast shutdown request, sent synchronously, so the server does not outlive the app.
  const killOnExit = () => server.kill('SIGINT');
  process.on('exit', killOnExit);

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  await ensureDatabase(url);
  return {
    url,
    port,
    clusterDir,
    stateDir,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopPostgresServer(server);
    },
  };
}

async function ensureDatabase(url: string): Promise<void> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
  } finally {
    await client.end();
  }
}

async function assertSameMajor(clusterDir: string): Promise<void> {
  const major = (await readFile(join(clusterDir, 'PG_VERSION'), 'utf8')).trim();
  if (major !== EMBEDDED_POSTGRES_MAJOR) {
    throw new Error(
      `${clusterDir} holds a PostgreSQL ${major} cluster but the embedded server is ${EMBEDDED_POSTGRES_MAJOR}. ` +
        'Dump and restore it, or move the directory away to start afresh.',
    );
  }
}

async function readPassword(passwordFile: string, clusterDir: string): Promise<string> {
  try {
    return (await readFile(passwordFile, 'utf8')).trim();
  } catch {
    throw new Error(`${passwordFile} is missing, so the cluster in ${clusterDir} cannot be opened. Delete ${clusterDir} to start afresh.`);
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
