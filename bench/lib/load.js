/** One measured load run: the worker process drives it, this side reads the servers' CPU around it. */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { cpuSeconds, totalCpuSeconds } from './proc.js';
import { round } from './stats.js';

const WORKER = resolve(import.meta.dirname, 'load-worker.js');

/**
 * Runs `scenario` against `server`: warm-up, then the measured run. Server CPU time per request
 * is (utime + stime) of the server process over the measured run divided by the requests answered;
 * `dbCpuMsPerRequest` does the same for the server's PostgreSQL backends (found by `backends()`).
 * @param {{ server: { origin: string, pid: number }, scenario: string, actors: Array<{ token: string, ids: string[] }>,
 *   connections: number, duration: number, warmup: number, rate?: number, backends?: () => Promise<number[]> }} options
 */
export async function measure({ server, scenario, actors, connections, duration, warmup, rate, backends }) {
  const worker = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages = [];
  let wake;
  worker.on('message', (message) => {
    messages.push(message);
    wake?.();
  });
  let workerGone = false;
  const exited = new Promise((resolveExit) => worker.once('exit', (code) => {
    workerGone = true;
    resolveExit(code);
  }));
  const next = async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length === 0) {
      if (workerGone) throw new Error('load worker exited without a result');
      if (Date.now() > deadline) throw new Error(`load worker silent for ${timeoutMs / 1000} s`);
      await Promise.race([new Promise((r) => (wake = r)), new Promise((r) => setTimeout(r, 1_000)), exited]);
    }
    const message = messages.shift();
    if (message.type === 'error') throw new Error(`load worker: ${message.message}`);
    return message;
  };
  try {
    worker.send({ origin: server.origin, scenario, actors, connections, duration, warmup, rate });
    await next((warmup + 60) * 1000);
    const pids = backends ? await backends() : [];
    const before = { server: cpuSeconds(server.pid), db: totalCpuSeconds(pids), at: Date.now() };
    worker.send({ type: 'go' });
    const { result } = await next((duration + 60) * 1000);
    const after = { server: cpuSeconds(server.pid), db: totalCpuSeconds(pids), at: Date.now() };
    const serverCpu = (after.server ?? NaN) - (before.server ?? NaN);
    const dbCpu = after.db - before.db;
    return {
      ...result,
      rps: round(result.rps, 1),
      seconds: round(result.seconds, 2),
      serverCpuSeconds: round(serverCpu, 2),
      serverCpuMsPerRequest: result.requests > 0 ? round((serverCpu * 1000) / result.requests, 4) : null,
      serverCpuUtilisation: round(serverCpu / result.seconds, 2),
      window: { startedAt: before.at, endedAt: after.at },
      dbBackends: pids.length,
      dbCpuMsPerRequest: pids.length > 0 && result.requests > 0 ? round((dbCpu * 1000) / result.requests, 4) : null,
    };
  } finally {
    worker.kill();
    await exited;
  }
}
