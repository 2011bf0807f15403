import { describe, expect, it } from 'vitest';
import type { ListTasksQueryDto } from '../src/tasks/dto/list-tasks-query.dto.js';
import { encodeCursor } from '../src/tasks/task-cursor.js';
import { planTaskList } from '../src/tasks/task-list.query.js';
import { isCommonSearch, type SearchWordStats } from '../src/tasks/task-search.js';
import { RANKED_COMMON_SEARCH_CANDIDATES, searchWordStatsStatement } from '../src/tasks/task-list.statements.js';
import { withDatabase } from './utils/tasks-client.js';
import { freshUserId } from './utils/tokens.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

// Every sort both ways, every filter alone, some together, searches, each with and without a cursor.
const SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'].flatMap((sort) => [sort, `-${sort}`]);
const QUERIES: ListTasksQueryDto[] = [
  {},
  ...SORTS.map((sort) => ({ sort }) as ListTasksQueryDto),
  ...SORTS.map((sort) => ({ sort, status: 'open', limit: 100 }) as ListTasksQueryDto),
  { status: 'completed' },
  { priority: ['high'] },
  { priority: ['low', 'medium'], sort: 'title' },
  { tag: ['tag7'] },
  { tag: ['tag7', 'tag3'], sort: 'dueAt' },
  { dueBefore: '2026-01-01T00:00:00Z', sort: 'dueAt' },
  { dueAfter: '2026-06-01T00:00:00Z', sort: '-dueAt' },
  { overdue: true, sort: 'dueAt' },
  { overdue: true },
  { dueBefore: '2026-01-01T00:00:00Z', dueAfter: '2025-01-01T00:00:00Z', sort: '-dueAt' },
  { dueAfter: '2026-06-01T00:00:00Z', sort: 'title' },
  { q: 'word12' },
  { q: 'word12 wor', sort: 'title' },
  { q: 'word4', status: 'open', priority: ['high'] },
  { status: 'open', priority: ['high', 'medium'], tag: ['tag1'], sort: '-priority' },
];

/**
 * The list queries must stay index range scans however large the table grows: a sequential scan
 * of `tasks` would make every list request cost the whole table. The plans are those of the
 * exact statements the repository runs (planTaskList), on a table large enough that the planner
 * would pick a sequential scan if an index were missing or unusable.
 */
