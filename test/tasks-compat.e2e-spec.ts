import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser, withDatabase } from './utils/tasks-client.js';

interface CompatTask {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
  priority: string;
  tags: string[];
  due_date: string | null;
}

describe('tasks: the original backend’s /api/{user_id}/tasks routes', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates, reads, updates, toggles and deletes with snake_case JSON, like the FastAPI backend', async () => {
    const alice = await tasksUser(app);
    const base = `/api/${alice.id}/tasks`;
    const created = await alice.post(base, { title: ' Buy milk ', description: 'semi' }).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: alice.id,
      title: 'Buy milk',
      description: 'semi',
      completed: false,
      created_at: expect.any(String),
      updated_at: created.body.created_at,
      priority: 'none',
      tags: [],
      due_date: null,
    });
    const id = (created.body as CompatTask).id;

    expect((await alice.get(`${base}/${id}`).expect(200)).body).toEqual(created.body);

    const updated = await alice.put(`${base}/${id}`, { title: 'Buy oat milk', due_date: '2026-03-01T10:00:00Z', tags: ['Shop'] }).expect(200);
    expect(updated.body).toMatchObject({ title: 'Buy oat milk', description: 'semi', due_date: '2026-03-01T10:00:00.000Z', tags: ['Shop'], completed: false });

    const done = await alice.patch(`${base}/${id}/complete`).expect(200);
    expect(done.body.completed).toBe(true);
    const undone = await alice.patch(`${base}/${id}/complete`).expect(200);
    expect(undone.body.completed).toBe(false);

    // The same task, through the main API.
    expect((await alice.get(`/api/tasks/${id}`).expect(200)).body).toMatchObject({ title: 'Buy oat milk', completed: false, version: 4 });

    await alice.delete(`${base}/${id}`).expect(204);
    await alice.get(`${base}/${id}`).expect(404);
    await alice.delete(`${base}/${id}`).expect(404);
    await alice.patch(`${base}/${id}/complete`).expect(404);
    await alice.put(`${base}/${id}`, { title: 'x' }).expect(404);
  });

  it('lists every task as a plain array, with status and sort', async () => {
    const alice = await tasksUser(app);
    const base = `/api/${alice.id}/tasks`;
    expect((await alice.get(base).expect(200)).body).toEqual([]);
    for (const body of [
      { title: 'b second', due_date: '2026-02-01T00:00:00Z' },
      { title: 'A first', completed: true },
      { title: 'c third', due_date: '2026-01-01T00:00:00Z' },
    ]) {
      await alice.post(base, body).expect(201);
    }
    const titles = async (query: string) => ((await alice.get(`${base}${query}`).expect(200)).body as CompatTask[]).map((task) => task.title);
    expect(await titles('')).toEqual(['c third', 'A first', 'b second']);
    expect(await titles('?sort=created')).toEqual(['c third', 'A first', 'b second']);
    expect(await titles('?sort=title')).toEqual(['A first', 'b second', 'c third']);
    expect(await titles('?sort=due_date')).toEqual(['c third', 'b second', 'A first']);
    expect(await titles('?status=pending&sort=title')).toEqual(['b second', 'c third']);
    expect(await titles('?status=completed')).toEqual(['A first']);
    expect(await titles('?status=all')).toHaveLength(3);
  });

  it('returns every task, however many pages it takes internally', async () => {
    const alice = await tasksUser(app);
    await withDatabase((db) => db.query(`INSERT INTO tasks (owner_id, title) SELECT $1, 't' || n FROM generate_series(1, 520) AS n`, [alice.id]));
    const all = (await alice.get(`/api/${alice.id}/tasks`).expect(200)).body as CompatTask[];
    expect(all).toHaveLength(520);
    expect(new Set(all.map((task) => task.id)).size).toBe(520);
  });

  it('answers 403 when the path names another user, before looking at the request', async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const bobsTask = (await bob.post(`/api/${bob.id}/tasks`, { title: "Bob's" }).expect(201)).body as CompatTask;
    const base = `/api/${bob.id}/tasks`;
    const responses = await Promise.all([
      alice.get(base),
      alice.post(base, { title: 'sneaky' }),
      alice.post(base, { nonsense: true }),
      alice.get(`${base}/${bobsTask.id}`),
      alice.get(`${base}/not-a-uuid`),
      alice.put(`${base}/${bobsTask.id}`, { title: 'mine now' }),
      alice.patch(`${base}/${bobsTask.id}/complete`),
      alice.delete(`${base}/${bobsTask.id}`),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('https://tasks-api.dev/problems/forbidden');
    }
    expect((await bob.get(`${base}/${bobsTask.id}`).expect(200)).body).toEqual(bobsTask);
    // Through her own path, Bob's task is simply not there.
    await alice.get(`/api/${alice.id}/tasks/${bobsTask.id}`).expect(404);
    await alice.delete(`/api/${alice.id}/tasks/${bobsTask.id}`).expect(404);
  });

  it('needs a bearer token', async () => {
    const alice = await tasksUser(app);
    await request(app.getHttpServer()).get(`/api/${alice.id}/tasks`).expect(401);
  });

  it.each([
    ['a missing title', {}, ['title']],
    ['a bad due_date', { title: 't', due_date: '2026-01-01' }, ['due_date']],
    ['camelCase dueAt, unknown here', { title: 't', dueAt: '2026-01-01T00:00:00Z' }, ['dueAt']],
    ['user_id in the body', { title: 't', user_id: 'mallory' }, ['user_id']],
    ['a bad priority', { title: 't', priority: 'urgent' }, ['priority']],
  ])('validates the create body: %s', async (_case, body, fields) => {
    const alice = await tasksUser(app);
    const res = await alice.post(`/api/${alice.id}/tasks`, body).expect(400);
    expect(errorFields(res.body).sort()).toEqual([...fields].sort());
  });

  it('validates updates, ids and list parameters', async () => {
    const alice = await tasksUser(app);
    const base = `/api/${alice.id}/tasks`;
    const task = (await alice.post(base, { title: 't' }).expect(201)).body as CompatTask;
    expect(errorFields((await alice.put(`${base}/${task.id}`, { title: null }).expect(400)).body)).toEqual(['title']);
    expect(errorFields((await alice.put(`${base}/${task.id}`, { completed: 'yes' }).expect(400)).body)).toEqual(['completed']);
    expect(errorFields((await alice.get(`${base}/123`).expect(400)).body)).toEqual(['id']);
    expect(errorFields((await alice.patch(`${base}/123/complete`).expect(400)).body)).toEqual(['id']);
    expect(errorFields((await alice.get(`${base}?status=open`).expect(400)).body)).toEqual(['status']);
    expect(errorFields((await alice.get(`${base}?sort=-created`).expect(400)).body)).toEqual(['sort']);
    await alice.get(`${base}/${randomUUID()}`).expect(404);
  });
});
