import type { Statement, TaskRow } from '../tasks/task.statements.js';
import { TASK_COLUMNS } from '../tasks/task.statements.js';
import type { ChangeOperation } from './task-change.entity.js';

/**
 * The change feed's SQL. Why it cannot lose a change: a position (identity value) is taken when a
 * row is written, but becomes visible when its transaction commits, so positions do not become
 * visible in order; a reader that handed out position 8 and then saw position 7 commit would have
 * skipped 7 for good. So the feed is read in the order of (transaction id, position), and only
 * changes of transactions below the oldest transaction still running (`pg_snapshot_xmin` of the
 * statement's own snapshot) are handed out: every such transaction has ended, so nothing can ever
 * appear below a token. A transaction that has not yet written gets a larger id when it does. The
 * price: a change waits while an older transaction runs (the statement timeout bounds that).
 * Everything a request needs (the horizon, the page, the tasks' current state, the purge check)
 * comes from one statement, so from one snapshot.
 */

/** The oldest transaction id still running, as the feed's statements compare it. */
const RUNNING_XMIN = `pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;
/** Whether a position `($2, $3)` is before the purge horizon: changes after it may be gone. */
const EXPIRED = `(SELECT (purged_xid, purged_position) > ($2::bigint, $3::bigint) FROM sync_horizon)`;
const OWNED_TASK_COLUMNS = `SELECT ${TASK_COLUMNS} FROM tasks WHERE owner_id = $1`;

export interface ChangeRow {
  /** Null when the feed has nothing new (the one row only carries `runningXmin` and `expired`). */
  xid: string | null;
  position: string | null;
  taskId: string | null;
  /** Null with `xid`; otherwise the trigger's insert, update or delete. */
  operation: ChangeOperation | null;
  changedAt: string | null;
  /** The task as it is now; null once deleted. */
  task: TaskRow | null;
  runningXmin: string;
  expired: boolean;
}

const CHANGES = `
  WITH page AS (
    SELECT task_id, xid, position, operation, changed_at FROM task_changes
    WHERE owner_id = $1 AND (xid, position) > ($2::bigint, $3::bigint) AND xid < ${RUNNING_XMIN}
    ORDER BY xid, position
    LIMIT $4)
  SELECT page.xid::text AS xid, page.position::text AS position, page.task_id AS "taskId", page.operation,
    to_char(page.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "changedAt", to_jsonb(task) AS task,
    ${RUNNING_XMIN}::text AS "runningXmin", ${EXPIRED} AS expired
  FROM (VALUES (1)) AS one
  LEFT JOIN page ON true
  -- LIMIT 1 keeps this a lookup per change (the planner would otherwise join all the owner's tasks).
  LEFT JOIN LATERAL (${OWNED_TASK_COLUMNS} AND id = page.task_id LIMIT 1) AS task ON true
  ORDER BY page.xid, page.position`;

/** Up to `limit` changes of the owner after (`xid`, `position`), with the tasks they left; at least one row. */
export function changesStatement({ ownerId, xid, position, limit }: { ownerId: string; xid: string; position: string; limit: number }): Statement {
  return { text: CHANGES, values: [ownerId, xid, position, limit] };
}

export interface SnapshotRow {
  /** Null when there are no (more) tasks. */
  task: TaskRow | null;
  runningXmin: string;
  expired: boolean;
}

const SNAPSHOT = `
  SELECT to_jsonb(task) AS task, ${RUNNING_XMIN}::text AS "runningXmin", ${EXPIRED} AS expired
  FROM (VALUES (1)) AS one
  LEFT JOIN LATERAL (${OWNED_TASK_COLUMNS} AND id > $4 ORDER BY id LIMIT $5) AS task ON true
  ORDER BY task.id`;

/**
 * Up to `limit` of the owner's current tasks after `afterId`, by id; at least one row. `xid` is
 * where the feed will start once the snapshot is done (checked against the purge horizon).
 */
export function snapshotStatement({ ownerId, xid, afterId, limit }: { ownerId: string; xid: string; afterId: string; limit: number }): Statement {
  return { text: SNAPSHOT, values: [ownerId, xid, '0', afterId, limit] };
}

const PURGE = `
  WITH purged AS (
    DELETE FROM task_changes WHERE changed_at < now() - make_interval(days => $1) AND xid < ${RUNNING_XMIN}
    RETURNING xid, position),
  last AS (SELECT xid, position FROM purged ORDER BY xid DESC, position DESC LIMIT 1)
  UPDATE sync_horizon SET purged_xid = last.xid, purged_position = last.position
  FROM last
  WHERE sync_horizon.id = 1 AND (last.xid, last.position) > (sync_horizon.purged_xid, sync_horizon.purged_position)`;

/** Deletes the changes older than `retentionDays`, of every owner, and moves the purge horizon past them. */
export function purgeChangesStatement({ retentionDays }: { retentionDays: number }): Statement {
  return { text: PURGE, values: [retentionDays] };
}