describe('tasks: query plans of GET /api/tasks', () => {
  const heavy = freshUserId('explain_heavy');
  const light = freshUserId('explain_light');

  it('never scans the tasks table sequentially, for a user with 20,000 tasks or with 50', async () => {
    await withDatabase(async (client) => {
      await client.query(
        `INSERT INTO tasks (owner_id, title, description, completed, completed_at, priority, tags, due_at, created_at, updated_at)
         SELECT CASE WHEN n <= 20000 THEN $1 ELSE $2 || (n % 600) END,
                'word' || (n % 97) || ' task ' || n,
                CASE WHEN n % 3 = 0 THEN 'word' || (n % 89) || ' details' END,
                n % 4 = 0, CASE WHEN n % 4 = 0 THEN now() END,
                (ARRAY['none','low','medium','high'])[1 + n % 4]::task_priority,
                ARRAY['tag' || (n % 11), 'Tag' || (n % 7)],
                CASE WHEN n % 5 <> 0 THEN now() + (n % 400 - 200) * interval '1 day' END,
                now() - n * interval '1 second', now() - (n % 1000) * interval '1 minute'
         FROM generate_series(1, 50000) AS n`,
        [heavy, 'explain_other_'],
      );
      await client.query(`INSERT INTO tasks (owner_id, title) SELECT $1, 'word' || n FROM generate_series(1, 50) AS n`, [light]);
      // What autovacuum does to a table in steady state. Right after a bulk insert, the GIN
      // indexes' entries are still in their pending lists, which makes the planner (rightly)
      // shy of them; that state lasts until the next vacuum and is not what a large table is.
      await client.query('VACUUM ANALYZE tasks');

      const seqScans: string[] = [];
      for (const owner of [heavy, light]) {
        for (const query of QUERIES) {
          const first = planTaskList(owner, query);
          // A real cursor: the first page's last row, encoded as the service would.
          const rows = (await client.query<{ sortKey: string; id: string }>(first.statement.text, first.statement.values)).rows;
          const last = rows.at(Math.min(rows.length, first.pageSize) - 1);
          const plans = [first, ...(last ? [planTaskList(owner, { ...query, cursor: encodeCursor(first.binding, { key: last.sortKey, id: last.id }) })] : [])];
          for (const plan of plans) {
            const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${plan.statement.text}`, plan.statement.values);
            // A parallel plan is a sequential scan shared out: it costs several backends for one request.
            const scans = nodes(explained.rows[0]['QUERY PLAN'][0].Plan).filter(
              (node) => (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'tasks') || node['Node Type'].startsWith('Gather'),
            );
            if (process.env.EXPLAIN_VERBOSE) console.log(owner === heavy ? 'heavy' : 'light', JSON.stringify(query), plan === first ? '' : '+cursor', nodes(explained.rows[0]['QUERY PLAN'][0].Plan).map((node) => `${node['Node Type']}${node['Index Name'] ? `(${node['Index Name']})` : ''}`).join(' > '));
            if (scans.length > 0) seqScans.push(`${owner === heavy ? 'heavy' : 'light'} ${JSON.stringify(query)}${plan === first ? '' : ' +cursor'}`);
          }
        }
      }
      expect(seqScans).toEqual([]);
    });
  });

  // Runs after the test above, on its data: 20,000 tasks for one user, 30,000 for 600 others, 50 for the light user.
  it('reads only the caller\'s own rows and index entries for a search or a tag filter, however many other users match', async () => {
    await withDatabase(async (client) => {
      const overRead: string[] = [];
      for (const [owner, own] of [[light, 50], [heavy, 20_000]] as const) {
        for (const query of QUERIES.filter((q) => q.q !== undefined || q.tag !== undefined)) {
          const plan = planTaskList(owner, query);
          const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${plan.statement.text}`, plan.statement.values);
          for (const node of nodes(explained.rows[0]['QUERY PLAN'][0].Plan)) {
            // Scans of the tasks table and its indexes; a search also reads the column statistics (pg_stats).
            if (!node['Node Type'].includes('Scan') || !(node['Relation Name'] === 'tasks' || node['Index Name']?.startsWith('tasks_'))) continue;
            const read = ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1);
            if (read > own) overRead.push(`${owner === heavy ? 'heavy' : 'light'} ${JSON.stringify(query)}: ${node['Node Type']} ${node['Index Name'] ?? ''} read ${read} rows (owns ${own})`);
          }
        }
      }
      expect(overRead).toEqual([]);
    });
  });

  // On the same data. A search by relevance ranks a bounded set of candidates: a common word (by
  // the column statistics, as the service reads them) must not collect all its matches, and a rare
  // or absent one must not scan for matches that are not there (a scan that stops at 1,000 matches
  // reads all the owner's rows for a word in none).
  it.each([
    ['a word in every task', 'task', 2 * RANKED_COMMON_SEARCH_CANDIDATES],
    ['a word in one task in 97', 'word12', 2 * Math.ceil(20_000 / 97)],
    ['a word in no task', 'nosuchword', 0],
  ])('reads about as many of the 20,000 tasks as it ranks, for %s', async (_case, q, maxRead) => {
    await withDatabase(async (client) => {
      const { text } = searchWordStatsStatement();
      const plan = planTaskList(heavy, { q }, new Date(), (await client.query<SearchWordStats>(text)).rows[0]);
      const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${plan.statement.text}`, plan.statement.values);
      const read = nodes(explained.rows[0]['QUERY PLAN'][0].Plan)
        .filter((node) => node['Node Type'].includes('Scan') && node['Relation Name'] === 'tasks')
        .reduce((sum, node) => sum + ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1), 0);
      expect(read).toBeLessThanOrEqual(maxRead);
    });
  });

  // The window a common word's candidates come from carries the request's other filters, so its
  // plan is the plain list's with those filters: index-backed too.
  it('keeps a common word index-backed with every kind of filter', async () => {
    await withDatabase(async (client) => {
      const wordStats = (await client.query<SearchWordStats>(searchWordStatsStatement().text)).rows[0];
      expect(isCommonSearch('task', wordStats)).toBe(true);
      const filtered: ListTasksQueryDto[] = [{ status: 'open', tag: ['tag7'] }, { priority: ['high'] }, { overdue: true }, { status: 'completed' }, { dueAfter: '2026-06-01T00:00:00Z' }];
      const seqScans: string[] = [];
      for (const query of filtered.map((filter) => ({ q: 'task', ...filter }))) {
        const plan = planTaskList(heavy, query, new Date(), wordStats);
        const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${plan.statement.text}`, plan.statement.values);
        const scans = nodes(explained.rows[0]['QUERY PLAN'][0].Plan).filter((node) => (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'tasks') || node['Node Type'].startsWith('Gather'));
        if (scans.length > 0) seqScans.push(JSON.stringify(query));
      }
      expect(seqScans).toEqual([]);
    });
  });
});
