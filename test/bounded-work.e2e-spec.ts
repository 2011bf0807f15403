import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SearchWordStatsCache } from '../src/tasks/search-word-stats.cache.js';
import { RANKED_COMMON_SEARCH_CANDIDATES, RANKED_SEARCH_CANDIDATES } from '../src/tasks/task-list.statements.js';
import { createTestApp } from './utils/create-test-app.js';
import { withDatabase } from './utils/tasks-client.js';
import { freshUser } from './utils/tokens.js';

const MAX_TASKS = 5;
const COMPAT_LIST_MAX = 30;

/** `count` tasks for `ownerId`, written straight to the table (newest last). */
async function seedTasks(ownerId: string, count: number): Promise<void> {
  await withDatabase((client) =>
    client.query(
      `INSERT INTO tasks (owner_id, title, created_at) SELECT $1, 'common word ' || n, now() - (($2 - n) * interval '1 second') FROM generate_series(1, $2) AS n`,
      [ownerId, count],
    ),
  );
}

describe('Quotas and bounded work', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ TASKS_PER_USER_MAX: String(MAX_TASKS), COMPAT_LIST_MAX: String(COMPAT_LIST_MAX), RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (authorization: string, title: string, idempotencyKey?: string) =>
    app.inject({ method: 'POST', url: '/api/tasks', headers: { authorization, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) }, payload: { title } });

  it('refuses a create past TASKS_PER_USER_MAX with 409 quota-exceeded, on every create path, until a task is deleted', async () => {
    const user = await freshUser();
    const created = [];
    for (let n = 0; n < MAX_TASKS; n += 1) created.push((await create(user.authorization, `task ${n}`)).json<{ id: string }>());
    for (const refused of [await create(user.authorization, 'one too many'), await create(user.authorization, 'one too many', 'key-1')]) {
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ type: 'https://tasks-api.dev/problems/quota-exceeded', status: 409, detail: `You have reached the limit of ${MAX_TASKS} tasks. Delete some before creating more.` });
    }
    const compat = await app.inject({ method: 'POST', url: `/api/${user.id}/tasks`, headers: { authorization: user.authorization }, payload: { title: 'compat' } });
    expect(compat.statusCode).toBe(409);
    // Another user is not affected; deleting a task makes room again.
    expect((await create((await freshUser()).authorization, 'first')).statusCode).toBe(201);
    expect((await app.inject({ method: 'DELETE', url: `/api/tasks/${created[0].id}`, headers: { authorization: user.authorization } })).statusCode).toBe(204);
    expect((await create(user.authorization, 'room again')).statusCode).toBe(201);
  });

  it('lets concurrent creates overshoot the quota by no more than the creates in flight', async () => {
    const user = await freshUser();
    const statuses = (await Promise.all(Array.from({ length: 40 }, (_, n) => create(user.authorization, `race ${n}`)))).map((response) => response.statusCode);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    const stored = await withDatabase((client) => client.query<{ count: number }>('SELECT count(*)::int AS count FROM tasks WHERE owner_id = $1', [user.id]));
    // At most one create per pooled connection (DATABASE_POOL_SIZE, 10) can pass the check together.
    expect(stored.rows[0].count).toBeGreaterThanOrEqual(MAX_TASKS);
    expect(stored.rows[0].count).toBeLessThan(MAX_TASKS + 10);
    expect(statuses.filter((status) => status === 201)).toHaveLength(stored.rows[0].count);
  });

  it('bounds the unpaged compatibility list to COMPAT_LIST_MAX tasks, newest first, and says when it was cut', async () => {
    const user = await freshUser();
    await seedTasks(user.id, COMPAT_LIST_MAX + 5);
    const list = await app.inject({ method: 'GET', url: `/api/${user.id}/tasks`, headers: { authorization: user.authorization } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['x-list-truncated']).toBe('true');
    const titles = list.json<{ title: string }[]>().map((task) => task.title);
    expect(titles).toHaveLength(COMPAT_LIST_MAX);
    expect(titles[0]).toBe(`common word ${COMPAT_LIST_MAX + 5}`);

    const small = await freshUser();
    await seedTasks(small.id, 3);
    const whole = await app.inject({ method: 'GET', url: `/api/${small.id}/tasks`, headers: { authorization: small.authorization } });
    expect(whole.json()).toHaveLength(3);
    expect(whole.headers['x-list-truncated']).toBeUndefined();
  });

  /** Every task of a search by relevance, following its cursors (pages of 100). */
  async function searchAll(authorization: string, q: string): Promise<{ title: string }[]> {
    const seen: { title: string }[] = [];
    let cursor: string | null = null;
    do {
      const response: Awaited<ReturnType<typeof app.inject>> = await app.inject({ method: 'GET', url: '/api/tasks', query: { q, limit: '100', ...(cursor ? { cursor } : {}) }, headers: { authorization } });
      expect(response.statusCode).toBe(200);
      const page: { items: { title: string }[]; nextCursor: string | null } = response.json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return seen;
  }

  it('ranks a bounded set of candidates for a search sorted by relevance, with cursors that walk it exactly once', async () => {
    const user = await freshUser();
    await seedTasks(user.id, RANKED_SEARCH_CANDIDATES + 200);
    const titles = (await searchAll(user.authorization, 'common')).map((task) => task.title);
    expect(titles).toHaveLength(RANKED_SEARCH_CANDIDATES);
    expect(new Set(titles).size).toBe(RANKED_SEARCH_CANDIDATES);
  });

  it('ranks the newest matches of a word the column statistics call common', async () => {
    const user = await freshUser();
    const count = RANKED_COMMON_SEARCH_CANDIDATES + 200;
    await seedTasks(user.id, count);
    // The statistics as ANALYZE would leave them on a table where "common" is in every task.
    const wordStats = vi.spyOn(app.get(SearchWordStatsCache), 'get').mockResolvedValue({ words: ['common'], frequencies: [1] });
    try {
      const titles = new Set((await searchAll(user.authorization, 'common')).map((task) => task.title));
      const newest = Array.from({ length: RANKED_COMMON_SEARCH_CANDIDATES }, (_, i) => `common word ${count - i}`);
      expect(titles).toEqual(new Set(newest));
    } finally {
      wordStats.mockRestore();
    }
  });
});
