import type { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { SystemClock } from '../src/common/clock/clock.js';
import { type AppConfig, loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import type { FiredReminderResponse } from '../src/reminders/dto/fired-reminder.response.js';
import { ReminderEvents } from '../src/reminders/reminder-events.js';
import { ReminderPoller } from '../src/reminders/reminder-poller.js';
import { RemindersRepository } from '../src/reminders/reminders.repository.js';
import { createTestApp } from './utils/create-test-app.js';
import { withDatabase } from './utils/tasks-client.js';
import { freshUser } from './utils/tokens.js';

const REMINDERS = 1000;
const POLL_MS = '100';

/**
 * A poller with its own connection pool: another instance, as far as the database can tell (the
 * API's HTTP side is not needed to fire reminders). Its connections carry `name`, so a test can
 * kill them as a crash would.
 */
async function standalonePoller(name: string): Promise<{ poller: ReminderPoller; events: ReminderEvents; dataSource: DataSource }> {
  const options = dataSourceOptions(loadConfig({ NODE_ENV: 'test' }).database, inject('databaseUrl')) as Extract<DataSourceOptions, { type: 'postgres' }>;
  const dataSource = await new DataSource({ ...options, applicationName: name }).initialize();
  const events = new ReminderEvents();
  const config = { get: () => ({ enabled: true, pollMs: Number(POLL_MS) }) } as unknown as ConfigService<AppConfig, true>;
  const poller = new ReminderPoller(new RemindersRepository(dataSource), events, new SystemClock(), config);
  poller.onApplicationBootstrap();
  return { poller, events, dataSource };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

describe('reminders across instances', () => {
  let app: NestFastifyApplication;
  let others: Awaited<ReturnType<typeof standalonePoller>>[] = [];

  beforeAll(async () => {
    app = await createTestApp({ REMINDER_POLL_MS: POLL_MS });
    others = [await standalonePoller('poller-b'), await standalonePoller('poller-c')];
  });
  afterAll(async () => {
    for (const other of others) {
      await other.poller.onApplicationShutdown();
      if (other.dataSource.isInitialized) await other.dataSource.destroy();
    }
    await app?.close();
  });

  it(`fires ${REMINDERS} reminders due within ~10 s exactly once each, while one of three instances crashes midway`, async () => {
    const { id: ownerId } = await freshUser();
    const fired: FiredReminderResponse[] = [];
    const firedBy = [0, 0, 0];
    [app.get(ReminderEvents), ...others.map((other) => other.events)].forEach((events, instance) =>
      events.onFired((firing) => {
        fired.push(firing);
        firedBy[instance]++;
      }),
    );

    // One task and one reminder each, due from 2 s from now, one every 10 ms.
    const reminderIds = await withDatabase(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `WITH t AS (INSERT INTO tasks (owner_id, title, due_at) SELECT $1, 'task ' || g, now() + interval '1 hour' FROM generate_series(1, $2::int) g RETURNING id)
         INSERT INTO reminders (owner_id, task_id, at, fire_at)
         SELECT $1, id, at, at FROM (SELECT id, clock_timestamp() + interval '2 seconds' + row_number() OVER () * interval '10 milliseconds' AS at FROM t) due
         RETURNING id`,
        [ownerId, REMINDERS],
      );
      return rows.map((row) => row.id);
    });

    // Midway, instance C dies: its poller stops and its connections are killed, as in a crash
    // (a claim in flight rolls back, and its reminders go to the others).
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const crashed = others[1];
    void crashed.poller.onApplicationShutdown();
    await withDatabase((client) => client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'poller-c'`));

    const firings = await withDatabase(async (client) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await client.query<{ reminderId: string; lagMs: number; late: boolean }>(
          `SELECT reminder_id AS "reminderId", extract(epoch FROM fired_at - scheduled_for) * 1000 AS "lagMs", late FROM reminder_firings WHERE owner_id = $1`,
          [ownerId],
        );
        if (rows.length >= REMINDERS || Date.now() > deadline) return rows;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    // None lost, none doubled: one firing per reminder, and no reminder announced twice.
    expect(firings).toHaveLength(REMINDERS);
    expect(new Set(firings.map((firing) => firing.reminderId))).toEqual(new Set(reminderIds));
    const announced = fired.filter((event) => reminderIds.includes(event.reminderId)).map((event) => event.reminderId);
    expect(new Set(announced).size).toBe(announced.length);
    // An announcement can only be lost with the process that had committed the firing (the crash).
    expect(announced.length).toBeGreaterThanOrEqual(REMINDERS - 200);

    // Each instance took a share, the crashed one too (before it died).
    expect(firedBy.every((count) => count > 0), `fired per instance: ${firedBy.join(', ')}`).toBe(true);

    const lags = firings.map((firing) => Number(firing.lagMs)).sort((a, b) => a - b);
    console.info(`reminder firing lag over ${REMINDERS} reminders: p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms, max ${lags.at(-1)?.toFixed(0)} ms`);
    expect(firings.filter((firing) => firing.late)).toEqual([]);
    expect(percentile(lags, 99)).toBeLessThan(5000);
  }, 45_000);
});
