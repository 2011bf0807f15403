/**
 * The rate limiter's cost (issue 22): one scenario on an API as the bench runs it (limiter on, in
 * memory, never throttled: its limits are far above the load), on one with RATE_LIMIT_ENABLED=false
 * and, when a Redis answers, on one sharing its counters through REDIS_URL; in alternating rounds,
 * as the scenarios are measured. Each is a fresh process, so that none is warmer than the others.
 * Redis's own CPU is not counted.
 */
import { connect } from 'node:net';
import { ratio } from './stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at `url` within a second (the API fails open without one, which would measure nothing). */
async function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) }, () => socket.write('PING\r\n'));
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('error', () => done(false));
  });
}

/**
 * @param {{ startApi: (name: string, env: Record<string, string>) => Promise<any>, alternate: Function,
 *   scenario: string, actors: any[], rounds: number, options: (i: number) => object, log: (m: string) => void }} options
 */
export async function compareLimiter({ startApi, alternate, scenario, actors, rounds, options, log }) {
  const memory = await startApi('API, limiter in memory', {});
  const unlimited = await startApi('API, limiter off', { RATE_LIMIT_ENABLED: 'false' });
  const redis = (await redisAnswers(REDIS_URL)) ? await startApi('API, Redis limiter', { REDIS_URL }) : undefined;
  if (!redis) log(`limiter: no Redis answers at ${REDIS_URL}; the shared limiter is not measured`);
  try {
    const sides = [
      { key: 'memory', server: memory, scenario, actors },
      { key: 'off', server: unlimited, scenario, actors },
      ...(redis ? [{ key: 'redis', server: redis, scenario, actors }] : []),
    ];
    const entry = await alternate(sides, rounds, options);
    const cpu = (key) => entry[key]?.serverCpuMsPerRequest;
    return { scenario, ...entry, ratios: { memoryToOff: ratio(cpu('memory'), cpu('off')), redisToOff: ratio(cpu('redis'), cpu('off')), redisToMemory: ratio(cpu('redis'), cpu('memory')) } };
  } finally {
    await memory.stop();
    await unlimited.stop();
    await redis?.stop();
  }
}
