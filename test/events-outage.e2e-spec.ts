import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SseClient } from './utils/sse-client.js';
import { createTestApp } from './utils/create-test-app.js';
import { tasksUser } from './utils/tasks-client.js';
import { TcpProxy } from './utils/tcp-proxy.js';

// Far longer than the test waits: a change that arrives in time was woken by a notification.
const HEARTBEAT_SECONDS = 60;
const DELIVERY_MS = 5_000;

describe('GET /api/events across a database outage (PostgreSQL LISTEN/NOTIFY)', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;
  let origin: string;

  beforeAll(async () => {
    const database = await TcpProxy.inFrontOf(inject('databaseUrl'));
    proxy = database.proxy;
    app = await createTestApp({ DATABASE_URL: database.url, DATABASE_CONNECT_TIMEOUT_MS: '1000', EVENTS_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
  });

  it('listens again once the database is back, and an open stream hears the next change without waiting for its heartbeat', async () => {
    const user = await tasksUser(app);
    const client = await SseClient.open(`${origin}/api/events`, { authorization: user.authorization });
    try {
      expect(client.status).toBe(200);
      const before = await user.createTask({ title: 'before the outage' });
      expect((await client.take(1, DELIVERY_MS))[0]).toMatchObject({ event: 'task.created', data: expect.stringContaining(before.id) });

      // Every connection to the database is cut, the LISTEN one included, and none gets through for a second.
      await proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxy.start();

      // The pool reconnects on demand; the first requests may still meet a dead connection (503).
      let after: { id: string } | undefined;
      for (const deadline = Date.now() + 10_000; after === undefined && Date.now() < deadline; ) {
        const response = await user.post('/api/tasks', { title: 'after the outage' });
        if (response.status === 201) after = response.body as { id: string };
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(after).toBeDefined();
      expect((await client.take(1, DELIVERY_MS))[0]).toMatchObject({ event: 'task.created', data: expect.stringContaining(after!.id) });
      // The stream itself stayed open all along.
      expect(client.status).toBe(200);
    } finally {
      client.close();
    }
  });
});
