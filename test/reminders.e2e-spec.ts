import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiredReminderResponse } from '../src/reminders/dto/fired-reminder.response.js';
import { ReminderEvents } from '../src/reminders/reminder-events.js';
import { createTestApp } from './utils/create-test-app.js';
import { errorFields, tasksUser, type TasksUser, withDatabase } from './utils/tasks-client.js';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('reminders', () => {
  let app: NestFastifyApplication;
  const fired: FiredReminderResponse[] = [];

  beforeAll(async () => {
    app = await createTestApp({ REMINDER_POLL_MS: '50' });
    app.get(ReminderEvents).onFired((firing) => fired.push(firing));
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Waits until the reminder has fired (or the time is up), and returns its firings. */
  async function firingsOf(user: TasksUser, reminderId: string, waitMs: number): Promise<FiredReminderResponse[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const items = ((await user.get('/api/reminders?state=fired').expect(200)).body.items as FiredReminderResponse[]).filter((item) => item.reminderId === reminderId);
      if (items.length > 0 || Date.now() > deadline) return items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('adds up to 5 reminders to a task, relative or absolute, and lists and removes them', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ title: 'Call mum', dueAt: '2099-05-01T18:00:00Z' });
    const relative = await alice.post(`/api/tasks/${task.id}/reminders`, { before: 'pt30m' }).expect(201);
    expect(relative.body).toEqual({ id: expect.any(String), taskId: task.id, before: 'PT30M', at: null, fireAt: '2099-05-01T17:30:00.000Z' });
    const absolute = await alice.post(`/api/tasks/${task.id}/reminders`, { at: '2099-04-30T10:00:00+02:00' }).expect(201);
    expect(absolute.body).toMatchObject({ before: null, at: '2099-04-30T08:00:00.000Z', fireAt: '2099-04-30T08:00:00.000Z' });
    for (const before of ['P1D', 'P1W', 'PT1H30M']) await alice.post(`/api/tasks/${task.id}/reminders`, { before }).expect(201);
    expect((await alice.post(`/api/tasks/${task.id}/reminders`, { before: 'PT1M' }).expect(409)).body.type).toBe('https://tasks-api.dev/problems/conflict');
    expect((await alice.get(`/api/tasks/${task.id}/reminders`).expect(200)).body.items).toHaveLength(5);
    await alice.delete(`/api/tasks/${task.id}/reminders/${relative.body.id}`).expect(204);
    await alice.delete(`/api/tasks/${task.id}/reminders/${relative.body.id}`).expect(404);
    expect((await alice.get(`/api/tasks/${task.id}/reminders`).expect(200)).body.items).toHaveLength(4);
  });

  it('refuses malformed reminders with a 400 naming the field', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ title: 'x', dueAt: '2099-05-01T18:00:00Z' });
    const fieldsOf = async (body: unknown) => errorFields((await alice.post(`/api/tasks/${task.id}/reminders`, body).expect(400)).body);
    expect(await fieldsOf({ before: '30 minutes' })).toEqual(['before']);
    expect(await fieldsOf({ before: 'P' })).toEqual(['before']);
    expect(await fieldsOf({ at: 'tomorrow' })).toEqual(['at']);
    expect((await fieldsOf({})).sort()).toEqual(['at', 'before']);
    expect(await fieldsOf({ before: 'PT5M', at: '2099-01-01T00:00:00Z' })).toEqual(['at']);
    expect(await fieldsOf({ before: 'PT5M', repeat: true })).toEqual(['repeat']);
  });

  it("answers another user's task as one that does not exist, on every reminder route", async () => {
    const alice = await tasksUser(app);
    const bob = await tasksUser(app);
    const task = await alice.createTask({ title: 'x', dueAt: '2099-05-01T18:00:00Z' });
    const reminder = (await alice.post(`/api/tasks/${task.id}/reminders`, { before: 'PT5M' }).expect(201)).body as { id: string };
    await bob.post(`/api/tasks/${task.id}/reminders`, { before: 'PT5M' }).expect(404);
    await bob.get(`/api/tasks/${task.id}/reminders`).expect(404);
    await bob.delete(`/api/tasks/${task.id}/reminders/${reminder.id}`).expect(404);
    expect((await alice.get(`/api/tasks/${task.id}/reminders`).expect(200)).body.items).toHaveLength(1);
    expect((await bob.get('/api/reminders').expect(200)).body.items).toEqual([]);
  });

  it('fires once, at its time, listed under GET /api/reminders and emitted as reminder.fired', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ title: 'Tea', dueAt: inSeconds(1.5) });
    const reminder = (await alice.post(`/api/tasks/${task.id}/reminders`, { before: 'PT1S' }).expect(201)).body as { id: string; fireAt: string };
    const [firing, ...more] = await firingsOf(alice, reminder.id, 5000);
    expect(more).toEqual([]);
    expect(firing).toMatchObject({ taskId: task.id, dueAt: task.dueAt, scheduledFor: reminder.fireAt, late: false });
    expect(Date.parse(firing.firedAt) - Date.parse(firing.scheduledFor)).toBeLessThan(1000);
    expect(fired.filter((event) => event.reminderId === reminder.id)).toEqual([firing]);
    const since = await alice.get(`/api/reminders?state=fired&since=${encodeURIComponent(firing.firedAt)}`).expect(200);
    expect(since.body.items).toEqual([]);
    expect((await alice.get(`/api/tasks/${task.id}/reminders`).expect(200)).body.items[0].fireAt).toBeNull();
  });

  it('does not fire for a completed or deleted task; fires late what fell due while no poller ran', async () => {
    const alice = await tasksUser(app);
    const completed = await alice.createTask({ title: 'done', dueAt: inSeconds(2) });
    const deleted = await alice.createTask({ title: 'gone', dueAt: inSeconds(2) });
    const missed = await alice.createTask({ title: 'missed', dueAt: inSeconds(3600) });
    const onCompleted = (await alice.post(`/api/tasks/${completed.id}/reminders`, { before: 'PT1S' }).expect(201)).body as { id: string };
    await alice.post(`/api/tasks/${deleted.id}/reminders`, { before: 'PT1S' }).expect(201);
    const onMissed = (await alice.post(`/api/tasks/${missed.id}/reminders`, { before: 'PT5M' }).expect(201)).body as { id: string };
    await alice.patch(`/api/tasks/${completed.id}`, { completed: true }).expect(200);
    await alice.delete(`/api/tasks/${deleted.id}`).expect(204);
    // As if every instance had been down when it fell due, five minutes ago.
    await withDatabase((client) => client.query(`UPDATE reminders SET fire_at = now() - interval '5 minutes' WHERE id = $1`, [onMissed.id]));
    const [late] = await firingsOf(alice, onMissed.id, 5000);
    expect(late.late).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await firingsOf(alice, onCompleted.id, 0)).toEqual([]);
    expect((await alice.get('/api/reminders').expect(200)).body.items.map((item: { taskId: string }) => item.taskId)).toEqual([missed.id]);
  });

  it('re-arms a relative reminder for each occurrence of a recurring task', async () => {
    const alice = await tasksUser(app);
    const task = await alice.createTask({ title: 'Stretch', dueAt: '2099-03-02T08:00:00+01:00', timeZone: 'Europe/Berlin', recurrence: 'FREQ=DAILY' });
    await alice.post(`/api/tasks/${task.id}/reminders`, { before: 'PT10M' }).expect(201);
    await alice.patch(`/api/tasks/${task.id}`, { completed: true }).expect(200);
    expect((await alice.get(`/api/tasks/${task.id}/reminders`).expect(200)).body.items[0].fireAt).toBe('2099-03-03T06:50:00.000Z');
  });
});
