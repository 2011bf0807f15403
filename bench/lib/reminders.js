/**
 * Reminder firing lag: `count` reminders of one user fall due evenly over `seconds`, and the API's
 * own poller (its default REMINDER_POLL_MS) fires them. Lag = fired_at − scheduled_for, per firing,
 * read back from `reminder_firings`; exactly once = as many distinct reminders as firings.
 */
import { summarizeLatencies } from './stats.js';

/** @param {import('pg').Client} db @param {{ ownerId: string, count: number, seconds: number, log: (m: string) => void }} options */
export async function measureReminderLag(db, { ownerId, count, seconds, log }) {
  await db.query('DELETE FROM tasks WHERE owner_id = $1', [ownerId]);
  // One task and one reminder each, due from 2 s from now, evenly over `seconds`.
  await db.query(
    `WITH t AS (INSERT INTO tasks (owner_id, title, due_at) SELECT $1, 'reminder lag ' || g, now() + interval '1 hour' FROM generate_series(1, $2::int) g RETURNING id)
     INSERT INTO reminders (owner_id, task_id, at, fire_at)
     SELECT $1, id, at, at FROM (SELECT id, now() + interval '2 seconds' + (row_number() OVER () - 1) * ($3::float8 / $2) * interval '1 second' AS at FROM t) due`,
    [ownerId, count, seconds],
  );
  const deadline = Date.now() + (seconds + 30) * 1000;
  let fired = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    fired = Number((await db.query('SELECT count(*) FROM reminder_firings WHERE owner_id = $1', [ownerId])).rows[0].count);
    if (fired >= count) break;
  }
  const { rows } = await db.query(
    'SELECT extract(epoch FROM fired_at - scheduled_for) * 1000 AS lag_ms, reminder_id FROM reminder_firings WHERE owner_id = $1',
    [ownerId],
  );
  const lags = rows.map((row) => Number(row.lag_ms));
  const result = { reminders: count, overSeconds: seconds, fired: rows.length, distinct: new Set(rows.map((row) => row.reminder_id)).size, lagMs: summarizeLatencies(lags) };
  log(`reminders: ${result.fired} of ${count} fired (${result.distinct} distinct), lag p50 ${result.lagMs.p50} / p99 ${result.lagMs.p99} / max ${result.lagMs.max} ms`);
  await db.query('DELETE FROM tasks WHERE owner_id = $1', [ownerId]);
  return result;
}
