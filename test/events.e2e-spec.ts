import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { SseClient } from './utils/sse-client.js';
import { SyncingDevice } from './utils/sync-client.js';
import { type TaskJson, tasksUser, type TasksUser, withDatabase } from './utils/tasks-client.js';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('GET /api/events', () => {
  let app: NestFastifyApplication;
  let origin: string;
  const open: SseClient[] = [];

  beforeAll(async () => {
    app = await createTestApp({ EVENTS_HEARTBEAT_SECONDS: '1', EVENT_STREAMS_PER_USER: '2', REMINDER_POLL_MS: '50' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = await app.getUrl();
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function stream(user: TasksUser | undefined, query = '', headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(`${origin}/api/events${query}`, { ...(user ? { authorization: user.authorization } : {}), ...headers });
    open.push(client);
    return client;
  }

  const current = async (user: TasksUser, id: string) => (await user.get(`/api/tasks/${id}`).expect(200)).body as TaskJson;

  it('refuses a request without credentials, and serves one with a bearer token as an event stream', async () => {
    const refused = await stream(undefined);
    expect(refused.status).toBe(401);
    expect(refused.header('content-type')).toContain('application/problem+json');

    const client = await stream(await tasksUser(app));
    expect(client.status).toBe(200);
    expect(client.header('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.header('cache-control')).toBe('no-store');
    expect(client.header('x-accel-buffering')).toBe('no');
    expect(client.header('x-request-id')).toBeTruthy();
    await expect.poll(() => client.comments).toContain('heartbeat');
    expect(client.retry).toBeGreaterThan(0);
  });

  it('takes a single-use ticket, for this route only, and never logs it', async () => {
    const info = vi.spyOn(PinoLogger.root, 'info');
    const user = await tasksUser(app);
    const issued = (await user.post('/api/events/tickets').expect(201)).body as { ticket: string; expiresAt: string };
    expect(issued.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now());

    const client = await stream(undefined, `?ticket=${issued.ticket}`);
    expect(client.status).toBe(200);
    const task = await user.createTask({ title: 'seen through a ticket' });
    expect((await client.take(1))[0]).toMatchObject({ event: 'task.created', data: JSON.stringify(await current(user, task.id)) });
    client.close();

    const again = await stream(undefined, `?ticket=${issued.ticket}`);
    expect(again.status).toBe(401);
    expect(await again.problem()).toMatchObject({ status: 401, type: 'https://tasks-api.dev/problems/unauthorized' });
    // Not a bearer token anywhere, nor a ticket anywhere else.
    const another = (await user.post('/api/events/tickets').expect(201)).body as { ticket: string };
    await user.get('/api/tasks').set('authorization', `Bearer ${another.ticket}`).expect(401);
    const elsewhere = await fetch(`${origin}/api/tasks?ticket=${another.ticket}`);
    expect(elsewhere.status).toBe(401);
    // Expired.
    await withDatabase((db) => db.query(`UPDATE event_tickets SET expires_at = now() - interval '1 second' WHERE owner_id = $1`, [user.id]));
    expect((await stream(undefined, `?ticket=${another.ticket}`)).status).toBe(401);

    await expect.poll(() => info.mock.calls.filter(([line]) => (line as { path?: string }).path === '/api/events').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(info.mock.calls)).not.toContain(issued.ticket);
    expect(JSON.stringify(info.mock.calls)).not.toContain(another.ticket);
    info.mockRestore();
  });

  it('writes one access line for a stream when it ends, with its request id and how long it lasted', async () => {
    const info = vi.spyOn(PinoLogger.root, 'info');
    const client = await stream(await tasksUser(app));
    expect(client.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lineOf = () => info.mock.calls.map(([line]) => line as { requestId?: string; path?: string; status?: number; durationMs?: number }).filter((line) => line.requestId === client.header('x-request-id'));
    expect(lineOf()).toEqual([]);
    client.close();
    await expect.poll(lineOf).toHaveLength(1);
    expect(lineOf()[0]).toMatchObject({ method: 'GET', route: '/api/events', path: '/api/events', status: 200 });
    expect(lineOf()[0].durationMs).toBeGreaterThanOrEqual(300);
    info.mockRestore();
  });

  it('drops the connection of a client that stops reading, after two heartbeats with a full socket', async () => {
    const info = vi.spyOn(PinoLogger.root, 'info');
    const user = await tasksUser(app);
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    socket.write(`GET /api/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.authorization}\r\n\r\n`);
    const head = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    socket.pause();
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    // About 10 MB of events: more than the loopback socket's buffers hold for a client that reads nothing.
    await withDatabase((db) => db.query(`INSERT INTO tasks (owner_id, title, description) SELECT $1, 'task ' || n, repeat('x', 1000) FROM generate_series(1, 8000) AS n`, [user.id]));
    const requestId = /x-request-id: (\S+)/i.exec(head)?.[1];
    const dropped = () => info.mock.calls.some(([line]) => (line as { requestId?: string }).requestId === requestId);
    try {
      await expect.poll(dropped, { timeout: 8_000 }).toBe(true);
      // Its slot is free again: the user's two streams may be opened.
      const streams = [await stream(user), await stream(user)];
      expect(streams.map((client) => client.status)).toEqual([200, 200]);
    } finally {
      socket.destroy();
      info.mockRestore();
    }
  });

  it('sends task.created, task.updated and task.deleted with the task or its tombstone, to its owner only', async () => {
    const [alice, bob] = await Promise.all([tasksUser(app), tasksUser(app)]);
    const [aliceStream, bobStream] = [await stream(alice), await stream(bob)];

    const task = await alice.createTask({ title: 'one' });
    const [created] = await aliceStream.take(1);
    expect(created).toMatchObject({ event: 'task.created', id: expect.any(String) as string });
    expect(JSON.parse(created.data)).toEqual(await current(alice, task.id));

    await alice.patch(`/api/tasks/${task.id}`, { title: 'two' }).expect(200);
    const [updated] = await aliceStream.take(1);
    expect(updated.event).toBe('task.updated');
    expect(JSON.parse(updated.data)).toMatchObject({ id: task.id, title: 'two', version: 2 });

    await alice.delete(`/api/tasks/${task.id}`).expect(204);
    const [deleted] = await aliceStream.take(1);
    expect(deleted.event).toBe('task.deleted');
    expect(JSON.parse(deleted.data)).toEqual({ id: task.id, deleted: true, deletedAt: expect.any(String) as string });

    const bobs = await bob.createTask({ title: "bob's" });
    expect(JSON.parse((await bobStream.take(1))[0].data)).toMatchObject({ id: bobs.id });
    expect(await bobStream.rest()).toEqual([]);
    expect(await aliceStream.rest()).toEqual([]);
  });

  it('resumes after Last-Event-ID with exactly the changes missed, and ids work as change feed tokens', async () => {
    const user = await tasksUser(app);
    const first = await stream(user);
    const [kept, changed, removed] = [await user.createTask({ title: 'kept' }), await user.createTask({ title: 'changed' }), await user.createTask({ title: 'removed' })];
    await first.take(3);
    first.close();

    await user.patch(`/api/tasks/${changed.id}`, { completed: true }).expect(200);
    await user.delete(`/api/tasks/${removed.id}`).expect(204);
    const added = await user.createTask({ title: 'added' });

    const resumed = await stream(user, '', { 'last-event-id': first.lastEventId! });
    const missed = await resumed.take(3);
    expect(missed.map((event) => [event.event, (JSON.parse(event.data) as { id: string }).id])).toEqual([
      ['task.updated', changed.id],
      ['task.deleted', removed.id],
      ['task.created', added.id],
    ]);
    expect(await resumed.rest()).toEqual([]);
    expect(kept.id).toBeDefined();

    // An event id is a change feed token: nothing after the last one.
    const feed = (await user.get(`/api/tasks/changes?since=${encodeURIComponent(resumed.lastEventId!)}`).expect(200)).body as { changes: unknown[] };
    expect(feed.changes).toEqual([]);
  });

  it('continues a change feed sync from its token with no gap, and refuses bad tokens before streaming', async () => {
    const user = await tasksUser(app);
    await user.createTask({ title: 'synced' });
    const device = new SyncingDevice(user);
    await device.syncToEnd();
    const afterSync = await user.createTask({ title: 'after the sync' });
    const client = await stream(user, `?since=${encodeURIComponent(device.since!)}`);
    const later = await user.createTask({ title: 'while streaming' });
    const events = await client.take(2);
    expect(events.map((event) => (JSON.parse(event.data) as { id: string }).id)).toEqual([afterSync.id, later.id]);

    for (const [query, headers, field] of [
      ['?since=nonsense', {}, 'since'],
      ['', { 'last-event-id': 'nonsense' }, 'Last-Event-ID'],
    ] as const) {
      const bad = await stream(user, query, headers);
      expect(bad.status).toBe(400);
      expect(await bad.problem()).toMatchObject({ errors: [{ field }] });
    }
    const snapshot = (await user.get('/api/tasks/changes?limit=1').expect(200)).body as { nextSince: string };
    expect((await stream(user, `?since=${encodeURIComponent(snapshot.nextSince)}`)).status).toBe(400);
  });

  it('caps the streams one user holds open', async () => {
    const user = await tasksUser(app);
    const [a] = [await stream(user), await stream(user)];
    const third = await stream(user);
    expect(third.status).toBe(429);
    expect(third.header('retry-after')).toBeTruthy();
    expect(await third.problem()).toMatchObject({ type: 'https://tasks-api.dev/problems/too-many-requests' });
    a.close();
    await expect.poll(async () => (await stream(user)).status).toBe(200);
  });

  it('delivers reminder.fired live', async () => {
    const user = await tasksUser(app);
    const client = await stream(user);
    const task = await user.createTask({ title: 'Tea', dueAt: inSeconds(1.5) });
    const reminder = (await user.post(`/api/tasks/${task.id}/reminders`, { before: 'PT1S' }).expect(201)).body as { id: string };
    await client.take(1);
    const [fired] = await client.take(1);
    expect(fired.event).toBe('reminder.fired');
    expect(fired.id).toBeUndefined();
    expect(JSON.parse(fired.data)).toMatchObject({ reminderId: reminder.id, taskId: task.id });
  });

  it('delivers a write whose transaction commits after a later one, in feed order', async () => {
    const user = await tasksUser(app);
    const client = await stream(user);
    const db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
    try {
      await db.query('BEGIN');
      const { rows } = await db.query<{ id: string }>(`INSERT INTO tasks (owner_id, title) VALUES ($1, 'slow writer') RETURNING id`, [user.id]);
      const fast = await user.createTask({ title: 'fast writer' });
      await db.query('COMMIT');
      const events = await client.take(2);
      expect(events.map((event) => [event.event, (JSON.parse(event.data) as { id: string }).id])).toEqual([
        ['task.created', rows[0].id],
        ['task.created', fast.id],
      ]);
    } finally {
      await db.end();
    }
  });

  it('outlives the connection and request timeouts, kept up by its heartbeats', async () => {
    const short = await createTestApp({ EVENTS_HEARTBEAT_SECONDS: '1', REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '500', CONNECTION_TIMEOUT_MS: '1500' });
    try {
      await short.listen({ port: 0, host: '127.0.0.1' });
      const user = await tasksUser(short);
      const client = await SseClient.open(`${await short.getUrl()}/api/events`, { authorization: user.authorization });
      open.push(client);
      expect(client.status).toBe(200);
      await expect.poll(() => client.comments.filter((comment) => comment === 'heartbeat').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
      const task = await user.createTask({ title: 'after the timeouts' });
      expect(JSON.parse((await client.take(1))[0].data)).toMatchObject({ id: task.id });
    } finally {
      for (const client of open.splice(0)) client.close();
      await short.close();
    }
  });
});
