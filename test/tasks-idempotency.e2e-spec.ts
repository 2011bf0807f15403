import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyPurger } from '../src/tasks/idempotency-purger.js';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, type TaskJson, tasksUser, withDatabase } from './utils/tasks-client.js';

describe('tasks: Idempotency-Key on POST /api/tasks', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const countTasks = async (user: { get(path: string): PromiseLike<{ body: { items: unknown[] } }> }) =>
    (await user.get('/api/tasks?limit=100')).body.items.length;

  it('answers a retry with the same key and body with the first response, creating nothing', async () => {
    const alice = await tasksUser(app);
    const key = randomUUID();
    const first = await alice.post('/api/tasks', { title: 'Pay rent', tags: ['home'] }).set('idempotency-key', key).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The task changes meanwhile: the retry still gets the first response, as it was.
    await alice.patch(`/api/tasks/${first.body.id}`, { title: 'Paid' }).expect(200);
    const retry = await alice.post('/api/tasks', { tags: ['home'], title: 'Pay rent' }).set('idempotency-key', key).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe('"1"');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countTasks(alice)).toBe(1);
  });

  it('answers the same key with a different body with 422', async () => {
    const alice = await tasksUser(app);
    await alice.post('/api/tasks', { title: 'One' }).set('idempotency-key', 'k-1').expect(201);
    const res = await alice.post('/api/tasks', { title: 'Two' }).set('idempotency-key', 'k-1').expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('https://tasks-api.dev/problems/unprocessable-entity');
    expect(await countTasks(alice)).toBe(1);
  });

  it('keeps keys per user', async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const a = await alice.post('/api/tasks', { title: 'Same' }).set('idempotency-key', 'shared').expect(201);
    const b = await bob.post('/api/tasks', { title: 'Same' }).set('idempotency-key', 'shared').expect(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    await bob.post('/api/tasks', { title: 'Other' }).set('idempotency-key', 'shared').expect(422);
    await alice.post('/api/tasks', { title: 'Same' }).set('idempotency-key', 'shared').expect(201);
  });

  it('creates exactly one task from 20 parallel requests with one key', async () => {
    const alice = await tasksUser(app);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => alice.post('/api/tasks', { title: 'Only once', priority: 'high' }).set('idempotency-key', key)),
    );
    expect(responses.map((res) => res.status)).toEqual(Array.from({ length: 20 }, () => 201));
    expect(new Set(responses.map((res) => (res.body as TaskJson).id)).size).toBe(1);
    expect(responses.filter((res) => res.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await countTasks(alice)).toBe(1);
  });

  it('lets a key be used again once its 24 hours are over, and purges expired keys', async () => {
    const alice = await tasksUser(app);
    const first = await alice.post('/api/tasks', { title: 'Daily' }).set('idempotency-key', 'daily').expect(201);
    await withDatabase((db) => db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE owner_id = $1`, [alice.id]));
    const second = await alice.post('/api/tasks', { title: 'Daily, again' }).set('idempotency-key', 'daily').expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(await countTasks(alice)).toBe(2);

    await withDatabase((db) => db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE owner_id = $1`, [alice.id]));
    expect(await app.get(IdempotencyPurger).purge()).toBeGreaterThanOrEqual(1);
    const left = await withDatabase((db) => db.query('SELECT 1 FROM idempotency_keys WHERE owner_id = $1', [alice.id]));
    expect(left.rowCount).toBe(0);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with control characters', 'a\tb'],
  ])('rejects a key that is %s with 400 naming the header', async (_case, key) => {
    const alice = await tasksUser(app);
    const res = await alice.post('/api/tasks', { title: 'x' }).set('idempotency-key', key).expect(400);
    expect(errorFields(res.body)).toEqual(['Idempotency-Key']);
    expect(await countTasks(alice)).toBe(0);
  });

  it('accepts a key of 255 characters', async () => {
    const alice = await tasksUser(app);
    await alice.post('/api/tasks', { title: 'x' }).set('idempotency-key', 'k'.repeat(255)).expect(201);
  });

  it('property: whatever the sequence of keyed requests, one task per key and the first body wins', async () => {
    const keys = ['a', 'b', 'c'];
    const bodies = [{ title: 'one' }, { title: 'two', priority: 'low' }];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom(...keys), body: fc.constantFrom(...bodies), parallel: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        async (requests) => {
          const user = await tasksUser(app);
          const firstBody = new Map<string, object>();
          const taskOf = new Map<string, string>();
          // Consecutive `parallel` requests are sent together.
          for (let start = 0; start < requests.length; ) {
            let end = start + 1;
            while (end < requests.length && requests[end].parallel) end++;
            const batch = requests.slice(start, end);
            const responses = await Promise.all(batch.map(({ key, body }) => user.post('/api/tasks', body).set('idempotency-key', key)));
            for (const key of new Set(batch.map((request) => request.key))) {
              const sent = batch.flatMap((request, index) => (request.key === key ? [{ body: request.body, res: responses[index] }] : []));
              // A key new in this batch goes to whichever of its bodies got there first.
              const winner = firstBody.get(key) ?? sent.find(({ res }) => res.status === 201)?.body;
              expect(winner).toBeDefined();
              firstBody.set(key, winner!);
              for (const { body, res } of sent) {
                expect(res.status).toBe(body === winner ? 201 : 422);
                if (res.status !== 201) continue;
                expect(res.body.id).toBe(taskOf.get(key) ?? res.body.id);
                taskOf.set(key, res.body.id as string);
              }
            }
            start = end;
          }
          const listed = (await user.get('/api/tasks?limit=100')).body.items as TaskJson[];
          expect(listed.map((task) => task.id).sort()).toEqual([...taskOf.values()].sort());
        },
      ),
      { numRuns: 15 },
    );
  });
});
