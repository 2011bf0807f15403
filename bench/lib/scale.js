/**
 * Latency as data grows: for one user with N tasks, the first page and a deep page (after 10,000
 * items, reached by following cursors) of each list variant, one request at a time; and the
 * EXPLAIN ANALYZE of those pages' statements as the built API plans them.
 */
import pg from 'pg';
import { createClient } from './client.js';
import { explainStatement } from './explain.js';
import { round, summarizeLatencies } from './stats.js';

/**
 * Each list variant as the API's list query DTO. The searches, for issue 22's "a common word costs
 * about what a rare one does": `review` (in 1 task in 20), a common word (`the`, in three tasks in
 * four: most descriptions and many titles), a rarer one (`plumber`, 1 in 60) and one in no task.
 */
export const VARIANTS = { default: {}, dueAt: { sort: 'dueAt' }, q: { q: 'review' }, qCommon: { q: 'the' }, qRare: { q: 'plumber' }, qAbsent: { q: 'zebra' } };
const DEEP_OFFSET = 10_000;
const queryString = (dto) => Object.entries(dto).map(([name, value]) => `&${name}=${value}`).join('');

/**
 * Latencies of `path`, after `warmup` requests, until `samples` or `maxSeconds`; the warm-up stops
 * after a quarter of `maxSeconds` too, so a slow statement costs seconds, not minutes.
 * @param {ReturnType<typeof createClient>} client @param {string} path @param {{ samples: number, warmup: number, maxSeconds: number }} options
 */
export async function series(client, path, { samples, warmup, maxSeconds }) {
  for (let i = 0, until = Date.now() + maxSeconds * 250; i < warmup && Date.now() < until; i += 1) await client.send('GET', path);
  const latencies = [];
  for (const deadline = Date.now() + maxSeconds * 1000; latencies.length < samples && Date.now() < deadline; ) {
    const { status, ms } = await client.send('GET', path);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    latencies.push(ms);
  }
  return summarizeLatencies(latencies);
}

/** The cursor of the page that starts after `DEEP_OFFSET` items (pages of 100), or none when the list is shorter. */
async function walkToDeepPage(client, query) {
  let cursor;
  let passed = 0;
  while (passed < DEEP_OFFSET) {
    const { status, body } = await client.send('GET', `/api/tasks?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (status !== 200) throw new Error(`walking ${query}: ${status} ${body.slice(0, 200)}`);
    const page = JSON.parse(body);
    passed += page.items.length;
    cursor = page.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return { cursor, passed };
}

/**
 * First and deep page latencies of every variant, for the user `token` signs for.
 * @param {{ origin: string }} server @param {string} token @param {{ samples: number, warmup: number, maxSeconds: number }} options
 */
export async function measureScale(server, token, options) {
  const client = createClient(server.origin, token);
  const results = {};
  try {
    for (const [variant, dto] of Object.entries(VARIANTS)) {
      const query = queryString(dto);
      const first = await series(client, `/api/tasks?limit=20${query}`, options);
      const { cursor, passed } = await walkToDeepPage(client, query);
      const deep = cursor ? await series(client, `/api/tasks?limit=20${query}&cursor=${encodeURIComponent(cursor)}`, options) : null;
      const deepToFirstP50 = deep && first.p50 ? round(deep.p50 / first.p50, 2) : null;
      results[variant] = { first, deep, deepCursor: cursor ?? null, matches: cursor ? `> ${DEEP_OFFSET}` : passed, deepToFirstP50 };
    }
  } finally {
    client.close();
  }
  return results;
}

/**
 * EXPLAIN ANALYZE of the first and deep page of each variant, planned by the built API's
 * planTaskList from the deep cursors `measureScale` found.
 * @param {string} url @param {string} ownerId @param {Record<string, { deepCursor: string | null }>} scaleResult
 */
export async function explainListQueries(url, ownerId, scaleResult) {
  const { planTaskList } = await import('../../dist/tasks/task-list.query.js');
  const { searchWordStatsStatement } = await import('../../dist/tasks/task-list.statements.js');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plans = [];
  try {
    // The search word statistics, as the API reads them.
    const wordStats = (await client.query(searchWordStatsStatement().text)).rows[0];
    for (const [variant, dto] of Object.entries(VARIANTS)) {
      for (const cursor of [undefined, scaleResult[variant].deepCursor ?? null]) {
        if (cursor === null) continue;
        const { executionMs, seqScan, outline } = await explainStatement(client, planTaskList(ownerId, { ...dto, limit: 20, cursor }, new Date(), wordStats).statement, 'tasks');
        plans.push({ variant, page: cursor ? 'deep' : 'first', seqScanOnTasks: seqScan, executionMs, outline });
      }
    }
  } finally {
    await client.end();
  }
  return plans;
}
