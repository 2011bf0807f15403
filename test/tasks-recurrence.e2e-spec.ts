import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser } from './utils/tasks-client.js';

const WEEKLY_MONDAY = { title: 'Water the plants', dueAt: '2026-03-02T08:00:00+01:00', recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'Europe/Berlin' };

describe('recurring tasks', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stores the rule in canonical form and the zone in its canonical spelling', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ ...WEEKLY_MONDAY, recurrence: 'rrule:byday=mo;freq=weekly', timeZone: 'europe/berlin' });
    expect(task).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'Europe/Berlin', recurrenceBase: 'due', dueAt: '2026-03-02T07:00:00.000Z' });
    const plain = await alice.createTask({ title: 'Once' });
    expect(plain).toMatchObject({ recurrence: null, timeZone: null, recurrenceBase: 'due' });
  });

  it('refuses what it cannot honour with a 400 naming the field, and the RRULE part', async () => {
    const alice = await tasksUser(app);
    const refused = async (body: Record<string, unknown>, field: string, message?: RegExp) => {
      const res = await alice.post('/api/tasks', { title: 'x', ...body }).expect(400);
      expect(errorFields(res.body)).toEqual([field]);
      if (message) expect(res.body.errors[0].message).toMatch(message);
    };
    await refused({ ...WEEKLY_MONDAY, recurrence: 'FREQ=DAILY;BYHOUR=9' }, 'recurrence', /BYHOUR/);
    await refused({ ...WEEKLY_MONDAY, recurrence: 'FREQ=DAILY;EXDATE=20260101' }, 'recurrence', /EXDATE/);
    await refused({ ...WEEKLY_MONDAY, recurrence: 'FREQ=MINUTELY' }, 'recurrence', /FREQ/);
    await refused({ ...WEEKLY_MONDAY, recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'recurrence', /never occurs/);
    await refused({ ...WEEKLY_MONDAY, recurrence: 'FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3,4,5,6,7' }, 'recurrence', /no occurrence within 10 years/);
    await refused({ ...WEEKLY_MONDAY, timeZone: 'Mars/Olympus' }, 'timeZone');
    await refused({ ...WEEKLY_MONDAY, timeZone: '+02:00' }, 'timeZone');
    await refused({ ...WEEKLY_MONDAY, timeZone: undefined }, 'timeZone');
    await refused({ ...WEEKLY_MONDAY, dueAt: undefined }, 'dueAt');
    await refused({ ...WEEKLY_MONDAY, recurrenceBase: 'completion' }, 'recurrenceBase');
    await refused({ ...WEEKLY_MONDAY, recurrenceBase: 'later' }, 'recurrenceBase');
  });

  it('completing advances to the next occurrence, keeps the task open, bumps the version and records the completion', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask(WEEKLY_MONDAY);
    const done = await alice.patch(`/api/tasks/${task.id}`, { completed: true }).set('if-match', '"1"').expect(200);
    expect(done.body).toMatchObject({ completed: false, completedAt: null, dueAt: '2026-03-09T07:00:00.000Z', version: 2, recurrence: 'FREQ=WEEKLY;BYDAY=MO' });
    expect(done.headers.etag).toBe('"2"');
    // Across the DST change (29 March): still 08:00 in Berlin, now 06:00 UTC.
    for (const dueAt of ['2026-03-16T07:00:00.000Z', '2026-03-23T07:00:00.000Z', '2026-03-30T06:00:00.000Z']) {
      expect((await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200)).body.dueAt).toBe(dueAt);
    }
    const completions = await alice.get(`/api/tasks/${task.id}/completions`).expect(200);
    expect(completions.body.items.map((item: { dueAt: string }) => item.dueAt)).toEqual([
      '2026-03-23T07:00:00.000Z',
      '2026-03-16T07:00:00.000Z',
      '2026-03-09T07:00:00.000Z',
      '2026-03-02T07:00:00.000Z',
    ]);
    expect(completions.body.nextCursor).toBeNull();
  });

  it('a retried completion with If-Match never advances twice', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask(WEEKLY_MONDAY);
    const attempts = await Promise.all([1, 2, 3].map(() => alice.patch(`/api/tasks/${task.id}`, { completed: true }).set('if-match', '"1"')));
    expect(attempts.map((res) => res.status).sort()).toEqual([200, 412, 412]);
    const after = await alice.get(`/api/tasks/${task.id}`).expect(200);
    expect(after.body).toMatchObject({ dueAt: '2026-03-09T07:00:00.000Z', version: 2 });
  });

  it('a completion retried with the same Idempotency-Key is answered with the first response, not applied again', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask(WEEKLY_MONDAY);
    const attempts = await Promise.all([1, 2, 3].map(() => alice.patch(`/api/tasks/${task.id}`, { completed: true }).set('idempotency-key', 'complete-1')));
    expect(attempts.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(attempts.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    for (const res of attempts) expect(res.body).toMatchObject({ dueAt: '2026-03-09T07:00:00.000Z', version: 2 });
    expect((await alice.get(`/api/tasks/${task.id}`).expect(200)).body).toMatchObject({ dueAt: '2026-03-09T07:00:00.000Z', version: 2 });
    await alice.patch(`/api/tasks/${task.id}`, { completed: true, title: 'other' }).set('idempotency-key', 'complete-1').expect(422);
    // A new key is a new completion.
    expect((await alice.patch(`/api/tasks/${task.id}`, { completed: true }).set('idempotency-key', 'complete-2').expect(200)).body.dueAt).toBe('2026-03-16T07:00:00.000Z');
  });

  it('completes for good when COUNT is used up, and the compatibility toggle advances too', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ ...WEEKLY_MONDAY, recurrence: 'FREQ=DAILY;COUNT=3' });
    await alice.patch(`/api/${alice.id}/tasks/${task.id}/complete`).expect(200);
    const second = await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200);
    expect(second.body).toMatchObject({ completed: false, dueAt: '2026-03-04T07:00:00.000Z' });
    const third = await alice.patch(`/api/${alice.id}/tasks/${task.id}/complete`).expect(200);
    expect(third.body).toMatchObject({ completed: true, due_date: '2026-03-04T07:00:00.000Z' });
    expect((await alice.get(`/api/tasks/${task.id}/completions`).expect(200)).body.items).toHaveLength(3);
    // Completed for good: toggling reopens it, as for any task.
    expect((await alice.patch(`/api/${alice.id}/tasks/${task.id}/complete`).expect(200)).body.completed).toBe(false);
  });

  it('moving dueAt keeps the rule (the series moves); recurrence: null ends it', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask(WEEKLY_MONDAY);
    const moved = await alice.patch(`/api/tasks/${task.id}`, { dueAt: '2026-03-04T18:30:00+01:00' }).expect(200);
    expect(moved.body).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', dueAt: '2026-03-04T17:30:00.000Z', version: 2 });
    // The moved occurrence counts as the first (RFC 5545: DTSTART is always one); then Mondays at 18:30.
    expect((await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200)).body.dueAt).toBe('2026-03-09T17:30:00.000Z');
    const cleared = await alice.patch(`/api/tasks/${task.id}`, { dueAt: null }).expect(400);
    expect(errorFields(cleared.body)).toEqual(['dueAt']);
    const ended = await alice.patch(`/api/tasks/${task.id}`, { recurrence: null }).expect(200);
    expect(ended.body).toMatchObject({ recurrence: null, timeZone: 'Europe/Berlin' });
    expect((await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200)).body).toMatchObject({ completed: true, dueAt: '2026-03-09T17:30:00.000Z' });
  });

  it('with recurrenceBase "completion", the next one is INTERVAL days after the day it was done', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ title: 'Descale', dueAt: '2026-01-01T09:00:00+05:30', timeZone: 'Asia/Kolkata', recurrence: 'FREQ=DAILY;INTERVAL=3', recurrenceBase: 'completion' });
    const done = await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200);
    const [completion] = (await alice.get(`/api/tasks/${task.id}/completions`).expect(200)).body.items as { completedAt: string }[];
    const completedOn = new Date(Date.parse(completion.completedAt) + 5.5 * 3600_000).toISOString().slice(0, 10);
    const expected = new Date(Date.parse(`${completedOn}T09:00:00+05:30`) + 3 * 86400_000).toISOString();
    expect(done.body.dueAt).toBe(expected);
  });

  it('previews occurrences, bounded, and pages completions', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ ...WEEKLY_MONDAY, recurrence: 'FREQ=MONTHLY;BYDAY=-1FR', dueAt: '2026-01-30T17:00:00+01:00' });
    const preview = await alice.get(`/api/tasks/${task.id}/occurrences?from=2026-01-01T00:00:00Z&limit=4`).expect(200);
    expect(preview.body.items).toEqual(['2026-01-30T16:00:00.000Z', '2026-02-27T16:00:00.000Z', '2026-03-27T16:00:00.000Z', '2026-04-24T15:00:00.000Z'].map((dueAt) => ({ dueAt })));
    const window = await alice.get(`/api/tasks/${task.id}/occurrences?from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z`).expect(200);
    expect(window.body.items).toHaveLength(2);
    expect(errorFields((await alice.get(`/api/tasks/${task.id}/occurrences?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z`).expect(400)).body)).toEqual(['to']);
    expect(errorFields((await alice.get(`/api/tasks/${task.id}/occurrences?limit=1000`).expect(400)).body)).toEqual(['limit']);

    for (let index = 0; index < 3; index++) await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200);
    const first = await alice.get(`/api/tasks/${task.id}/completions?limit=2`).expect(200);
    const second = await alice.get(`/api/tasks/${task.id}/completions?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect([...first.body.items, ...second.body.items].map((item: { dueAt: string }) => item.dueAt)).toEqual(['2026-03-27T16:00:00.000Z', '2026-02-27T16:00:00.000Z', '2026-01-30T16:00:00.000Z']);
    expect(second.body.nextCursor).toBeNull();
    expect(errorFields((await alice.get(`/api/tasks/${task.id}/completions?cursor=abc.def`).expect(400)).body)).toEqual(['cursor']);
  });

  it("answers another user's task, on every recurrence route, as one that does not exist", async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const task = await alice.createTask(WEEKLY_MONDAY);
    for (const path of [`/api/tasks/${task.id}/occurrences`, `/api/tasks/${task.id}/completions`]) {
      const res = await bob.get(path).expect(404);
      expect(res.body.type).toBe('https://tasks-api.dev/problems/not-found');
    }
    await bob.patch(`/api/tasks/${task.id}`, { completed: true }).expect(404);
    await bob.patch(`/api/tasks/${task.id}`, { recurrence: null }).expect(404);
    expect((await alice.get(`/api/tasks/${task.id}`).expect(200)).body.version).toBe(1);
  });
});
