import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_AUTH_SECRET } from '../utils/create-test-app.js';

/** A free loopback port (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The built API (`dist/main.js` unless told another build, as `npm run start:prod` runs it) in a child process. */
export class ApiProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  output = '';

  constructor(
    readonly port: number,
    private readonly databaseUrl: string,
    /** More variables, or overrides of the defaults below. */
    private readonly extraEnv: Record<string, string> = {},
    /** The built entry point (test/utils/build-api.ts builds one for the e2e suites). */
    private readonly entry = 'dist/main.js',
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the API and resolves once /health/ready answers 200. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.entry], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: this.databaseUrl,
        DATABASE_MIGRATE: 'false',
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        BETTER_AUTH_SECRET: TEST_AUTH_SECRET,
        // The load is one user's creates, retried: what is tested is the outage, not the rate limit.
        RATE_LIMIT_PER_USER: '1000000',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'tasks-api-reliability-')),
        ...this.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (let attempt = 0; attempt < 150; attempt += 1) {
      if (child.exitCode !== null) throw new Error(`the API exited during start-up:\n${this.output}`);
      const ready = await fetch(`${this.origin}/health/ready`).then((response) => response.ok, () => false);
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the API never became ready:\n${this.output}`);
  }

  /** Resolves with the exit code once the process has exited. */
  get exitCode(): Promise<number | null> {
    if (!this.exited) throw new Error('the API was never started');
    return this.exited;
  }

  /** Sends SIGTERM and resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (!this.child || !this.exited) throw new Error('the API was never started');
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Kills the process if it is still running (cleanup after a failure). */
  kill(): void {
    if (this.child?.exitCode === null) this.child.kill('SIGKILL');
  }
}
