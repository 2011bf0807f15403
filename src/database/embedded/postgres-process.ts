import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The system user the server runs as when this process is root (PostgreSQL refuses root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface PostgresServerOptions {
  binDir: string;
  clusterDir: string;
  port: number;
  runAs?: RunAs;
  /** A directory the server's user can enter, as its working directory. */
  workDir: string;
  onLog: (line: string) => void;
}

// Readiness is read from the server's log, so its messages must be in English whatever the locale.
const MESSAGES_LOCALE = 'C';
const READY = 'database system is ready to accept connections';

/** Creates a cluster with one superuser, `postgres`, whose password is in `passwordFile`. */
export async function initialiseCluster(options: Omit<PostgresServerOptions, 'port' | 'onLog'> & { passwordFile: string }): Promise<void> {
  const args = [
    `--pgdata=${options.clusterDir}`,
    '--auth=scram-sha-256',
    '--username=postgres',
    `--pwfile=${options.passwordFile}`,
    '--encoding=UTF8',
    `--lc-messages=${MESSAGES_LOCALE}`,
  ];
  try {
    await promisify(execFile)(join(options.binDir, 'initdb'), args, { ...processOptions(options) });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`initdb failed: ${stderr || (error as Error).message}`);
  }
}

/**
 * Starts the server, listening on loopback TCP only, and resolves once it accepts connections.
 * It gets a process group of its own, so that a Ctrl-C or a closed terminal reaches only this
 * app, whose graceful shutdown stops the server after the last request, instead of the server
 * going down under in-flight requests.
 */
export async function startPostgresServer(options: PostgresServerOptions): Promise<ChildProcess> {
  const args = ['-D', options.clusterDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const server = spawn(join(options.binDir, 'postgres'), args, { ...processOptions(options), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let lastLines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('exit', () => reject(new Error(lastLines.join(' | ') || 'it exited at once')));
    // Read for as long as the server runs: a full pipe would block its logging, and with it the server.
    server.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lastLines = [...lastLines, line].slice(-5);
        options.onLog(line);
        if (line.includes(READY)) resolve();
      }
    });
  });
  server.removeAllListeners('exit');
  return server;
}

/** A fast shutdown (SIGINT: roll back open transactions, then stop), resolved once it has exited. */
export async function stopPostgresServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGINT');
  await exited;
}

function processOptions(options: { runAs?: RunAs; workDir: string }) {
  return { ...options.runAs, cwd: options.workDir, env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE } };
}
