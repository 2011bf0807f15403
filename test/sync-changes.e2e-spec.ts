import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangePurger } from '../src/sync/change-purger.js';
import { changesStatement } from '../src/sync/sync.statements.js';
import { createTestApp } from './utils/create-test-app.js';
import { serverTasks, SyncingDevice, type Tombstone } from './utils/sync-client.js';
import { errorFields, type TaskJson, tasksUser, withDatabase } from './utils/tasks-client.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('GET /api/tasks/changes', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('starts with a snapshot of every current task, a page at a time, then follows changes', async () => {
    const user = await tasksUser(app);
    const created = await Promise.all([1, 2, 3, 4, 5].map((n) => user.createTask({ title: `task ${n}` })));
    const device = new SyncingDevice(user);

    const first = await device.syncPage(2);
    expect(first.changes).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    await device.syncToEnd(2);
    expect(device.tasks).toEqual(await serverTasks(user));
    expect(device.tasks.get(created[0].id)).toEqual((await user.get(`/api/tasks/${created[0].id}`).expect(200)).body);

    // Nothing new: an empty page, and a token that still works.
    const idle = await device.syncPage();
    expect(idle.hasMore).toBe(false);
    expect((await device.syncPage()).changes.filter((change) => !created.some((task) => task.id === change.id))).toEqual([]);
  });

  it('hands out each changed task once, as it is now, and deleted ones as tombstones', async () => {
    const user = await tasksUser(app);
    const [kept, changed, deleted] = await Promise.all(['kept', 'changed', 'deleted'].map((title) => user.createTask({ title })));
    const device = new SyncingDevice(user);
    await device.syncToEnd();
    // Whatever the snapshot already held may come once more; from here on, only what changes.
    await device.syncToEnd();

    await user.patch(`/api/tasks/${changed.id}`, { title: 'changed once' }).expect(200);
    await user.patch(`/api/tasks/${changed.id}`, { completed: true }).expect(200);
    await user.delete(`/api/tasks/${deleted.id}`).expect(204);
    const added = await user.createTask({ title: 'added' });

    const changes = await device.syncToEnd();
    expect(changes.map((change) => change.id)).toEqual([changed.id, deleted.id, added.id]);
    expect(changes[0]).toEqual((await user.get(`/api/tasks/${changed.id}`).expect(200)).body);
    expect(changes[0]).toMatchObject({ title: 'changed once', completed: true, version: 3 });
    const tombstone = changes[1] as Tombstone;
    expect(tombstone).toEqual({ id: deleted.id, deleted: true, deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string });
    expect(device.tasks).toEqual(await serverTasks(user));
    expect(device.tasks.has(kept.id)).toBe(true);
  });

  it("never shows another user's changes", async () => {
    const [alice, bob] = await Promise.all([tasksUser(app), tasksUser(app)]);
    const device = new SyncingDevice(alice);
    await device.syncToEnd();
    const task = await bob.createTask({ title: "bob's" });
    await bob.delete(`/api/tasks/${task.id}`).expect(204);
    expect(await device.syncToEnd()).toEqual([]);
  });

  it('refuses malformed tokens, edited ones and those of another user with a 400', async () => {
    const [alice, bob] = await Promise.all([tasksUser(app), tasksUser(app)]);
    const device = new SyncingDevice(alice);
    await device.syncToEnd();
    const token = device.since!;
    for (const since of ['nonsense', `${token}x`, `x${token}`, 'a.b.c', '']) {
      const response = await alice.get(`/api/tasks/changes?since=${encodeURIComponent(since)}`);
      expect(response.status, since).toBe(400);
      expect(errorFields(response.body as { errors: { field: string }[] })).toEqual(['since']);
    }
    const foreign = await bob.get(`/api/tasks/changes?since=${encodeURIComponent(token)}`).expect(400);
    expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
    await alice.get('/api/tasks/changes?limit=0').expect(400);
    await alice.get('/api/tasks/changes?limit=1001').expect(400);
  });

  it('answers a token older than the purged changes with 410 Gone and its own problem type', async () => {
    const user = await tasksUser(app);
    const device = new SyncingDevice(user);
    await device.syncToEnd();
    const old = device.since!;
    const task = await user.createTask({ title: 'soon purged' });
    await user.delete(`/api/tasks/${task.id}`).expect(204);
    await withDatabase((client) => client.query(`UPDATE task_changes SET changed_at = now() - interval '31 days' WHERE task_id = $1`, [task.id]));
    await app.get(ChangePurger).purge();

    const gone = await user.get(`/api/tasks/changes?since=${encodeURIComponent(old)}`).expect(410);
    expect(gone.body).toMatchObject({ type: 'https://tasks-api.dev/problems/sync-token-expired', status: 410 });
    // Starting over works.
    const fresh = new SyncingDevice(user);
    await fresh.syncToEnd();
    expect(fresh.tasks).toEqual(await serverTasks(user));
  });

  it('reads a page of the feed, first or deep, as a range of the (owner_id, xid, position) index, and each task by key', async () => {
    const user = await tasksUser(app);
    const plans = await withDatabase(async (client) => {
      // Enough changes of one owner that reading them all, or sorting them, would show in the plan.
      await client.query(`INSERT INTO tasks (owner_id, title) SELECT $1, 'seeded ' || n FROM generate_series(1, 20000) AS n`, [user.id]);
      await client.query(`UPDATE tasks SET title = title || '!' WHERE owner_id = $1 AND title LIKE '%7'`, [user.id]);
      await client.query('ANALYZE tasks, task_changes');
      const { rows: middle } = await client.query<{ xid: string; position: string }>(
        `SELECT xid::text, position::text FROM task_changes WHERE owner_id = $1 ORDER BY xid, position OFFSET 15000 LIMIT 1`,
        [user.id],
      );
      const explain = async (at: { xid: string; position: string }) => {
        const { text, values } = changesStatement({ ownerId: user.id, ...at, limit: 101 });
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
        return rows[0]['QUERY PLAN'][0].Plan;
      };
      return [await explain({ xid: '0', position: '0' }), await explain(middle[0])];
    });
    for (const plan of plans) {
      const limits = nodes(plan).filter((node) => node['Node Type'] === 'Limit');
      const [changes, task] = limits.map((limit) => limit.Plans?.[0]);
      expect([changes?.['Node Type'], changes?.['Index Name']]).toEqual(['Index Scan', 'task_changes_owner_xid_position_idx']);
      expect([task?.['Node Type'], task?.['Index Name']]).toEqual(['Index Scan', expect.stringMatching(/^tasks_(pkey|owner_id_idx)$/)]);
    }
  });

  it('keeps the task JSON of the single-task route', async () => {
    const user = await tasksUser(app);
    const task: TaskJson = await user.createTask({ title: 'full', description: 'd', priority: 'high', tags: ['a'], dueAt: '2030-01-01T00:00:00.000Z' });
    const device = new SyncingDevice(user);
    await device.syncToEnd();
    expect(device.tasks.get(task.id)).toEqual(task);
  });
});
