import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, type EmbeddedPostgresLog, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { locateEmbeddedServer } from '../src/database/embedded/server-location.js';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    return rows[0].one;
  } finally {
    await client.end();
  }
}

/** Starts the cluster's server from a separate Node process, as a crashed app would have left it running. */
async function startInChildProcess(dataDir: string): Promise<{ kill: () => Promise<void> }> {
  const { stateDir, binDir, runAs } = await locateEmbeddedServer(dataDir);
  const script = `
    import { spawn } from 'node:child_process';
    const server = spawn(${JSON.stringify(join(binDir, 'postgres'))}, ['-D', ${JSON.stringify(join(stateDir, 'postgres'))},
      '-p', '${40000 + Math.floor(Math.random() * 20000)}', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { ...${JSON.stringify(runAs ?? {})}, cwd: ${JSON.stringify(stateDir)}, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr.on('data', (chunk) => String(chunk).includes('ready to accept connections') && console.log('ready'));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
  // Resolves once the child is gone: until then its server still has it as parent, not init, and
  // looks like another running app's (seen on a loaded machine).
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('embedded PostgreSQL', () => {
  let dataDir: string;
  let database: EmbeddedDatabase | undefined;
  let clusterDir: string;
  // As root, each data directory's cluster lives under /var/lib/tasks-api, not in the data directory.
  const stateDirs = new Set<string>();
  const start = async (dir: string, log: EmbeddedPostgresLog = quiet) => {
    const started = await startEmbeddedPostgres(dir, log);
    stateDirs.add(started.stateDir);
    return started;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tasks-api-embedded-'));
  });
  afterAll(async () => {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
    for (const stateDir of stateDirs) await rm(stateDir, { recursive: true, force: true });
  });

  it('creates a cluster on first start and keeps its data across restarts', async () => {
    database = await start(dataDir);
    clusterDir = database.clusterDir;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE TABLE kept (value text)');
    await client.query("INSERT INTO kept VALUES ('still here')");
    await client.end();
    await database.stop();

    database = await start(dataDir);
    const again = new pg.Client({ connectionString: database.url });
    await again.connect();
    const { rows } = await again.query('SELECT value FROM kept');
    await again.end();
    expect(rows).toEqual([{ value: 'still here' }]);
  });

  it('refuses, with a clear message, to open a cluster another running app is using', async () => {
    await expect(start(dataDir)).rejects.toThrow(/in use by another running process/);
    await database!.stop();
    database = undefined;
  });

  it('starts after a SIGKILLed run left its server running (orphaned) with its postmaster.pid', async () => {
    const crashed = await startInChildProcess(dataDir);
    await crashed.kill();
    expect(existsSync(join(clusterDir, 'postmaster.pid'))).toBe(true);

    const warnings: string[] = [];
    database = await start(dataDir, { ...quiet, warn: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/Shutting down an orphaned embedded PostgreSQL/);
    await expect(selectOne(database.url)).resolves.toBe(1);
    await database.stop();
    database = undefined;
  });

  it('starts when a postmaster.pid names a process that no longer exists', async () => {
    await writeFile(join(clusterDir, 'postmaster.pid'), `999999\n${clusterDir}\n`);
    const warnings: string[] = [];
    database = await start(dataDir, { ...quiet, warn: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/Removing a stale .*postmaster.pid/);
    await expect(selectOne(database.url)).resolves.toBe(1);
    await database.stop();
    database = undefined;
  });

  it.runIf(userInfo().uid === 0)('as root, runs a project under a 0700 directory, its cluster and binaries where the postgres user can reach them', async () => {
    const privateHome = join(dataDir, 'private-home');
    await mkdir(privateHome);
    await chmod(privateHome, 0o700);
    const projectData = join(privateHome, 'project', '.data');
    const privateDatabase = await start(projectData);
    try {
      await expect(selectOne(privateDatabase.url)).resolves.toBe(1);
      expect(privateDatabase.clusterDir).toMatch(/^\/var\/lib\/tasks-api\/[0-9a-f]{16}\/postgres$/);
      await expect(readFile(join(privateDatabase.stateDir, 'data-dir'), 'utf8')).resolves.toBe(`${projectData}\n`);
      expect((await stat(privateHome)).mode & 0o777).toBe(0o700);
    } finally {
      await privateDatabase.stop();
    }
  });
});
