import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, type TaskJson, tasksUser, type TasksUser } from './utils/tasks-client.js';

describe('tasks: GET /api/tasks', () => {
  let app: NestFastifyApplication;
  let alice: TasksUser;
  let tasks: Record<string, TaskJson>;

  const titles = async (query: string) => {
    const res = await alice.get(`/api/tasks${query}`).expect(200);
    return (res.body.items as TaskJson[]).map((task) => task.title);
  };

  beforeAll(async () => {
    app = await createTestApp();
    alice = await tasksUser(app);
    const bob = await tasksUser(app);
    await bob.createTask({ title: 'milk for bob', tags: ['Home'], priority: 'high' });
    tasks = {};
    // Created one after another, so createdAt order is this order.
    for (const body of [
      { title: 'Buy milk', description: 'semi-skimmed', tags: ['Home', 'errands'], priority: 'high', dueAt: '2020-01-01T00:00:00Z' },
      { title: 'apple pie', description: 'for the milkman', tags: ['home'], priority: 'low', dueAt: '2099-06-01T00:00:00Z' },
      { title: 'Call mum', tags: ['Family'], priority: 'medium', completed: true, dueAt: '2020-06-01T00:00:00Z' },
      { title: 'zebra crossing', priority: 'none' },
      { title: 'Write report', description: 'quarterly numbers', tags: ['work', 'HOME'], priority: 'high', dueAt: '2099-01-01T00:00:00Z' },
    ]) {
      const task = await alice.createTask(body);
      tasks[task.title] = task;
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists only the caller’s tasks, newest first, as { items, nextCursor }', async () => {
    const res = await alice.get('/api/tasks').expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect((res.body.items as TaskJson[]).map((task) => task.title)).toEqual(['Write report', 'zebra crossing', 'Call mum', 'apple pie', 'Buy milk']);
    expect(res.body.items[0]).toEqual(tasks['Write report']);
    const newcomer = await tasksUser(app);
    expect((await newcomer.get('/api/tasks').expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('filters by status', async () => {
    expect(await titles('?status=completed')).toEqual(['Call mum']);
    expect(await titles('?status=open&sort=createdAt')).toEqual(['Buy milk', 'apple pie', 'zebra crossing', 'Write report']);
    expect(await titles('?status=all')).toHaveLength(5);
  });

  it('filters by any of several priorities', async () => {
    expect(await titles('?priority=high&sort=createdAt')).toEqual(['Buy milk', 'Write report']);
    expect(await titles('?priority=low&priority=medium&sort=createdAt')).toEqual(['apple pie', 'Call mum']);
  });

  it('filters by all of several tags, ignoring case', async () => {
    expect(await titles('?tag=home&sort=createdAt')).toEqual(['Buy milk', 'apple pie', 'Write report']);
    expect(await titles('?tag=HOME&tag=Work')).toEqual(['Write report']);
    expect(await titles('?tag=home&tag=family')).toEqual([]);
  });

  it('filters by due date: before, after, overdue', async () => {
    expect(await titles('?dueBefore=2021-01-01T00:00:00Z&sort=dueAt')).toEqual(['Buy milk', 'Call mum']);
    expect(await titles('?dueAfter=2020-01-01T00:00:00Z&dueBefore=2099-03-01T00:00:00%2B00:00&sort=dueAt')).toEqual(['Call mum', 'Write report']);
    expect(await titles('?overdue=true')).toEqual(['Buy milk']);
    expect(await titles('?overdue=false')).toHaveLength(5);
  });

  it('searches title and description by word prefix, best matches first', async () => {
    // "milk" is in one title and, as a prefix of "milkman", in another task's description.
    expect(await titles('?q=milk')).toEqual(['Buy milk', 'apple pie']);
    expect(await titles('?q=MIL')).toEqual(['Buy milk', 'apple pie']);
    expect(await titles('?q=quart%20numb')).toEqual(['Write report']);
    expect(await titles('?q=milk%20zzz')).toEqual([]);
    expect(await titles("?q=%27)%3B%20drop%20table%20tasks%3B--")).toEqual([]);
    expect(await titles('?q=milk&sort=title')).toEqual(['apple pie', 'Buy milk']);
    expect(await titles('?q=milk&status=completed')).toEqual([]);
  });

  it('searches words with non-ASCII letters, by prefix too', async () => {
    const carol = await tasksUser(app);
    await carol.createTask({ title: 'Café au lait', description: 'Straße 7' });
    const found = async (q: string) => ((await carol.get(`/api/tasks?q=${encodeURIComponent(q)}`).expect(200)).body.items as TaskJson[]).length;
    expect(await found('café')).toBe(1);
    expect(await found('CAF')).toBe(1);
    expect(await found('straß')).toBe(1);
    // The plural finds the singular through the English stems; a longer word does not.
    expect(await found('cafés')).toBe(1);
    expect(await found('cafeteria')).toBe(0);
  });

  it('finds inflected English words, and keeps matching prefixes', async () => {
    const dave = await tasksUser(app);
    await dave.createTask({ title: 'Discuss the budget', description: 'Two planning sessions' });
    await dave.createTask({ title: 'Kubernetes upgrade' });
    const found = async (q: string) => ((await dave.get(`/api/tasks?q=${encodeURIComponent(q)}`).expect(200)).body.items as TaskJson[]).map((task) => task.title);
    expect(await found('discussed')).toEqual(['Discuss the budget']);
    expect(await found('session')).toEqual(['Discuss the budget']);
    expect(await found('budgets planned')).toEqual(['Discuss the budget']);
    expect(await found('kube')).toEqual(['Kubernetes upgrade']);
    expect(await found('the')).toEqual(['Discuss the budget']);
    expect(await found('discount')).toEqual([]);
  });

  it('lists every task for a q with nothing searchable in it, newest first', async () => {
    const erin = await tasksUser(app);
    await erin.createTask({ title: 'first' });
    await erin.createTask({ title: 'second' });
    for (const q of ['', '!!!', ' - ']) {
      const res = await erin.get(`/api/tasks?q=${encodeURIComponent(q)}`).expect(200);
      expect((res.body.items as TaskJson[]).map((task) => task.title)).toEqual(['second', 'first']);
    }
    await erin.get('/api/tasks?q=!!!&sort=relevance').expect(200);
  });

  it.each([
    ['createdAt', ['Buy milk', 'apple pie', 'Call mum', 'zebra crossing', 'Write report']],
    ['-createdAt', ['Write report', 'zebra crossing', 'Call mum', 'apple pie', 'Buy milk']],
    ['title', ['apple pie', 'Buy milk', 'Call mum', 'Write report', 'zebra crossing']],
    ['-title', ['zebra crossing', 'Write report', 'Call mum', 'Buy milk', 'apple pie']],
    ['dueAt', ['Buy milk', 'Call mum', 'Write report', 'apple pie', 'zebra crossing']],
    ['-dueAt', ['apple pie', 'Write report', 'Call mum', 'Buy milk', 'zebra crossing']],
  ])('sorts by %s (for dueAt: tasks without one last, both ways)', async (sort, expected) => {
    expect(await titles(`?sort=${sort}`)).toEqual(expected);
  });

  it('sorts by priority, ties by id in the same direction', async () => {
    const res = await alice.get('/api/tasks?sort=-priority').expect(200);
    const items = res.body.items as TaskJson[];
    expect(items.map((task) => task.priority)).toEqual(['high', 'high', 'medium', 'low', 'none']);
    expect(items[0].id > items[1].id).toBe(true);
    expect((await titles('?sort=priority'))[0]).toBe('zebra crossing');
  });

  it('sorts by updatedAt', async () => {
    const bob = await tasksUser(app);
    const first = await bob.createTask({ title: 'first' });
    await bob.createTask({ title: 'second' });
    await bob.patch(`/api/tasks/${first.id}`, { title: 'first, edited' }).expect(200);
    const res = await bob.get('/api/tasks?sort=-updatedAt').expect(200);
    expect((res.body.items as TaskJson[]).map((task) => task.title)).toEqual(['first, edited', 'second']);
  });

  it('pages with limit and nextCursor', async () => {
    const first = await alice.get('/api/tasks?limit=2&sort=title').expect(200);
    expect((first.body.items as TaskJson[]).map((task) => task.title)).toEqual(['apple pie', 'Buy milk']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await alice.get(`/api/tasks?limit=2&sort=title&cursor=${first.body.nextCursor}`).expect(200);
    expect((second.body.items as TaskJson[]).map((task) => task.title)).toEqual(['Call mum', 'Write report']);
    const third = await alice.get(`/api/tasks?limit=2&sort=title&cursor=${second.body.nextCursor}`).expect(200);
    expect((third.body.items as TaskJson[]).map((task) => task.title)).toEqual(['zebra crossing']);
    expect(third.body.nextCursor).toBeNull();
    // The default page size is 20; the limit may change between pages.
    expect((await alice.get(`/api/tasks?limit=100&sort=title&cursor=${first.body.nextCursor}`).expect(200)).body.items).toHaveLength(3);
  });

  it('rejects a cursor that was edited, or used with another sort or other filters', async () => {
    const first = await alice.get('/api/tasks?limit=1&sort=title&tag=home').expect(200);
    const cursor = first.body.nextCursor as string;
    const edited = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    for (const query of [
      `?limit=1&sort=title&tag=home&cursor=${edited}`,
      `?limit=1&sort=-title&tag=home&cursor=${cursor}`,
      `?limit=1&sort=title&cursor=${cursor}`,
      `?limit=1&sort=title&tag=home&status=open&cursor=${cursor}`,
      `?limit=1&sort=title&tag=home&cursor=garbage`,
    ]) {
      const res = await alice.get(`/api/tasks${query}`).expect(400);
      expect(errorFields(res.body)).toEqual(['cursor']);
    }
    await alice.get(`/api/tasks?limit=1&sort=title&tag=HOME&cursor=${cursor}`).expect(200);
  });

  it.each([
    ['status=done', ['status']],
    ['priority=urgent', ['priority']],
    ['priority=high&priority=bogus', ['priority']],
    ['tag=', ['tag']],
    [`tag=${'x'.repeat(41)}`, ['tag']],
    [`q=${'a'.repeat(201)}`, ['q']],
    ['q=a&q=b', ['q']],
    ['dueBefore=tomorrow', ['dueBefore']],
    ['dueAfter=2026-01-01', ['dueAfter']],
    ['overdue=yes', ['overdue']],
    ['sort=size', ['sort']],
    ['sort=relevance', ['sort']],
    ['limit=0', ['limit']],
    ['limit=101', ['limit']],
    ['limit=ten', ['limit']],
    ['limit=1.5', ['limit']],
    ['limit=1&limit=2', ['limit']],
    [`cursor=${'c'.repeat(2001)}`, ['cursor']],
    ['owner=bob', ['owner']],
    ['status=x&limit=0&colour=red', ['status', 'limit', 'colour']],
  ])('rejects ?%s with a field error', async (query, fields) => {
    const res = await alice.get(`/api/tasks?${query}`).expect(400);
    expect(res.body.type).toBe('https://tasks-api.dev/problems/validation-error');
    expect(errorFields(res.body).sort()).toEqual([...fields].sort());
  });
});
