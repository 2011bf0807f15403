/** EXPLAIN of the list queries exactly as the built API builds them (dist/tasks/task-list.query.js). */
import { resolve } from 'node:path';
import pg from 'pg';
import { DIST } from './db.js';
import { round } from './stats.js';

const BASE_FILTER = { status: 'all', priorities: [], tags: [], overdue: false };

/**
 * @param {any} plan an EXPLAIN (FORMAT JSON) plan node
 * @param {(node: any) => void} visit
 */
export function walkPlan(plan, visit) {
  visit(plan);
  for (const child of plan.Plans ?? []) walkPlan(child, visit);
}

/** The Seq Scan nodes on `relation` in a plan. @param {any} plan @param {string} relation */
export function seqScansOn(plan, relation) {
  const found = [];
  walkPlan(plan, (node) => {
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === relation) found.push(node);
  });
  return found;
}

/** A one-line outline of a plan: node types (index names) from the top down. @param {any} plan */
export function outline(plan) {
  const parts = [];
  walkPlan(plan, (node) => parts.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']));
  return parts.join(' → ');
}

/**
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of the first and deep pages of each variant.
 * @param {string} url the scale database
 * @param {string} ownerId
 * @param {Record<string, { deepCursor: string | null }>} scaleResult the variants' deep cursors (from measureScale)
 * @param {(cursor: string) => { key: string, id: string }} cursorPosition
 */
export async function explainListQueries(url, ownerId, scaleResult, cursorPosition) {
  const { buildListTasksQuery } = await import(resolve(DIST, 'tasks/task-list.query.js'));
  const { toPrefixTsQuery } = await import(resolve(DIST, 'tasks/task-search.js'));
  const variants = {
    default: { filter: BASE_FILTER, sort: '-createdAt' },
    dueAt: { filter: BASE_FILTER, sort: 'dueAt' },
    q: { filter: { ...BASE_FILTER, search: toPrefixTsQuery('review') }, sort: 'relevance' },
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const results = [];
  try {
    for (const [variant, { filter, sort }] of Object.entries(variants)) {
      const cursor = scaleResult[variant]?.deepCursor;
      for (const page of ['first', 'deep']) {
        if (page === 'deep' && !cursor) continue;
        const after = page === 'deep' ? cursorPosition(cursor) : undefined;
        const { sql, parameters } = buildListTasksQuery({ ownerId, filter, sort, after, limit: 21 });
        const { plan, executionMs } = await explainAnalyze(client, sql, parameters);
        const seqScanOnTasks = seqScansOn(plan, 'tasks').length > 0;
        results.push({
          variant,
          page,
          seqScanOnTasks,
          executionMs: round(executionMs, 2),
          outline: outline(plan),
          sharedHitBlocks: plan['Shared Hit Blocks'],
          sharedReadBlocks: plan['Shared Read Blocks'],
          // When the planner chose a sequential scan: what the best plan without one costs, so
          // the report shows whether an index would have been faster.
          ...(seqScanOnTasks ? { withoutSeqScan: await explainWithoutSeqScan(client, sql, parameters) } : {}),
        });
      }
    }
  } finally {
    await client.end();
  }
  return results;
}

async function explainAnalyze(client, sql, parameters) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, parameters);
  const [{ Plan: plan, 'Execution Time': executionMs }] = rows[0]['QUERY PLAN'];
  return { plan, executionMs };
}

/** The same statement planned with sequential scans disabled for one transaction. */
async function explainWithoutSeqScan(client, sql, parameters) {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL enable_seqscan = off');
    const { plan, executionMs } = await explainAnalyze(client, sql, parameters);
    return { executionMs: round(executionMs, 2), outline: outline(plan) };
  } finally {
    await client.query('ROLLBACK');
  }
}
