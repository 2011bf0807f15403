import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { type TaskJson, tasksUser, type TasksUser, withDatabase } from './utils/tasks-client.js';

const PRIORITIES = ['none', 'low', 'medium', 'high'] as const;
const SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;
const WORDS = ['alpha', 'Alpine', 'bravo', 'charlie', 'Delta', 'echo', 'echoes'];
const TAGS = ['home', 'Work', 'urgent'];
const NOW_US = BigInt(Date.now()) * 1000n;
// A handful of instants, each with microseconds, so many tasks share a millisecond (the trap a
// Date-based cursor falls into) and some share the exact value (ties broken by id).
const BASE_US = 1_735_689_600_000_000n; // 2025-01-01T00:00:00Z
const DUE_US = [-400, -30, -1, 1, 30, 400].map((days) => NOW_US + BigInt(days) * 86_400_000_000n + 123_457n);

/** A seeded task, as the model knows it; timestamps in microseconds. */
interface SeedTask {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  priority: (typeof PRIORITIES)[number];
  tags: string[];
  dueAt: bigint | null;
  createdAt: bigint;
  updatedAt: bigint;
}

interface ListParams {
  status: 'all' | 'open' | 'completed';
  priority: string[];
  tag: string[];
  q?: string;
  dueBefore?: bigint;
  dueAfter?: bigint;
  overdue: boolean;
  sort: string;
  limit: number;
}

// Ids are drawn when a task is seeded: fast-check may hand the same generated value out twice.
const seedTask: fc.Arbitrary<Omit<SeedTask, 'id'>> = fc.record({
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }).map((words) => words.join(' ')),
  description: fc.option(fc.constantFrom(...WORDS), { nil: null }),
  completed: fc.boolean(),
  priority: fc.constantFrom(...PRIORITIES),
  tags: fc.subarray(TAGS).map((tags) => tags.map((tag) => (tag.length % 2 ? tag.toUpperCase() : tag))),
  dueAt: fc.option(fc.constantFrom(...DUE_US), { nil: null }),
  createdAt: fc.integer({ min: 0, max: 4_000 }).map((offset) => BASE_US + BigInt(offset)),
  updatedAt: fc.integer({ min: 0, max: 4_000 }).map((offset) => BASE_US + 5_000n + BigInt(offset)),
});

/** Mostly absent: most walks should cover many pages, with one or two filters at a time. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const listParams: fc.Arbitrary<ListParams> = fc.record({
  status: fc.oneof({ weight: 3, arbitrary: fc.constant('all' as const) }, fc.constantFrom('open' as const, 'completed' as const)),
  priority: sometimes(fc.subarray([...PRIORITIES], { minLength: 1 })).map((value) => value ?? []),
  tag: sometimes(fc.subarray(TAGS, { minLength: 1, maxLength: 2 }).map((tags) => tags.map((tag) => tag.toLowerCase()))).map((value) => value ?? []),
  q: sometimes(fc.constantFrom('al', 'ECHO', 'bra', 'alp ech', 'd')),
  dueBefore: sometimes(fc.constantFrom(...DUE_US.slice(2))),
  dueAfter: sometimes(fc.constantFrom(...DUE_US.slice(0, 4))),
  overdue: sometimes(fc.constant(true)).map((value) => value ?? false),
  sort: fc.constantFrom(...SORTS).chain((sort) => fc.constantFrom(sort, `-${sort}`)),
  limit: fc.integer({ min: 3, max: 60 }),
});

function withIds(tasks: Omit<SeedTask, 'id'>[]): SeedTask[] {
  return tasks.map((task) => ({ ...task, id: randomUUID() }));
}

function iso(us: bigint): string {
  const ms = us / 1000n;
  return new Date(Number(ms)).toISOString().replace('Z', `${(us % 1000n).toString().padStart(3, '0')}Z`);
}

/** The tasks the model says GET /api/tasks returns for `params`, in order. */
function expectedIds(tasks: SeedTask[], params: ListParams): string[] {
  const words = (task: SeedTask) => `${task.title} ${task.description ?? ''}`.toLowerCase().split(/\s+/);
  const matching = tasks.filter(
    (task) =>
      (params.status === 'all' || task.completed === (params.status === 'completed')) &&
      (params.priority.length === 0 || params.priority.includes(task.priority)) &&
      params.tag.every((tag) => task.tags.some((own) => own.toLowerCase() === tag)) &&
      (params.q === undefined || params.q.toLowerCase().split(' ').every((prefix) => words(task).some((word) => word.startsWith(prefix)))) &&
      (params.dueBefore === undefined || (task.dueAt !== null && task.dueAt < params.dueBefore)) &&
      (params.dueAfter === undefined || (task.dueAt !== null && task.dueAt > params.dueAfter)) &&
      (!params.overdue || (task.dueAt !== null && task.dueAt < NOW_US && !task.completed)),
  );
  const descending = params.sort.startsWith('-');
  const field = params.sort.replace('-', '');
  const key = (task: SeedTask): bigint | number | string => {
    switch (field) {
      case 'createdAt':
        return task.createdAt;
      case 'updatedAt':
        return task.updatedAt;
      case 'dueAt':
        return task.dueAt ?? (descending ? -Infinity : Infinity);
      case 'priority':
        return PRIORITIES.indexOf(task.priority);
      default:
        return task.title.toLowerCase();
    }
  };
  const compare = (a: SeedTask, b: SeedTask) => {
    const [ka, kb] = [key(a), key(b)];
    const order = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return descending ? -order : order;
  };
  return matching.sort(compare).map((task) => task.id);
}

