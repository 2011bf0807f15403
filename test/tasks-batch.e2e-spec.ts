import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { SyncingDevice } from './utils/sync-client.js';
import { type TaskJson, tasksUser, type TasksUser } from './utils/tasks-client.js';

const PROBLEMS = 'https://tasks-api.dev/problems/';
const batch = (user: TasksUser, operations: unknown[]) => user.post('/api/tasks/batch', { operations });
const titles = async (user: TasksUser) => ((await user.get('/api/tasks?limit=100&sort=title').expect(200)).body.items as TaskJson[]).map((task) => task.title);

describe('tasks: POST /api/tasks/batch', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('applies creates, updates and deletes in order, answering each as its single route would', async () => {
    const alice = await tasksUser(app);
    const a = await alice.createTask({ title: 'a', description: 'notes', dueAt: '2026-05-01T09:00:00Z' });
    const b = await alice.createTask({ title: 'b' });
    const res = await batch(alice, [
      { op: 'create', task: { title: '  c  ', tags: ['home', 'HOME'] } },
      { op: 'update', id: a.id, ifMatch: '"1"', task: { title: 'a2', description: null } },
      { op: 'delete', id: b.id },
      { op: 'update', id: a.id, ifMatch: '"2"', task: { dueAt: null, priority: 'high' } },
    ]).expect(200);
    const results = res.body.results as { status: number; task?: TaskJson; etag?: string }[];
    expect(results.map((result) => result.status)).toEqual([201, 200, 204, 200]);
    expect(results[0].task).toMatchObject({ title: 'c', tags: ['home'], version: 1 });
    expect(results[2]).toEqual({ status: 204 });
    expect(results[3].task).toMatchObject({ id: a.id, title: 'a2', description: null, dueAt: null, priority: 'high', version: 3 });
    for (const { task, etag } of [results[0], results[3]]) {
      const got = await alice.get(`/api/tasks/${task!.id}`).expect(200);
      expect(got.body).toEqual(task);
      expect(got.headers.etag).toBe(etag);
    }
    await alice.get(`/api/tasks/${b.id}`).expect(404);
  });

  it('completes a recurring task as PATCH does: the completion is recorded and the task advances', async () => {
    const alice = await tasksUser(app);
    const daily = await alice.createTask({ title: 'water plants', dueAt: '2026-05-01T07:00:00Z', timeZone: 'Europe/Berlin', recurrence: 'FREQ=DAILY' });
    const res = await batch(alice, [{ op: 'update', id: daily.id, ifMatch: '"1"', task: { completed: true } }]).expect(200);
    expect(res.body.results[0]).toMatchObject({ status: 200, etag: '"2"', task: { completed: false, dueAt: '2026-05-02T07:00:00.000Z', version: 2 } });
    const completions = (await alice.get(`/api/tasks/${daily.id}/completions`).expect(200)).body.items;
    expect(completions).toEqual([expect.objectContaining({ dueAt: '2026-05-01T07:00:00.000Z' })]);
  });

  it.each([
    ['a task that does not exist (404)', () => ({ op: 'update', id: randomUUID(), task: { title: 'x' } }), 404, 'not-found'],
    ['a stale ifMatch (412)', (ids: string[]) => ({ op: 'delete', id: ids[1], ifMatch: '"7"' }), 412, 'precondition-failed'],
  ])('applies nothing when an operation fails: %s', async (_case, failing, status, type) => {
    const alice = await tasksUser(app);
    const a = await alice.createTask({ title: 'a' });
    const b = await alice.createTask({ title: 'b' });
    const res = await batch(alice, [
      { op: 'create', task: { title: 'new' } },
      { op: 'update', id: a.id, task: { title: 'changed' } },
      failing([a.id, b.id]),
      { op: 'delete', id: b.id },
    ]).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: `${PROBLEMS}${type}`, status, operation: 2 });
    expect(res.body.results).toEqual([{ status: 424 }, { status: 424 }, { status, problem: { type: `${PROBLEMS}${type}`, title: expect.any(String), status, detail: res.body.detail } }, { status: 424 }]);
    expect(await titles(alice)).toEqual(['a', 'b']);
    expect((await alice.get(`/api/tasks/${a.id}`).expect(200)).body).toEqual(a);
  });

  it("treats another user's task as one that does not exist, and changes nothing of theirs", async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const bobs = await bob.createTask({ title: 'private' });
    const unknown = randomUUID();
    const answers = [];
    for (const id of [bobs.id, unknown]) {
      const res = await batch(alice, [{ op: 'update', id, task: { title: 'mine now' } }, { op: 'delete', id }]).expect(404);
      answers.push(JSON.stringify({ ...res.body, requestId: undefined }).replaceAll(id, '<id>'));
    }
    expect(answers[0]).toBe(answers[1]);
    expect((await bob.get(`/api/tasks/${bobs.id}`).expect(200)).body).toEqual(bobs);
  });

  it('records every write in the change feed, deletions included', async () => {
    const alice = await tasksUser(app);
    const kept = await alice.createTask({ title: 'kept' });
    const gone = await alice.createTask({ title: 'gone' });
    const device = new SyncingDevice(alice);
    await device.syncToEnd();
    const { results } = (await batch(alice, [{ op: 'create', task: { title: 'added' } }, { op: 'update', id: kept.id, task: { completed: true } }, { op: 'delete', id: gone.id }]).expect(200)).body;
    const changes = await device.syncToEnd();
    expect(changes).toEqual(expect.arrayContaining([results[0].task, results[1].task, expect.objectContaining({ id: gone.id, deleted: true })]));
    expect([...device.tasks.keys()].sort()).toEqual([results[0].task.id, kept.id].sort());
  });

  it('accepts 100 creates with long descriptions, beyond the single-request body limit', async () => {
    const alice = await tasksUser(app);
    const operations = Array.from({ length: 100 }, (_, n) => ({ op: 'create', task: { title: `task ${n}`, description: 'd'.repeat(1000), tags: ['bulk'] } }));
    expect(JSON.stringify({ operations }).length).toBeGreaterThan(100 * 1024);
    const res = await batch(alice, operations).expect(200);
    expect(res.body.results).toHaveLength(100);
    const oversized = await alice.post('/api/tasks/batch').set('content-type', 'application/json').send(JSON.stringify({ operations, padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect(oversized.status).toBe(413);
  });

  it('never deadlocks: concurrent batches over the same tasks in opposite orders all succeed', async () => {
    const alice = await tasksUser(app);
    const tasks = await Promise.all(Array.from({ length: 8 }, (_, n) => alice.createTask({ title: `t${n}` })));
    const updates = tasks.map((task) => ({ op: 'update', id: task.id, task: { completed: true } }));
    const flips = tasks.map((task) => ({ op: 'update', id: task.id, task: { completed: false } }));
    const runs = Array.from({ length: 12 }, (_, n) => batch(alice, n % 2 === 0 ? updates : [...flips].reverse()));
    expect((await Promise.all(runs)).map((res) => res.status)).toEqual(Array(12).fill(200));
  });

  it('replays an Idempotency-Key retry, refuses the key for another body, and stores no failed batch', async () => {
    const alice = await tasksUser(app);
    const key = randomUUID();
    const operations = [{ op: 'create', task: { title: 'once' } }];
    const first = await batch(alice, operations).set('idempotency-key', key).expect(200);
    const retry = await batch(alice, operations).set('idempotency-key', key).expect(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    await batch(alice, [{ op: 'create', task: { title: 'other' } }]).set('idempotency-key', key).expect(422);
    expect(await titles(alice)).toEqual(['once']);

    const missing = [{ op: 'delete', id: randomUUID() }];
    await batch(alice, missing).set('idempotency-key', 'failing').expect(404);
    await batch(alice, [{ op: 'create', task: { title: 'then' } }]).set('idempotency-key', 'failing').expect(200);
  });
});

describe('tasks: POST /api/tasks/batch within TASKS_PER_USER_MAX', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ TASKS_PER_USER_MAX: '3', RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses creates past the quota as a whole with 409 quota-exceeded and creates none; deletes earlier in the batch make room', async () => {
    const alice = await tasksUser(app);
    const first = await alice.createTask({ title: 'first' });
    const creates = ['x', 'y', 'z'].map((title) => ({ op: 'create', task: { title } }));
    const res = await batch(alice, creates).expect(409);
    expect(res.body).toMatchObject({ type: `${PROBLEMS}quota-exceeded`, operation: 2 });
    expect(await titles(alice)).toEqual(['first']);
    await batch(alice, [{ op: 'delete', id: first.id }, ...creates]).expect(200);
    expect(await titles(alice)).toEqual(['x', 'y', 'z']);
  });
});
