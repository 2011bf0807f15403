/** Starting and stopping the two servers under test, as child processes on loopback ports. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The node options production starts the API with, read from package.json's `start:prod`
 * (`node [options] dist/main.js`), so the benchmark measures what production runs.
 * @returns {string[]}
 */
export function productionNodeArgs() {
  const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
  const words = String(scripts['start:prod']).trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') throw new Error(`start:prod is not "node [options] dist/main.js": ${scripts['start:prod']}`);
  return words.slice(1, -1);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Spawns `node [nodeArgs] script` and waits until GET /health/ready answers 200. Its output is
 * drained into a small tail kept for error messages (a log collector reads the API's stdout in
 * production too; /dev/null would hide start-up failures).
 * @param {{ name: string, script: string, env: Record<string, string>, nodeArgs?: string[], port: number }} options
 */
export async function startServer({ name, script, env, nodeArgs = [], port }) {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let bytes = 0;
  const keep = (chunk) => {
    bytes += chunk.length;
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolveExit) => child.once('exit', (code, signal) => {
    exited = true;
    resolveExit({ code, signal });
  }));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready in 90 s:\n${tail}`);
    }
    try {
      const response = await fetch(`${origin}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    origin,
    pid: /** @type {number} */ (child.pid),
    spawnedAt,
    get outputBytes() {
      return bytes;
    },
    tail: () => tail,
    get exited() {
      return exited;
    },
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 30_000) {
      if (exited) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}
