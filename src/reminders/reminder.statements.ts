import type { Statement } from '../tasks/task.statements.js';

export const REMINDER_FIRED = 'reminder.fired';

/**
 * The SQL of reminders. Every statement a user's request runs is scoped by `owner_id = $1`; the
 * poller's claim is the one statement across owners (it fires everyone's reminders).
 */

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const REMINDERS_PER_TASK = 5;

export interface ReminderRow {
  id: string;
  taskId: string;
  before: string | null;
  at: string | null;
  /** When it fires next; null when nothing is armed. */
  fireAt: string | null;
}

export interface FiringRow {
  id: string;
  ownerId: string;
  reminderId: string;
  taskId: string;
  dueAt: string | null;
  scheduledFor: string;
  firedAt: string;
  late: boolean;
  /** PostgreSQL's text of fired_at, for cursors. */
  sortKey: string;
}

const REMINDER_COLUMNS = `id, task_id AS "taskId", before, ${iso('at')} AS "at", ${iso('fire_at')} AS "fireAt"`;
const FIRING_COLUMNS = `id, owner_id AS "ownerId", reminder_id AS "reminderId", task_id AS "taskId", ${iso('due_at')} AS "dueAt",
  ${iso('scheduled_for')} AS "scheduledFor", ${iso('fired_at')} AS "firedAt", late, fired_at::text AS "sortKey"`;

/** The task's due date, locking the task (so two requests cannot both add a fifth reminder); no row: no such task. */
export function lockTaskForRemindersStatement({ ownerId, taskId }: { ownerId: string; taskId: string }): Statement {
  return { text: `SELECT ${iso('due_at')} AS "dueAt" FROM tasks WHERE owner_id = $1 AND id = $2 FOR UPDATE`, values: [ownerId, taskId] };
}

// Armed only when its time is still ahead; $3 before (an ISO 8601 duration, which PostgreSQL reads as an interval) or $4 at.
const INSERT_REMINDER = `
  INSERT INTO reminders (owner_id, task_id, before, at, fire_at)
  SELECT $1, t.id, $3::text, $4::timestamptz, nullif(greatest(fire.at, now()), now())
  FROM tasks t CROSS JOIN LATERAL (SELECT coalesce(t.due_at - $3::text::interval, $4::timestamptz) AS at) fire
  WHERE t.owner_id = $1 AND t.id = $2 AND (SELECT count(*) FROM reminders WHERE task_id = $2) < ${REMINDERS_PER_TASK}
  RETURNING ${REMINDER_COLUMNS}`;

/** Adds a reminder to a task the transaction has locked; no row when it already has REMINDERS_PER_TASK. */
export function insertReminderStatement(reminder: { ownerId: string; taskId: string; before: string | null; at: string | null }): Statement {
  return { text: INSERT_REMINDER, values: [reminder.ownerId, reminder.taskId, reminder.before, reminder.at] };
}

export function listRemindersStatement({ ownerId, taskId }: { ownerId: string; taskId: string }): Statement {
  return { text: `SELECT ${REMINDER_COLUMNS} FROM reminders WHERE owner_id = $1 AND task_id = $2 ORDER BY created_at, id`, values: [ownerId, taskId] };
}

export function deleteReminderStatement({ ownerId, taskId, id }: { ownerId: string; taskId: string; id: string }): Statement {
  return { text: `DELETE FROM reminders WHERE owner_id = $1 AND task_id = $2 AND id = $3 RETURNING id`, values: [ownerId, taskId, id] };
}

/**
 * Claims up to $2 reminders due by $1 and records their firing, in one statement (so atomically):
 * the claimed rows are disarmed, their firings inserted and a webhook delivery queued for each of
 * the owner's enabled webhooks, all together or none. FOR UPDATE SKIP LOCKED lets several
 * instances poll at once, each taking rows the others have not locked; a row is never claimed
 * twice, because once this commits its fire_at is NULL. A reminder of a completed task is disarmed
 * without firing. $3: how late a firing may be before it is marked late.
 */
const CLAIM_DUE_REMINDERS = `
  WITH due AS (
    SELECT id, fire_at FROM reminders
    WHERE fire_at <= $1
    ORDER BY fire_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE reminders r SET fire_at = NULL FROM due WHERE r.id = due.id
    RETURNING r.id, r.owner_id, r.task_id, due.fire_at AS scheduled_for
  ), firings AS (
    INSERT INTO reminder_firings (owner_id, reminder_id, task_id, due_at, scheduled_for, fired_at, late)
    SELECT c.owner_id, c.id, c.task_id, t.due_at, c.scheduled_for, $1, $1::timestamptz - c.scheduled_for > $3::interval
    FROM claimed c JOIN tasks t ON t.id = c.task_id
    WHERE NOT t.completed
    RETURNING ${FIRING_COLUMNS}
  ), deliveries AS (
    INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at)
    SELECT w.id, '${REMINDER_FIRED}', jsonb_build_object('event', '${REMINDER_FIRED}', 'data', to_jsonb(f) - 'ownerId' - 'sortKey'), $1
    FROM firings f JOIN webhooks w ON w.owner_id = f."ownerId" AND w.disabled_at IS NULL
  )
  SELECT * FROM firings`;

export function claimDueRemindersStatement({ now, limit, lateAfterMs }: { now: Date; limit: number; lateAfterMs: number }): Statement {
  return { text: CLAIM_DUE_REMINDERS, values: [now.toISOString(), limit, `${lateAfterMs} milliseconds`] };
}

/** The owner's firings after `since` (exclusive), oldest first, as a keyset on (fired_at, id). */
export function listFiringsStatement(query: { ownerId: string; since: string | null; after?: { key: string; id: string }; limit: number }): Statement {
  const values: unknown[] = [query.ownerId, query.since, query.limit];
  let after = '';
  if (query.after) {
    values.push(query.after.key, query.after.id);
    after = 'AND (fired_at, id) > ($4::timestamptz, $5::uuid)';
  }
  return {
    text: `SELECT ${FIRING_COLUMNS} FROM reminder_firings WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR fired_at > $2::timestamptz) ${after} ORDER BY fired_at, id LIMIT $3`,
    values,
  };
}
