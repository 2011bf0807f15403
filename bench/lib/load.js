/** One measured load run: the worker process drives it, this side reads the servers' CPU around it (Linux /proc). */
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { round } from './stats.js';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system, all threads) a process has used so far; 0 once it is gone. @param {number} pid */
function cpuSeconds(pid) {
  try {
    // utime and stime are fields 14 and 15 of stat(5), counted after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** RSS now and its peak so far (VmHWM), in MiB. @param {number} pid */
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (name) => round(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024, 1);
  return { rss: mib('VmRSS'), peak: mib('VmHWM') };
}

/** Starts VmHWM over from the current RSS (Linux: `5` to /proc/<pid>/clear_refs). @param {number} pid */
export function resetPeakRss(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * Runs `scenario` against `server`: warm-up, then the measured run. Server CPU per request is the
 * process's utime + stime over the measured run divided by the requests answered; `dbCpuMsPerRequest`
 * does the same for its PostgreSQL backends (from `backends()`). `rate` paces the run (see load-worker.js).
 * @param {{ server: { origin: string, pid: number }, scenario: string, actors: any[], connections: number,
 *   duration: number, warmup: number, rate?: number, backends: () => Promise<number[]> }} options
 */
export async function measure({ server, scenario, actors, connections, duration, warmup, rate, backends }) {
  const worker = fork(resolve(import.meta.dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(worker, 'exit');
  const reply = (seconds) =>
    Promise.race([
      once(worker, 'message', { signal: AbortSignal.timeout((seconds + 60) * 1000) }).then(([message]) => {
        if (message.type === 'error') throw new Error(`load worker: ${message.message}`);
        return message;
      }),
      exited.then(() => Promise.reject(new Error('load worker exited without a result'))),
    ]);
  try {
    worker.send({ origin: server.origin, scenario, actors, connections, duration, warmup, rate });
    await reply(warmup);
    const pids = await backends();
    const dbCpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const before = { server: cpuSeconds(server.pid), db: dbCpu() };
    worker.send({ type: 'go' });
    const { result } = await reply(duration);
    const serverCpu = cpuSeconds(server.pid) - before.server;
    const perRequest = (seconds) => (result.requests > 0 ? round((seconds * 1000) / result.requests, 4) : null);
    return {
      ...result,
      rps: round(result.rps, 1),
      seconds: round(result.seconds, 2),
      serverCpuMsPerRequest: perRequest(serverCpu),
      serverCpuUtilisation: round(serverCpu / result.seconds, 2),
      dbCpuMsPerRequest: pids.length > 0 ? perRequest(dbCpu() - before.db) : null,
    };
  } finally {
    worker.kill();
    await exited;
  }
}
