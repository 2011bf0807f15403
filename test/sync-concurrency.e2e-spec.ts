import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { serverTasks, SyncingDevice } from './utils/sync-client.js';
import { tasksUser, type TasksUser } from './utils/tasks-client.js';

/** A writer of its own, outside the API, whose transaction the test opens and ends at will. */
async function writer(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  return client;
}

const UPDATE = `UPDATE tasks SET title = $3, version = version + 1, updated_at = clock_timestamp() WHERE owner_id = $1 AND id = $2`;

describe('the change feed under concurrent writers', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('never skips a change whose transaction commits after a later one was read', async () => {
    const user = await tasksUser(app);
    const [slow, fast] = await Promise.all(['slow', 'fast'].map((title) => user.createTask({ title })));
    const device = new SyncingDevice(user);
    await device.syncToEnd();
    await device.syncToEnd();

    const slowWriter = await writer();
    try {
      // The slow transaction takes its change position first, and holds it uncommitted.
      await slowWriter.query('BEGIN');
      await slowWriter.query(UPDATE, [user.id, slow.id, 'written by the slow transaction']);
      await user.patch(`/api/tasks/${fast.id}`, { title: 'written and committed meanwhile' }).expect(200);

      // A sync in between must not move its token past the slow change: the committed change waits
      // until the older transaction ends (handing it out would put the token after the slow one's).
      expect(await device.syncToEnd(100, { waitForRunning: false })).toEqual([]);

      await slowWriter.query('COMMIT');
    } finally {
      await slowWriter.end();
    }
    const after = await device.syncToEnd();
    expect(after.map((change) => change.id)).toContain(slow.id);
    expect(device.tasks.get(slow.id)?.title).toBe('written by the slow transaction');
    expect(device.tasks.get(fast.id)?.title).toBe('written and committed meanwhile');
    expect(device.tasks).toEqual(await serverTasks(user));
  });

  type Step =
    | { kind: 'begin' | 'commit' | 'rollback' | 'insert'; writer: number }
    | { kind: 'update' | 'delete'; writer: number; pick: number }
    | { kind: 'sync'; device: number; limit: number };

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constantFrom('begin' as const, 'commit' as const, 'rollback' as const, 'insert' as const), writer: fc.nat(1) }),
    fc.record({ kind: fc.constantFrom('update' as const, 'delete' as const), writer: fc.nat(1), pick: fc.nat(20) }),
    fc.record({ kind: fc.constant('sync' as const), device: fc.nat(2), limit: fc.integer({ min: 1, max: 3 }) }),
  );

  it('leaves every device that syncs to the end with exactly the server state, whatever the interleaving', async () => {
    const writers = [await writer(), await writer()];
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
          const user: TasksUser = await tasksUser(app);
          const devices = [0, 1, 2].map(() => new SyncingDevice(user));
          const open = [false, false];
          // Each writer only touches the tasks it created, so the two never wait on each other's row locks.
          const ownTasks = async (index: number) =>
            (await writers[index].query<{ id: string }>('SELECT id FROM tasks WHERE owner_id = $1 AND description = $2 ORDER BY id', [user.id, `writer ${index}`])).rows;
          try {
            for (const next of steps) {
              if (next.kind === 'sync') {
                await devices[next.device].syncPage(next.limit);
                continue;
              }
              const client = writers[next.writer];
              if (next.kind === 'begin' && !open[next.writer]) {
                await client.query('BEGIN');
                open[next.writer] = true;
              } else if ((next.kind === 'commit' || next.kind === 'rollback') && open[next.writer]) {
                await client.query(next.kind === 'commit' ? 'COMMIT' : 'ROLLBACK');
                open[next.writer] = false;
              } else if (next.kind === 'insert') {
                await client.query('INSERT INTO tasks (owner_id, title, description) VALUES ($1, $2, $3)', [user.id, 'new', `writer ${next.writer}`]);
              } else if (next.kind === 'update' || next.kind === 'delete') {
                const tasks = await ownTasks(next.writer);
                if (tasks.length === 0) continue;
                const { id } = tasks[next.pick % tasks.length];
                if (next.kind === 'update') await client.query(UPDATE, [user.id, id, `update ${next.pick}`]);
                else await client.query('DELETE FROM tasks WHERE owner_id = $1 AND id = $2', [user.id, id]);
              }
            }
          } finally {
            for (const [index, client] of writers.entries()) if (open[index]) await client.query('COMMIT');
          }
          const server = await serverTasks(user);
          for (const device of devices) {
            await device.syncToEnd(2);
            expect(device.tasks).toEqual(server);
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await Promise.all(writers.map((client) => client.end()));
    }
  });
});
