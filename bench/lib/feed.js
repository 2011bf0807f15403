/**
 * The change feed at scale (issue 21), for the user with the most tasks and their tombstones: the
 * feed's first page (since the start) and a deep page (after nine tenths of the user's changes),
 * the snapshot's first page and a deep one (after nine tenths of their tasks), one request at a
 * time; and the EXPLAIN ANALYZE of the same statements as the built API writes them. The deep tokens
 * are made with the API's own encoder from positions read in the database, rather than by paging
 * through a million changes.
 */
import pg from 'pg';
import { createClient } from './client.js';
import { explainStatement } from './explain.js';
import { series } from './scale.js';
import { ratio } from './stats.js';

// The feed's default page size.
const LIMIT = 100;
const DEEP_SHARE = 0.9;

/** Where each measured page starts, as the API's tokens (none: the snapshot's first page) and as its statements' arguments. */
async function pagePositions(db, ownerId) {
  const { encodeSyncToken, FIRST_TASK_ID } = await import('../../dist/sync/sync-token.js');
  const one = async (text, values) => (await db.query(text, values)).rows[0];
  const { changes, tasks, xmin } = await one(
    `SELECT (SELECT count(*) FROM task_changes WHERE owner_id = $1)::int AS changes, (SELECT count(*) FROM tasks WHERE owner_id = $1)::int AS tasks,
       pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    [ownerId],
  );
  const deepChange = await one('SELECT xid::text, position::text FROM task_changes WHERE owner_id = $1 ORDER BY xid, position OFFSET $2 LIMIT 1', [ownerId, Math.floor(changes * DEEP_SHARE)]);
  const deepTask = await one('SELECT id FROM tasks WHERE owner_id = $1 ORDER BY id OFFSET $2 LIMIT 1', [ownerId, Math.floor(tasks * DEEP_SHARE)]);
  const feed = (xid, position) => ({ token: encodeSyncToken(ownerId, { kind: 'feed', xid, position }), args: { xid, position } });
  const snapshot = (afterId) => ({ token: afterId === FIRST_TASK_ID ? null : encodeSyncToken(ownerId, { kind: 'snapshot', xid: xmin, afterId }), args: { xid: xmin, afterId } });
  return {
    changes,
    tasks,
    pages: { feedFirst: feed('0', '0'), feedDeep: feed(deepChange.xid, deepChange.position), snapshotFirst: snapshot(FIRST_TASK_ID), snapshotDeep: snapshot(deepTask.id) },
  };
}

/**
 * @param {{ origin: string }} server @param {string} url the scale database
 * @param {{ ownerId: string, token: string, tasks: number, tombstones: number }} user
 * @param {{ samples: number, warmup: number, maxSeconds: number }} options
 */
export async function measureChangeFeed(server, url, user, options) {
  const { changesStatement, snapshotStatement } = await import('../../dist/sync/sync.statements.js');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const client = createClient(server.origin, user.token);
  try {
    const { changes, tasks, pages } = await pagePositions(db, user.ownerId);
    // A change per task created (kept or deleted later) and per deletion, unless the purge took some.
    const expected = user.tasks + 2 * user.tombstones;
    if (changes < expected) throw new Error(`${user.ownerId} has ${changes} of ${expected} changes: the API purged older ones; run with --reseed`);
    const result = { tasks, tombstones: user.tombstones, changes, limit: LIMIT, deepShare: DEEP_SHARE, pages: {}, explain: [] };
    for (const [page, { token, args }] of Object.entries(pages)) {
      const path = `/api/tasks/changes?limit=${LIMIT}${token ? `&since=${encodeURIComponent(token)}` : ''}`;
      // Entries on the page (a task changed twice on it is one entry), so an empty answer cannot pass for a fast one.
      const entries = JSON.parse((await client.send('GET', path)).body).changes?.length ?? 0;
      result.pages[page] = { entries, ...(await series(client, path, options)) };
      const statement = page.startsWith('feed') ? changesStatement({ ownerId: user.ownerId, ...args, limit: LIMIT + 1 }) : snapshotStatement({ ownerId: user.ownerId, ...args, limit: LIMIT + 1 });
      const { executionMs, seqScan, sortedRows, outline } = await explainStatement(db, statement, page.startsWith('feed') ? 'task_changes' : 'tasks');
      result.explain.push({ page, seqScan, sortedRows, executionMs, outline });
    }
    result.deepToFirstP50 = { feed: ratio(result.pages.feedDeep.p50, result.pages.feedFirst.p50), snapshot: ratio(result.pages.snapshotDeep.p50, result.pages.snapshotFirst.p50) };
    return result;
  } finally {
    client.close();
    await db.end();
  }
}
