import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { tasksUser, type TasksUser } from './utils/tasks-client.js';

const VALIDATION_ERROR = 'https://tasks-api.dev/problems/validation-error';
const batch = (user: TasksUser, body: unknown) => user.post('/api/tasks/batch', body);
const VALID = { op: 'create', task: { title: 'valid' } };

/** A 400 validation problem naming operation `index`, with exactly `errors`. */
function expectInvalidOperation(res: request.Response, index: number, errors: { field: string; message: string }[]): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: VALIDATION_ERROR, operation: index, detail: expect.stringMatching(new RegExp(`^Operation ${index} is invalid: `)) });
  expect(res.body.errors).toEqual(errors);
}

describe('tasks: POST /api/tasks/batch validates every operation as its single route, before any write', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const countTasks = async (user: TasksUser) => (await user.get('/api/tasks?limit=100').expect(200)).body.items.length as number;

  it.each([
    ['a title of 201 characters', { title: 'x'.repeat(201) }],
    ['a null title', { title: null }],
    ['an unknown field', { title: 't', colour: 'red' }],
    ['a dueAt without offset', { title: 't', dueAt: '2026-05-01T09:00:00' }],
    ['several broken rules at once', { title: '', priority: 'x', tags: [1], dueAt: 'soon' }],
  ])('rejects a create with %s exactly as POST /api/tasks does, at its index', async (_case, task) => {
    const alice = await tasksUser(app);
    const single = await alice.post('/api/tasks', task).expect(400);
    const res = await batch(alice, { operations: [VALID, VALID, { op: 'create', task }] });
    expectInvalidOperation(res, 2, single.body.errors.map((e: { field: string; message: string }) => ({ ...e, field: `operations.2.task.${e.field}` })));
    expect(await countTasks(alice)).toBe(0);
  });

  it.each([
    ['title: null', { title: null }],
    ['completed: null', { completed: null }],
    ['tags: null', { tags: null }],
    ['a bad dueAt', { dueAt: 'tomorrow' }],
    ['unknown fields', { completedAt: null, owner: 'x' }],
  ])('rejects an update with %s exactly as PATCH does, at its index', async (_case, task) => {
    const alice = await tasksUser(app);
    const existing = await alice.createTask({ title: 't' });
    const single = await alice.patch(`/api/tasks/${existing.id}`, task).expect(400);
    const res = await batch(alice, { operations: [VALID, { op: 'update', id: existing.id, task }] });
    expectInvalidOperation(res, 1, single.body.errors.map((e: { field: string; message: string }) => ({ ...e, field: `operations.1.task.${e.field}` })));
    expect(await countTasks(alice)).toBe(1);
  });

  it('checks ids as the path parameter and ifMatch as the If-Match header', async () => {
    const alice = await tasksUser(app);
    const malformedId = await alice.get('/api/tasks/not-a-uuid').expect(400);
    expectInvalidOperation(await batch(alice, { operations: [{ op: 'delete', id: 'not-a-uuid' }] }), 0, [{ field: 'operations.0.id', message: malformedId.body.errors[0].message }]);
    const id = (await alice.createTask({ title: 't' })).id;
    const emptyIfMatch = await alice.patch(`/api/tasks/${id}`, { title: 'x' }).set('if-match', ' ').expect(400);
    expectInvalidOperation(await batch(alice, { operations: [VALID, { op: 'update', id, ifMatch: ' ', task: {} }] }), 1, [
      { field: 'operations.1.ifMatch', message: emptyIfMatch.body.errors[0].message.replace('If-Match', 'ifMatch') },
    ]);
  });

  it.each([
    ['an unknown op', { op: 'upsert', task: { title: 't' } }, [{ field: 'operations.1.op', message: 'op must be one of create, update, delete' }]],
    ['a missing op', { task: { title: 't' } }, [{ field: 'operations.1.op', message: 'op must be one of create, update, delete' }]],
    ['an update without id', { op: 'update', task: {} }, [{ field: 'operations.1.id', message: 'id must be a UUID' }]],
    ['an update without task', { op: 'update', id: randomUUID() }, [{ field: 'operations.1.task', message: 'task must be an object' }]],
    ['a null task', { op: 'create', task: null }, [{ field: 'operations.1.task', message: 'task must be an object' }]],
    ['a delete with a task', { op: 'delete', id: randomUUID(), task: {} }, [{ field: 'operations.1.task', message: 'task is not a known field' }]],
    ['a null ifMatch', { op: 'delete', id: randomUUID(), ifMatch: null }, [{ field: 'operations.1.ifMatch', message: 'ifMatch must be a string' }]],
    ['an operation that is not an object', 'create', [{ field: 'operations.1', message: 'An operation must be an object' }]],
  ])('rejects %s at its index', async (_case, operation, errors) => {
    const alice = await tasksUser(app);
    expectInvalidOperation(await batch(alice, { operations: [VALID, operation, { op: 'create', task: { title: '' } }] }), 1, errors);
    expect(await countTasks(alice)).toBe(0);
  });

  it.each([
    ['no operations', { operations: [] }, 'operations must have at least 1 operation'],
    ['101 operations', { operations: Array(101).fill(VALID) }, 'operations must have at most 100 operations'],
    ['operations that are not an array', { operations: { 0: VALID } }, 'operations must be an array'],
    ['no operations member', {}, 'operations must be an array'],
    ['an unknown member', { operations: [VALID], atomic: false }, 'atomic is not a known field'],
    ['an array for a body', [VALID], 'operations must be an array'],
  ])('rejects a body with %s', async (_case, body, message) => {
    const alice = await tasksUser(app);
    const res = await batch(alice, body).expect(400);
    expect(res.body.type).toBe(VALIDATION_ERROR);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toContain(message);
    expect(res.body.operation).toBeUndefined();
    expect(await countTasks(alice)).toBe(0);
  });

  it("answers a rule the service checks (a recurrence without timeZone) as the single route does, at the operation's index, applying nothing", async () => {
    const alice = await tasksUser(app);
    const task = { title: 'daily', dueAt: '2026-05-01T09:00:00Z', recurrence: 'FREQ=DAILY' };
    const single = await alice.post('/api/tasks', task).expect(400);
    const res = await batch(alice, { operations: [VALID, { op: 'create', task }] }).expect(400);
    expect(res.body).toMatchObject({ type: single.body.type, detail: single.body.detail, operation: 1, results: [{ status: 424 }, { status: 400, problem: { status: 400 } }] });
    expect(res.body.errors).toEqual(single.body.errors.map((e: { field: string }) => ({ ...e, field: `operations.1.task.${e.field}` })));
    expect(await countTasks(alice)).toBe(0);
  });

  it('rejects a null body as the single routes do', async () => {
    const alice = await tasksUser(app);
    const res = await alice.post('/api/tasks/batch').set('content-type', 'application/json').send('null').expect(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'The body must be a JSON object, not null' }]);
  });
});
