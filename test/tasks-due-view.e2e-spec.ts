import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser, type TasksUser } from './utils/tasks-client.js';

const HOUR = 3600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** A zone where it is about noon now, so that now ± 1 hour is surely today there. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

describe('GET /api/tasks?due=…', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function titles(user: TasksUser, query: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await user.get(`/api/tasks?sort=dueAt&limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.items as { title: string }[]).map((task) => task.title));
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null);
    return seen;
  }

  it("lists today's, overdue and the next seven days' tasks in the caller's zone, a page at a time", async () => {
    const alice = await tasksUser(app);
    for (const [title, dueAt] of [['3 days ago', at(-72 * HOUR)], ['an hour ago', at(-HOUR)], ['in an hour', at(HOUR)], ['in 3 days', at(72 * HOUR)], ['in 10 days', at(240 * HOUR)]]) {
      await alice.createTask({ title, dueAt });
    }
    await alice.createTask({ title: 'undated' });
    const zone = encodeURIComponent(zoneAtNoon());
    expect(await titles(alice, `due=today&timeZone=${zone}`)).toEqual(['an hour ago', 'in an hour']);
    expect(await titles(alice, 'due=overdue')).toEqual(['3 days ago', 'an hour ago']);
    expect(await titles(alice, `due=next7days&timeZone=${zone}`)).toEqual(['an hour ago', 'in an hour', 'in 3 days']);
    expect(await titles(alice, `due=next7days&timeZone=${zone}&dueAfter=${encodeURIComponent(at(0))}`)).toEqual(['in an hour', 'in 3 days']);
  });

  it('needs a known timeZone for today and next7days', async () => {
    const alice = await tasksUser(app);
    expect(errorFields((await alice.get('/api/tasks?due=today').expect(400)).body)).toEqual(['timeZone']);
    expect(errorFields((await alice.get('/api/tasks?due=next7days&timeZone=Mars/Base').expect(400)).body)).toEqual(['timeZone']);
    expect(errorFields((await alice.get('/api/tasks?due=tomorrow').expect(400)).body)).toEqual(['due']);
  });
});