function queryString(params: ListParams, cursor?: string): string {
  const query = new URLSearchParams({ status: params.status, sort: params.sort, limit: String(params.limit) });
  for (const priority of params.priority) query.append('priority', priority);
  for (const tag of params.tag) query.append('tag', tag);
  if (params.q !== undefined) query.set('q', params.q);
  if (params.dueBefore !== undefined) query.set('dueBefore', iso(params.dueBefore));
  if (params.dueAfter !== undefined) query.set('dueAfter', iso(params.dueAfter));
  if (params.overdue) query.set('overdue', 'true');
  if (cursor !== undefined) query.set('cursor', cursor);
  return query.toString();
}

async function seed(user: TasksUser, tasks: SeedTask[]): Promise<void> {
  await withDatabase((db) =>
    db.query(
      `INSERT INTO tasks (id, owner_id, title, description, completed, completed_at, priority, tags, due_at, created_at, updated_at)
       SELECT t.id, $1, t.title, t.description, t.completed, CASE WHEN t.completed THEN t.updated_at END, t.priority, t.tags, t.due_at, t.created_at, t.updated_at
       FROM json_to_recordset($2::json) AS t(id uuid, title text, description text, completed boolean, priority task_priority, tags text[],
                                            due_at timestamptz, created_at timestamptz, updated_at timestamptz)`,
      [
        user.id,
        JSON.stringify(
          tasks.map((task) => ({
            id: task.id,
            title: task.title,
            description: task.description,
            completed: task.completed,
            priority: task.priority,
            tags: `{${task.tags.join(',')}}`,
            due_at: task.dueAt === null ? null : iso(task.dueAt),
            created_at: iso(task.createdAt),
            updated_at: iso(task.updatedAt),
          })),
        ),
      ],
    ),
  );
}

/** Walks every page; `between` runs after each page. Returns the ids in the order received. */
async function walk(user: TasksUser, params: ListParams, between?: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const res = await user.get(`/api/tasks?${queryString(params, cursor)}`).expect(200);
    const items = res.body.items as TaskJson[];
    expect(items.length).toBeLessThanOrEqual(params.limit);
    ids.push(...items.map((task) => task.id));
    if (res.body.nextCursor === null) return ids;
    expect(items).toHaveLength(params.limit);
    cursor = res.body.nextCursor as string;
    await between?.();
  }
  throw new Error('The walk did not end');
}

describe('tasks: keyset pagination (property-based)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('walking the pages yields the model’s sorted list, exactly once each, whatever the sort and filters', async () => {
    await fc.assert(
      // The tasks are not shrunk: a failure is reported with the sort and filters that caused it.
      fc.asyncProperty(fc.noShrink(fc.array(seedTask, { minLength: 150, maxLength: 300 })), listParams, fc.boolean(), async (drawn, params, insertMeanwhile) => {
        const user = await tasksUser(app, 'pages');
        const tasks = withIds(drawn);
        await seed(user, tasks);
        let inserted = 0;
        const insert = async () => {
          // New tasks, some matching the filters, some sorting before the cursor, some after it.
          const title = `${WORDS[inserted % WORDS.length]} new`;
          const dueAt = inserted % 3 === 0 ? null : iso(DUE_US[inserted % DUE_US.length] + 1n).replace(/\d{3}Z$/, 'Z');
          await user.post('/api/tasks', { title, priority: PRIORITIES[inserted % 4], tags: TAGS.slice(0, inserted % 3), dueAt }).expect(201);
          inserted++;
        };
        const ids = await walk(user, params, insertMeanwhile ? insert : undefined);
        expect(new Set(ids).size).toBe(ids.length);
        const seeded = new Set(tasks.map((task) => task.id));
        expect(ids.filter((id) => seeded.has(id))).toEqual(expectedIds(tasks, params));
        if (!insertMeanwhile) expect(ids).toHaveLength(expectedIds(tasks, params).length);
      }),
      { numRuns: 50 },
    );
  });

  it('walks search results by relevance, each exactly once', async () => {
    const user = await tasksUser(app, 'pages');
    const tasks = withIds(fc.sample(seedTask, { numRuns: 200, seed: 42 }));
    await seed(user, tasks);
    for (const q of ['al', 'echo', 'alp ech']) {
      const params: ListParams = { status: 'all', priority: [], tag: [], q, overdue: false, sort: 'relevance', limit: 7 };
      const ids = await walk(user, params);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expectedIds(tasks, { ...params, sort: 'createdAt' }).sort());
    }
  });

  it('reaches all 3,000 tasks created within one millisecond (microsecond-exact cursors, ties by id)', async () => {
    const user = await tasksUser(app, 'pages');
    await withDatabase((db) =>
      db.query(
        `INSERT INTO tasks (owner_id, title, created_at, updated_at)
         SELECT $1, 'same ms ' || n, '2025-01-01T00:00:00.123Z'::timestamptz + (n % 1000) * interval '1 microsecond', now()
         FROM generate_series(1, 3000) AS n`,
        [user.id],
      ),
    );
    for (const sort of ['createdAt', '-createdAt']) {
      const ids = await walk(user, { status: 'all', priority: [], tag: [], overdue: false, sort, limit: 100 });
      expect(new Set(ids).size).toBe(3000);
    }
  });
});
