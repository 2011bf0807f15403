import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { connectMcp, type McpUser } from './utils/mcp-client.js';
import type { TaskJson } from './utils/tasks-client.js';
import { freshUser } from './utils/tokens.js';

const USERS = 2;

/** A tool call by one of the users; `target` picks any task id ever created (anyone's, deleted or not) or an unknown one. */
type Action =
  | { tool: 'add_task'; user: number; title: string }
  | { tool: 'get_task' | 'complete_task' | 'delete_task'; user: number; target: number }
  | { tool: 'update_task'; user: number; target: number; title: string }
  | { tool: 'list_tasks'; user: number; status: 'all' | 'open' | 'completed' };

const user = fc.nat({ max: USERS - 1 });
const target = fc.nat({ max: 1_000 });
const title = fc.string({ minLength: 1, maxLength: 12 }).map((value) => `t ${value.trim()}`);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ tool: fc.constant('add_task' as const), user, title }) },
  { weight: 2, arbitrary: fc.record({ tool: fc.constantFrom('get_task' as const, 'complete_task' as const, 'delete_task' as const), user, target }) },
  { weight: 2, arbitrary: fc.record({ tool: fc.constant('update_task' as const), user, target, title }) },
  { weight: 1, arbitrary: fc.record({ tool: fc.constant('list_tasks' as const), user, status: fc.constantFrom('all' as const, 'open' as const, 'completed' as const) }) },
);

const byId = (tasks: TaskJson[]) => [...tasks].sort((a, b) => a.id.localeCompare(b.id));

describe('MCP: isolation between users (property-based)', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("each user's tools see, change and delete exactly that user's tasks, whatever the other does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
        const users: McpUser[] = await Promise.all(Array.from({ length: USERS }, async () => connectMcp(baseUrl, (await freshUser('mcp-iso')).authorization)));
        const tasks = Array.from({ length: USERS }, () => new Map<string, TaskJson>());
        const ids: string[] = [randomUUID()];
        try {
          for (const act of actions) {
            const me = users[act.user];
            const mine = tasks[act.user];
            if (act.tool === 'add_task') {
              const task = await me.value('add_task', { title: act.title });
              expect(ids).not.toContain(task.id);
              mine.set(task.id, task);
              ids.push(task.id);
            } else if (act.tool === 'list_tasks') {
              const page = await me.value<{ items: TaskJson[] }>('list_tasks', { status: act.status, limit: 100 });
              const expected = [...mine.values()].filter((task) => act.status === 'all' || task.completed === (act.status === 'completed'));
              expect(byId(page.items)).toEqual(byId(expected));
            } else {
              const id = ids[act.target % ids.length];
              const args = act.tool === 'update_task' ? { id, title: act.title } : { id };
              const outcome = await me.call(act.tool, args);
              expect(outcome.ok ? 'done' : outcome.problem.status).toBe(mine.has(id) ? 'done' : 404);
              if (!outcome.ok) continue;
              if (act.tool === 'delete_task') mine.delete(id);
              else if (act.tool === 'get_task') expect(outcome.value).toEqual(mine.get(id));
              else mine.set(id, outcome.value as unknown as TaskJson);
            }
            for (const [index, them] of users.entries()) {
              const everything = await them.value<{ items: TaskJson[] }>('list_tasks', { limit: 100 });
              expect(byId(everything.items)).toEqual(byId([...tasks[index].values()]));
            }
          }
        } finally {
          await Promise.all(users.map((client) => client.close()));
        }
      }),
      { numRuns: 15 },
    );
  });
});
