import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ApiProcess, freePort } from './reliability/api-process.js';
import { buildApi } from './utils/build-api.js';
import { SseClient } from './utils/sse-client.js';
import { freshUser } from './utils/tokens.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

let entry: string;
const redisUp = await redisAnswers();

beforeAll(() => {
  entry = buildApi();
}, 180_000);

const notifiers: { notifier: string; env: Record<string, string>; skip: boolean }[] = [
  { notifier: 'PostgreSQL LISTEN/NOTIFY', env: {}, skip: false },
  { notifier: 'Redis pub/sub', env: { REDIS_URL }, skip: !redisUp },
];

describe.each(notifiers)('live events across two instances, through $notifier', ({ env, skip }) => {
  const instances: ApiProcess[] = [];
  const clients: SseClient[] = [];

  // The heartbeat (the streams' timer) is far longer than the test: what delivers is the wake-up.
  const start = async () => {
    const api = new ApiProcess(await freePort(), inject('databaseUrl'), { ...env, EVENTS_HEARTBEAT_SECONDS: '60', SHUTDOWN_TIMEOUT_MS: '10000' }, entry);
    instances.push(api);
    await api.start();
    return api;
  };

  beforeAll(async () => {
    if (skip) return;
    await Promise.all([start(), start()]);
  }, 60_000);
  afterAll(() => {
    for (const client of clients) client.close();
    for (const api of instances) api.kill();
  });

  it.skipIf(skip)('delivers a change made through A to a stream on B within a second; after B stops, A resumes the stream with nothing lost or repeated', async () => {
    const [a, b] = instances;
    const user = await freshUser();
    const headers = { authorization: user.authorization };
    const post = async (api: ApiProcess, title: string) => {
      const response = await fetch(`${api.origin}/api/tasks`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };

    const onB = await SseClient.open(`${b.origin}/api/events`, headers);
    clients.push(onB);
    expect(onB.status).toBe(200);
    // Twice: the first change may also be found by the read B makes once its subscription is up.
    for (const title of ['through A', 'through A again']) {
      const id = await post(a, title);
      const [seen] = await onB.take(1, 1000);
      expect(JSON.parse(seen.data)).toMatchObject({ id, title });
    }

    // SIGTERM B mid-stream: its stream ends cleanly and it exits 0 (a shutdown past SHUTDOWN_TIMEOUT_MS exits 1).
    const exit = b.terminate();
    expect(await onB.ended).toBe(true);
    expect(await exit).toBe(0);

    const missed = [await post(a, 'while away 1'), await post(a, 'while away 2'), await post(a, 'while away 3')];
    const onA = await SseClient.open(`${a.origin}/api/events`, { ...headers, 'last-event-id': onB.lastEventId! });
    clients.push(onA);
    const resumed = await onA.take(3);
    expect(resumed.map((event) => (JSON.parse(event.data) as { id: string }).id)).toEqual(missed);
    expect(await onA.rest()).toEqual([]);
  });

  it.skipIf(skip)('exits 0 on SIGTERM with streams open, ending them', async () => {
    const [a] = instances;
    const users = await Promise.all([freshUser(), freshUser()]);
    const streams = await Promise.all(users.map((user) => SseClient.open(`${a.origin}/api/events`, { authorization: user.authorization })));
    clients.push(...streams);
    expect(streams.map((stream) => stream.status)).toEqual([200, 200]);
    expect(await a.terminate()).toBe(0);
    expect(await Promise.all(streams.map((stream) => stream.ended))).toEqual([true, true]);
  });
});
