/** Starting and stopping the two servers under test, as child processes on loopback ports. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
  await new Promise((resolveClose) => probe.close(resolveClose));
  return port;
}

/**
 * Spawns `node [production options] script` and waits until GET /health/ready answers 200. Its
 * output is read through a pipe, as a log collector would, and its tail kept for error messages.
 * @param {{ name: string, script: string, env: Record<string, string> }} options
 */
export async function startServer({ name, script, env }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...productionNodeArgs(), script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => (tail = (tail + chunk.toString('utf8')).slice(-4_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const server = { name, origin: `http://127.0.0.1:${port}`, pid: /** @type {number} */ (child.pid), exited: false, tail: () => tail };
  const exit = new Promise((resolveExit) => child.once('exit', resolveExit)).then(() => (server.exited = true));
  server.stop = async () => {
    if (server.exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exited) throw new Error(`${name} exited during start-up:\n${tail}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not become ready in 90 s:\n${tail}`);
    }
    const response = await fetch(`${server.origin}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
}
