import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser, type TasksUser } from './utils/tasks-client.js';

const PROBLEM = /^application\/problem\+json/;
const PROBLEMS = 'https://tasks-api.dev/problems/';

describe('tasks: create, read, update, delete', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const expectValidationError = (res: request.Response, fields: string[]) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe(`${PROBLEMS}validation-error`);
    expect(errorFields(res.body).sort()).toEqual([...fields].sort());
    for (const error of res.body.errors) expect(error.message).toEqual(expect.any(String));
  };

  describe('POST /api/tasks', () => {
    it('creates a task with defaults: 201, Location, ETag', async () => {
      const alice = await tasksUser(app);
      const res = await alice.post('/api/tasks', { title: 'Buy milk' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Buy milk',
        description: null,
        completed: false,
        completedAt: null,
        priority: 'none',
        tags: [],
        dueAt: null,
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
        version: 1,
        recurrence: null,
        timeZone: null,
        recurrenceBase: 'due',
      });
      expect(res.headers.location).toBe(`/api/tasks/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(Date.now() - Date.parse(res.body.createdAt)).toBeLessThan(60_000);
      await alice.get(res.headers.location).expect(200);
    });

    it('normalises what it stores: trimmed title, de-duplicated tags, dueAt in UTC; completed sets completedAt', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({
        title: '  Plan trip \t',
        description: '  kept as sent ',
        completed: true,
        priority: 'high',
        tags: [' Travel', 'travel', 'TRAVEL ', 'family', 'Family'],
        dueAt: '2026-07-01T18:30:00.250+02:00',
      });
      expect(task).toMatchObject({
        title: 'Plan trip',
        description: '  kept as sent ',
        completed: true,
        priority: 'high',
        tags: ['Travel', 'family'],
        dueAt: '2026-07-01T16:30:00.250Z',
      });
      expect(task.completedAt).toEqual(expect.any(String));
    });

    it('accepts the limits: 200-character title, 1000-character description, 20 tags of 40 characters', async () => {
      const alice = await tasksUser(app);
      const tags = Array.from({ length: 20 }, (_, index) => `${index}`.padStart(40, 't'));
      const task = await alice.createTask({ title: 'x'.repeat(200), description: 'd'.repeat(1000), tags: [...tags, tags[0].toUpperCase()] });
      expect(task.tags).toEqual(tags);
    });

    it.each([
      ['a missing title', {}, ['title']],
      ['a blank title', { title: '   ' }, ['title']],
      ['a title of 201 characters', { title: 'x'.repeat(201) }, ['title']],
      ['a title that is not a string', { title: 42 }, ['title']],
      ['a null title', { title: null }, ['title']],
      ['a description of 1001 characters', { title: 't', description: 'd'.repeat(1001) }, ['description']],
      ['a description that is not a string', { title: 't', description: ['d'] }, ['description']],
      ['completed that is not a boolean', { title: 't', completed: 'yes' }, ['completed']],
      ['completed: null', { title: 't', completed: null }, ['completed']],
      ['an unknown priority', { title: 't', priority: 'urgent' }, ['priority']],
      ['priority: null', { title: 't', priority: null }, ['priority']],
      ['tags that are not an array', { title: 't', tags: 'home' }, ['tags']],
      ['tags: null', { title: 't', tags: null }, ['tags']],
      ['21 distinct tags', { title: 't', tags: Array.from({ length: 21 }, (_, index) => `tag${index}`) }, ['tags']],
      ['a tag that is not a string', { title: 't', tags: ['ok', 7] }, ['tags']],
      ['an empty tag', { title: 't', tags: ['ok', '  '] }, ['tags']],
      ['a tag of 41 characters', { title: 't', tags: ['x'.repeat(41)] }, ['tags']],
      ['a dueAt without offset', { title: 't', dueAt: '2026-05-01T09:00:00' }, ['dueAt']],
      ['a dueAt that is a date only', { title: 't', dueAt: '2026-05-01' }, ['dueAt']],
      ['a dueAt that is not a real date', { title: 't', dueAt: '2026-02-30T09:00:00Z' }, ['dueAt']],
      ['a dueAt that is a number', { title: 't', dueAt: 1777626000000 }, ['dueAt']],
      ['several broken rules at once', { title: '', priority: 'x', tags: [1], dueAt: 'soon' }, ['title', 'priority', 'tags', 'dueAt']],
    ])('rejects %s with a field error', async (_case, body, fields) => {
      const alice = await tasksUser(app);
      expectValidationError(await alice.post('/api/tasks', body), fields);
    });

    it('rejects unknown fields, listing each, so the owner, id or version can never be set', async () => {
      const alice = await tasksUser(app);
      const res = await alice.post('/api/tasks', { title: 't', ownerId: 'mallory', id: randomUUID(), version: 9, colour: 'red' });
      expectValidationError(res, ['ownerId', 'id', 'version', 'colour']);
      expect(res.body.errors).toContainEqual({ field: 'colour', message: 'colour is not a known field' });
    });

    it('accepts null for the nullable fields', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 't', description: null, dueAt: null });
      expect(task).toMatchObject({ description: null, dueAt: null });
    });
  });

  describe('request bodies', () => {
    const post = (user: TasksUser) => request(app.getHttpServer()).post('/api/tasks').set('authorization', user.authorization);

    it('answers malformed JSON with 400 malformed-body', async () => {
      const alice = await tasksUser(app);
      const res = await post(alice).set('content-type', 'application/json').send('{"title": "x",').expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toMatch(/\/malformed-body$/);
    });

    it('answers a body nested too deeply with 400 malformed-body, for every route and JSON type, and stores nothing', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Keep me' });
      // Within the 100 KiB limit, yet deep enough to overflow a recursive walk (class-transformer's).
      const deep = (depth: number) => `{"title":"x","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const attempts = [
        post(alice).set('content-type', 'application/json').send(deep(5_000)),
        post(alice).set('content-type', 'application/merge-patch+json').send(deep(40)),
        request(app.getHttpServer()).patch(`/api/tasks/${task.id}`).set('authorization', alice.authorization).set('content-type', 'application/merge-patch+json').send(deep(5_000)),
        request(app.getHttpServer()).post(`/api/${alice.id}/tasks`).set('authorization', alice.authorization).set('content-type', 'application/json').send(deep(5_000)),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.body.type).toBe(`${PROBLEMS}malformed-body`);
        expect(res.body.detail).toMatch(/nest/);
      }
      const list = await alice.get('/api/tasks').expect(200);
      expect(list.body.items).toEqual([task]);
    });

    it('accepts the nesting a task needs, with room to spare', async () => {
      const alice = await tasksUser(app);
      const res = await post(alice).set('content-type', 'application/json').send(`{"title":"x","tags":${'['.repeat(31)}${']'.repeat(31)}}`);
      // 32 levels are parsed, so validation answers (tags must be strings), not the parser.
      expect(res.status).toBe(400);
      expect(res.body.type).toBe(`${PROBLEMS}validation-error`);
    });

    it('answers a compressed body with 415 rather than as malformed JSON', async () => {
      const alice = await tasksUser(app);
      const res = await post(alice).set('content-type', 'application/json').set('content-encoding', 'gzip').send(gzipSync('{"title":"x"}'));
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe(`${PROBLEMS}unsupported-media-type`);
      expect(res.body.detail).toMatch(/Content-Encoding/);
      await post(alice).set('content-type', 'application/json').set('content-encoding', 'identity').send('{"title":"plain"}').expect(201);
    });

    it('answers text and form bodies with 415', async () => {
      const alice = await tasksUser(app);
      const text = await post(alice).set('content-type', 'text/plain').send('title=x').expect(415);
      expect(text.body.type).toBe(`${PROBLEMS}unsupported-media-type`);
      await post(alice).type('form').send({ title: 'x' }).expect(415);
    });

    it('answers a body over 100 KiB with 413', async () => {
      const alice = await tasksUser(app);
      const res = await post(alice).send({ title: 'x', description: 'y'.repeat(101 * 1024) }).expect(413);
      expect(res.body.type).toBe(`${PROBLEMS}payload-too-large`);
    });

    it('accepts application/merge-patch+json', async () => {
      const alice = await tasksUser(app);
      await post(alice).set('content-type', 'application/merge-patch+json').send('{"title":"merge"}').expect(201);
    });
  });

  describe('GET /api/tasks/:id', () => {
    it('returns the task with its ETag, and 304 for If-None-Match with that ETag', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Read me' });
      const res = await alice.get(`/api/tasks/${task.id}`).expect(200);
      expect(res.body).toEqual(task);
      expect(res.headers.etag).toBe('"1"');

      const notModified = await alice.get(`/api/tasks/${task.id}`).set('if-none-match', '"1"').expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe('"1"');
      await alice.get(`/api/tasks/${task.id}`).set('if-none-match', 'W/"1"').expect(304);
      await alice.get(`/api/tasks/${task.id}`).set('if-none-match', '*').expect(304);
      await alice.get(`/api/tasks/${task.id}`).set('if-none-match', '"0", "2"').expect(200);

      await alice.patch(`/api/tasks/${task.id}`, { title: 'Changed' }).expect(200);
      const changed = await alice.get(`/api/tasks/${task.id}`).set('if-none-match', '"1"').expect(200);
      expect(changed.headers.etag).toBe('"2"');
    });

    it('answers a malformed id with 400 naming the id', async () => {
      const alice = await tasksUser(app);
      expectValidationError(await alice.get('/api/tasks/not-a-uuid'), ['id']);
    });

    it("answers a missing task and another user's task with the same 404", async () => {
      const alice = await tasksUser(app);
      const bob = await tasksUser(app);
      const bobsTask = await bob.createTask({ title: "Bob's" });
      const missing = await alice.get(`/api/tasks/${randomUUID()}`).expect(404);
      const foreign = await alice.get(`/api/tasks/${bobsTask.id}`).expect(404);
      const strip = (body: Record<string, unknown>) => ({ ...body, detail: undefined, instance: undefined, requestId: undefined });
      expect(strip(foreign.body)).toEqual(strip(missing.body));
      expect(foreign.body.type).toBe(`${PROBLEMS}not-found`);
      expect(foreign.body.detail).toBe(`There is no task ${bobsTask.id}.`);
      expect(Object.keys(foreign.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    });
  });

  describe('PATCH /api/tasks/:id', () => {
    it('changes only the fields sent, bumps version and updatedAt, and returns the new ETag', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Old', description: 'keep', priority: 'low', tags: ['a'], dueAt: '2026-01-01T00:00:00Z' });
      const res = await alice.patch(`/api/tasks/${task.id}`, { title: '  New  ', priority: 'high' }).expect(200);
      expect(res.body).toMatchObject({ title: 'New', description: 'keep', priority: 'high', tags: ['a'], dueAt: '2026-01-01T00:00:00.000Z', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));
      expect(res.body.createdAt).toBe(task.createdAt);

      const tags = await alice.patch(`/api/tasks/${task.id}`, { tags: ['X', 'x', ' y '] }).expect(200);
      expect(tags.body).toMatchObject({ tags: ['X', 'y'], version: 3 });
    });

    it('sets completedAt when completed, keeps it when completed again, clears it when reopened', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Do it' });
      const done = (await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200)).body;
      expect(done.completedAt).toEqual(expect.any(String));
      const again = (await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200)).body;
      expect(again.completedAt).toBe(done.completedAt);
      const reopened = (await alice.patch(`/api/tasks/${task.id}`, { completed: false }).expect(200)).body;
      expect(reopened).toMatchObject({ completed: false, completedAt: null });
    });

    it('leaves version and updatedAt alone when nothing changes', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Same', tags: ['a'] });
      const empty = await alice.patch(`/api/tasks/${task.id}`, {}).expect(200);
      expect(empty.body).toEqual(task);
      const same = await alice.patch(`/api/tasks/${task.id}`, { title: 'Same', tags: ['a'], completed: false }).expect(200);
      expect(same.body).toEqual(task);
      expect(same.headers.etag).toBe('"1"');
    });

    it('clears description and dueAt with null (merge patch)', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 't', description: 'd', dueAt: '2026-01-01T00:00:00Z' });
      const res = await request(app.getHttpServer())
        .patch(`/api/tasks/${task.id}`)
        .set('authorization', alice.authorization)
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ description: null, dueAt: null }))
        .expect(200);
      expect(res.body).toMatchObject({ description: null, dueAt: null, version: 2 });
    });

    it.each([
      ['title: null', { title: null }, ['title']],
      ['a blank title', { title: ' ' }, ['title']],
      ['completed: null', { completed: null }, ['completed']],
      ['priority: null', { priority: null }, ['priority']],
      ['tags: null', { tags: null }, ['tags']],
      ['an unknown priority', { priority: 'urgent' }, ['priority']],
      ['a bad dueAt', { dueAt: 'tomorrow' }, ['dueAt']],
      ['unknown fields', { completedAt: null, owner: 'x' }, ['completedAt', 'owner']],
    ])('rejects %s', async (_case, body, fields) => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 't' });
      expectValidationError(await alice.patch(`/api/tasks/${task.id}`, body), fields);
      expect((await alice.get(`/api/tasks/${task.id}`).expect(200)).body).toEqual(task);
    });

    it('honours If-Match: 200 when it names the current version or *, 412 when the task has changed', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'v1' });
      await alice.patch(`/api/tasks/${task.id}`, { title: 'v2' }).set('if-match', '"1"').expect(200);
      const stale = await alice.patch(`/api/tasks/${task.id}`, { title: 'lost update' }).set('if-match', '"1"').expect(412);
      expect(stale.headers['content-type']).toMatch(PROBLEM);
      expect(stale.body.type).toBe(`${PROBLEMS}precondition-failed`);
      await alice.patch(`/api/tasks/${task.id}`, { title: 'v3' }).set('if-match', '"7", "2"').expect(200);
      await alice.patch(`/api/tasks/${task.id}`, { title: 'weak' }).set('if-match', 'W/"3"').expect(412);
      await alice.patch(`/api/tasks/${task.id}`, { title: 'v4' }).set('if-match', '*').expect(200);
      expect((await alice.get(`/api/tasks/${task.id}`)).body).toMatchObject({ title: 'v4', version: 4 });
    });

    it('lets exactly one of two concurrent updates with the same If-Match win', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'contended' });
      const results = await Promise.all(
        ['first', 'second', 'third'].map((title) => alice.patch(`/api/tasks/${task.id}`, { title }).set('if-match', '"1"')),
      );
      expect(results.map((res) => res.status).sort()).toEqual([200, 412, 412]);
      const winner = results.find((res) => res.status === 200)!;
      expect((await alice.get(`/api/tasks/${task.id}`)).body).toMatchObject({ title: winner.body.title, version: 2 });
    });

    it("answers a missing or someone else's task with 404, with or without If-Match, and changes nothing", async () => {
      const alice = await tasksUser(app);
      const bob = await tasksUser(app);
      const bobsTask = await bob.createTask({ title: "Bob's" });
      await alice.patch(`/api/tasks/${randomUUID()}`, { title: 'x' }).expect(404);
      await alice.patch(`/api/tasks/${bobsTask.id}`, { title: 'x' }).expect(404);
      await alice.patch(`/api/tasks/${bobsTask.id}`, { title: 'x' }).set('if-match', '"1"').expect(404);
      await alice.patch(`/api/tasks/${bobsTask.id}`, { title: 'x' }).set('if-match', '"9"').expect(404);
      expect((await bob.get(`/api/tasks/${bobsTask.id}`)).body).toEqual(bobsTask);
      expectValidationError(await alice.patch('/api/tasks/123', { title: 'x' }), ['id']);
    });
  });

  describe('DELETE /api/tasks/:id', () => {
    it('honours If-Match: 412 and nothing deleted when the task has changed, 204 at the current version, 400 when empty', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'v1' });
      await alice.patch(`/api/tasks/${task.id}`, { title: 'v2' }).expect(200);
      const stale = await alice.delete(`/api/tasks/${task.id}`).set('if-match', '"1"').expect(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      await alice.get(`/api/tasks/${task.id}`).expect(200);
      expectValidationError(await alice.delete(`/api/tasks/${task.id}`).set('if-match', ' '), ['If-Match']);
      await alice.delete(`/api/tasks/${task.id}`).set('if-match', '"2"').expect(204);
      await alice.delete(`/api/tasks/${task.id}`).set('if-match', '*').expect(404);
    });

    it('deletes: 204, then 404', async () => {
      const alice = await tasksUser(app);
      const task = await alice.createTask({ title: 'Bye' });
      const res = await alice.delete(`/api/tasks/${task.id}`).expect(204);
      expect(res.text).toBe('');
      await alice.delete(`/api/tasks/${task.id}`).expect(404);
      await alice.get(`/api/tasks/${task.id}`).expect(404);
    });

    it("cannot delete someone else's task, and says so with the same 404", async () => {
      const alice = await tasksUser(app);
      const bob = await tasksUser(app);
      const bobsTask = await bob.createTask({ title: "Bob's" });
      await alice.delete(`/api/tasks/${bobsTask.id}`).expect(404);
      await bob.get(`/api/tasks/${bobsTask.id}`).expect(200);
      expectValidationError(await alice.delete('/api/tasks/nope'), ['id']);
    });
  });

  describe('GET /api/tags', () => {
    it("lists the caller's tags ignoring case, with open and total counts", async () => {
      const alice = await tasksUser(app);
      const bob = await tasksUser(app);
      expect((await alice.get('/api/tags').expect(200)).body).toEqual({ items: [] });
      await alice.createTask({ title: '1', tags: ['Home', 'urgent'] });
      await alice.createTask({ title: '2', tags: ['home'], completed: true });
      await alice.createTask({ title: '3', tags: ['home', 'Zebra'] });
      await alice.createTask({ title: '4' });
      await bob.createTask({ title: 'b', tags: ['home', 'secret'] });
      const res = await alice.get('/api/tags').expect(200);
      expect(res.body).toEqual({
        items: [
          { name: 'home', open: 2, total: 3 },
          { name: 'urgent', open: 1, total: 1 },
          { name: 'Zebra', open: 1, total: 1 },
        ],
      });
    });
  });

  it('needs a bearer token on every tasks route', async () => {
    const server = app.getHttpServer();
    const id = randomUUID();
    const responses = await Promise.all([
      request(server).get('/api/tasks'),
      request(server).post('/api/tasks').send({ title: 'x' }),
      request(server).get(`/api/tasks/${id}`),
      request(server).patch(`/api/tasks/${id}`).send({}),
      request(server).delete(`/api/tasks/${id}`),
      request(server).get('/api/tags'),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(401);
      expect(res.body.type).toBe(`${PROBLEMS}unauthorized`);
    }
  });
});
