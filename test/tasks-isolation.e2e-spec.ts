import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { type TaskJson, tasksUser, type TasksUser } from './utils/tasks-client.js';

const USERS = 3;
const PRIORITIES = ['none', 'low', 'medium', 'high'] as const;

/** What a user may do; `target` picks any task id ever created (anyone's, deleted or not) or an unknown one. */
type Action =
  | { kind: 'create'; user: number; title: string; priority: (typeof PRIORITIES)[number] }
  | { kind: 'get'; user: number; target: number }
  | { kind: 'delete'; user: number; target: number }
  | { kind: 'patch'; user: number; target: number; title?: string; completed?: boolean }
  | { kind: 'list'; user: number; status: 'all' | 'open' | 'completed' };

const user = fc.nat({ max: USERS - 1 });
const target = fc.nat({ max: 1_000 });
const title = fc.string({ minLength: 1, maxLength: 12 }).filter((value) => value.trim() !== '');
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), user, title, priority: fc.constantFrom(...PRIORITIES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), user, target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), user, target }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('patch' as const), user, target, title: fc.option(title, { nil: undefined }), completed: fc.option(fc.boolean(), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('list' as const), user, status: fc.constantFrom('all' as const, 'open' as const, 'completed' as const) }) },
);

/** The whole truth, kept in memory: every user's tasks as they should be. */
class Model {
  readonly tasks = Array.from({ length: USERS }, () => new Map<string, TaskJson>());
  /** Every id ever created, by anyone, plus one that never exists: the targets actions aim at. */
  readonly ids: string[] = [randomUUID()];

  ownerOf(id: string): number | undefined {
    const owner = this.tasks.findIndex((tasks) => tasks.has(id));
    return owner === -1 ? undefined : owner;
  }
}

describe('tasks: isolation between users (property-based)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function step(users: TasksUser[], model: Model, act: Action): Promise<void> {
    const me = users[act.user];
    const mine = model.tasks[act.user];
    if (act.kind === 'create') {
      const task = await me.createTask({ title: act.title, priority: act.priority });
      expect(model.ownerOf(task.id)).toBeUndefined();
      mine.set(task.id, task);
      model.ids.push(task.id);
      return;
    }
    if (act.kind === 'list') {
      const res = await me.get(`/api/tasks?limit=100&status=${act.status}`).expect(200);
      const expected = [...mine.values()].filter((task) => act.status === 'all' || task.completed === (act.status === 'completed'));
      expect(sortById(res.body.items as TaskJson[])).toEqual(sortById(expected));
      return;
    }
    const id = model.ids[act.target % model.ids.length];
    const own = mine.get(id);
    if (act.kind === 'get') {
      const res = await me.get(`/api/tasks/${id}`);
      expect(res.status).toBe(own ? 200 : 404);
      if (own) expect(res.body).toEqual(own);
    } else if (act.kind === 'delete') {
      const res = await me.delete(`/api/tasks/${id}`);
      expect(res.status).toBe(own ? 204 : 404);
      mine.delete(id);
    } else {
      const changes = { ...(act.title === undefined ? {} : { title: act.title.trim() }), ...(act.completed === undefined ? {} : { completed: act.completed }) };
      const res = await me.patch(`/api/tasks/${id}`, changes);
      expect(res.status).toBe(own ? 200 : 404);
      if (!own) return;
      const updated = res.body as TaskJson;
      const changed = Object.entries(changes).some(([field, value]) => own[field as keyof TaskJson] !== value);
      expect({ ...updated, completedAt: undefined, updatedAt: undefined }).toEqual({
        ...own,
        ...changes,
        version: own.version + (changed ? 1 : 0),
        completedAt: undefined,
        updatedAt: undefined,
      });
      expect(updated.completedAt === null).toBe(!updated.completed);
      if (own.completed && updated.completed) expect(updated.completedAt).toBe(own.completedAt);
      if (!changed) expect(updated.updatedAt).toBe(own.updatedAt);
      mine.set(id, updated);
    }
  }

  /** Every user's complete view equals the model of their own tasks. */
  async function expectViewsMatch(users: TasksUser[], model: Model): Promise<void> {
    for (const [index, me] of users.entries()) {
      const res = await me.get('/api/tasks?limit=100').expect(200);
      expect(sortById(res.body.items as TaskJson[])).toEqual(sortById([...model.tasks[index].values()]));
    }
  }

  it('each user sees, changes and deletes exactly their own tasks, whatever anyone does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        const users = await Promise.all(Array.from({ length: USERS }, () => tasksUser(app, 'iso')));
        const model = new Model();
        for (const act of actions) {
          await step(users, model, act);
          await expectViewsMatch(users, model);
        }
      }),
      { numRuns: 20 },
    );
  });
});

function sortById(tasks: TaskJson[]): TaskJson[] {
  return [...tasks].sort((a, b) => a.id.localeCompare(b.id));
}
