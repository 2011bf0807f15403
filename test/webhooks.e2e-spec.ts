import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser, type TasksUser } from './utils/tasks-client.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback answering `status` (allowed by WEBHOOK_ALLOW_PRIVATE=true), recording each request. */
async function receiver(status: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value as T;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks', () => {
  let app: NestFastifyApplication;
  const servers: Server[] = [];

  beforeAll(async () => {
    app = await createTestApp({ REMINDER_POLL_MS: '50', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '10' });
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await app?.close();
  });

  async function fireReminder(user: TasksUser): Promise<void> {
    const task = await user.createTask({ title: 'Ping', dueAt: new Date(Date.now() + 1000).toISOString() });
    await user.post(`/api/tasks/${task.id}/reminders`, { before: 'PT0S' }).expect(201);
  }

  it('registers, lists and removes webhooks; refuses other schemes and a sixth', async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const created = await alice.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), url: 'http://127.0.0.1:9/hook', failures: 0, disabledAt: null, createdAt: expect.any(String), secret: expect.any(String) });
    expect(errorFields((await alice.post('/api/webhooks', { url: 'ftp://127.0.0.1/' }).expect(400)).body)).toEqual(['url']);
    expect(errorFields((await alice.post('/api/webhooks', { url: 'http://no-such-host.invalid/' }).expect(400)).body)).toEqual(['url']);
    for (let index = 0; index < 4; index++) await alice.post('/api/webhooks', { url: `http://127.0.0.1:9/${index}` }).expect(201);
    await alice.post('/api/webhooks', { url: 'http://127.0.0.1:9/sixth' }).expect(409);
    const listed = (await alice.get('/api/webhooks').expect(200)).body.items as { secret?: string }[];
    expect(listed).toHaveLength(5);
    expect(listed.every((webhook) => webhook.secret === undefined)).toBe(true);
    // Another user's webhook is one that does not exist.
    await bob.delete(`/api/webhooks/${created.body.id}`).expect(404);
    expect((await bob.get('/api/webhooks').expect(200)).body.items).toEqual([]);
    await alice.delete(`/api/webhooks/${created.body.id}`).expect(204);
    await alice.delete(`/api/webhooks/${created.body.id}`).expect(404);
  });

  it('POSTs each firing, signed with HMAC-SHA256 over "timestamp.body"', async () => {
    const alice = await tasksUser(app);
    const hook = await receiver(204);
    servers.push(hook.server);
    const { secret } = (await alice.post('/api/webhooks', { url: hook.url }).expect(201)).body as { secret: string };
    await fireReminder(alice);
    const [delivery] = await until(() => (hook.received.length > 0 ? hook.received : undefined), 5000);
    const timestamp = delivery.headers['webhook-timestamp'] as string;
    expect(delivery.headers['webhook-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(30);
    expect(delivery.headers['webhook-id']).toEqual(expect.any(String));
    const payload = JSON.parse(delivery.body) as { event: string; data: { taskId: string; late: boolean } };
    expect(payload).toMatchObject({ event: 'reminder.fired', data: { late: false } });
    expect(payload.data).not.toHaveProperty('ownerId');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.received).toHaveLength(1);
  });

  it('retries a failing webhook with back-off, and disables it after repeated failures', async () => {
    const alice = await tasksUser(app);
    const hook = await receiver(500);
    servers.push(hook.server);
    await alice.post('/api/webhooks', { url: hook.url }).expect(201);
    await fireReminder(alice);
    await fireReminder(alice);
    const disabled = await until(async () => {
      const [webhook] = (await alice.get('/api/webhooks').expect(200)).body.items as { disabledAt: string | null; failures: number }[];
      return webhook.disabledAt === null ? undefined : webhook;
    }, 15_000);
    expect(disabled.failures).toBeGreaterThanOrEqual(15);
    const attempts = hook.received.length;
    expect(attempts).toBeGreaterThanOrEqual(15);
    // Retries of one delivery carry the same id, later ones further apart.
    const ids = new Set(hook.received.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hook.received.length).toBe(attempts);
  });
});
