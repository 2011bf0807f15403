/**
 * The baseline's copy of the API's SQL, text for text, so both servers make the database do the
 * same work. Sources: src/tasks/task.sql.ts (TASK_COLUMNS, INSERT_TASK, SELECT_TASK, UPDATE_TASK)
 * and src/tasks/task-list.query.ts (buildListTasksQuery, listBinding). `bench/run.js` compares
 * this copy with the built API's statements at start and reports any drift.
 */

// Timestamps are formatted by PostgreSQL as the API shows them (RFC 3339, UTC, milliseconds).
const iso = (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const TASK_COLUMNS = `id, title, description, completed, ${iso('completed_at')} AS "completedAt", priority, tags, ${iso('due_at')} AS "dueAt",
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt", version`;

export const INSERT_TASK = `
  INSERT INTO tasks (owner_id, title, description, completed, completed_at, priority, tags, due_at)
  VALUES ($1, $2, $3, $4, CASE WHEN $4::boolean THEN now() END, $5, $6, $7)
  RETURNING ${TASK_COLUMNS}`;

export const SELECT_TASK = `SELECT ${TASK_COLUMNS} FROM tasks WHERE owner_id = $1 AND id = $2`;

export const TASK_EXISTS = `SELECT 1 FROM tasks WHERE owner_id = $1 AND id = $2`;

const NEXT = {
  title: 'coalesce($3::text, title)',
  description: 'CASE WHEN $4::boolean THEN $5::text ELSE description END',
  completed: 'coalesce($6::boolean, completed)',
  priority: 'coalesce($7::task_priority, priority)',
  tags: 'coalesce($8::text[], tags)',
  dueAt: 'CASE WHEN $9::boolean THEN $10::timestamptz ELSE due_at END',
};
const CHANGED = `(${Object.values(NEXT).join(', ')}) IS DISTINCT FROM (title, description, completed, priority, tags, due_at)`;

export const UPDATE_TASK = `
  UPDATE tasks SET
    title = ${NEXT.title},
    description = ${NEXT.description},
    completed = ${NEXT.completed},
    completed_at = CASE WHEN ${NEXT.completed} THEN coalesce(completed_at, now()) END,
    priority = ${NEXT.priority},
    tags = ${NEXT.tags},
    due_at = ${NEXT.dueAt},
    version = version + CASE WHEN ${CHANGED} THEN 1 ELSE 0 END,
    updated_at = CASE WHEN ${CHANGED} THEN now() ELSE updated_at END
  WHERE owner_id = $1 AND id = $2 AND ($11::int[] IS NULL OR version = ANY($11::int[]))
  RETURNING ${TASK_COLUMNS}`;

const SEARCH_RANK = "ts_rank(search, to_tsquery('simple', $2))";

/** @param {string} sort */
function sortKey(sort) {
  const descending = sort.startsWith('-') || sort === 'relevance';
  switch (sort.replace(/^-/, '')) {
    case 'createdAt':
      return { expression: 'created_at', type: 'timestamptz', descending };
    case 'updatedAt':
      return { expression: 'updated_at', type: 'timestamptz', descending };
    case 'dueAt':
      return { expression: `coalesce(due_at, '${descending ? '-' : ''}infinity'::timestamptz)`, type: 'timestamptz', descending };
    case 'priority':
      return { expression: 'priority', type: 'task_priority', descending };
    case 'title':
      return { expression: 'lower(title) COLLATE "C"', type: 'text', descending };
    case 'relevance':
      return { expression: SEARCH_RANK, type: 'real', descending };
    default:
      throw new Error(`Unknown sort ${sort}`);
  }
}

/**
 * @param {{ ownerId: string, filter: { status: string, priorities: string[], tags: string[], search?: string,
 *   dueBefore?: string, dueAfter?: string, overdue: boolean }, sort: string, after?: { key: string, id: string }, limit: number }} query
 * @returns {{ sql: string, parameters: unknown[] }}
 */
export function buildListTasksQuery(query) {
  const { filter } = query;
  const parameters = [query.ownerId];
  const bind = (value) => `$${parameters.push(value)}`;
  const where = ['owner_id = $1'];
  if (filter.search !== undefined) where.push(`search @@ to_tsquery('simple', ${bind(filter.search)})`);
  if (filter.status !== 'all') where.push(`completed = ${bind(filter.status === 'completed')}`);
  if (filter.priorities.length > 0) where.push(`priority = ANY(${bind(filter.priorities)}::task_priority[])`);
  if (filter.tags.length > 0) where.push(`tag_keys @> task_tag_keys(${bind(filter.tags)}::text[])`);
  const key = sortKey(query.sort);
  if (filter.dueBefore !== undefined || filter.dueAfter !== undefined || filter.overdue) {
    const due = sortKey(query.sort === '-dueAt' ? '-dueAt' : 'dueAt');
    if (filter.dueBefore !== undefined) where.push(`${due.expression} < ${bind(filter.dueBefore)}::timestamptz`);
    if (filter.dueAfter !== undefined) where.push(`${due.expression} > ${bind(filter.dueAfter)}::timestamptz`);
    if (filter.overdue) where.push(`${due.expression} < now() AND NOT completed`);
    where.push(due.descending ? `${due.expression} > '-infinity'::timestamptz` : `${due.expression} < 'infinity'::timestamptz`);
  }
  if (query.after) {
    const position = `(${bind(query.after.key)}::${key.type}, ${bind(query.after.id)}::uuid)`;
    where.push(`(${key.expression}, id) ${key.descending ? '<' : '>'} ${position}`);
  }
  const direction = key.descending ? 'DESC' : 'ASC';
  const sql =
    `SELECT ${TASK_COLUMNS}, (${key.expression})::text AS "sortKey" FROM tasks WHERE ${where.join(' AND ')} ` +
    `ORDER BY ${key.expression} ${direction}, id ${direction} LIMIT ${bind(query.limit)}`;
  return { sql, parameters };
}

/** Source: listBinding in src/tasks/task-list.query.ts. */
export function listBinding(filter, sort) {
  return JSON.stringify([
    sort,
    filter.status,
    [...filter.priorities].sort(),
    filter.tags.map((tag) => tag.toLowerCase()).sort(),
    filter.search ?? null,
    filter.dueBefore ?? null,
    filter.dueAfter ?? null,
    filter.overdue,
  ]);
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/** Source: toPrefixTsQuery in src/tasks/task-search.ts. @param {string} input */
export function toPrefixTsQuery(input) {
  const words = (input.match(WORD) ?? []).slice(0, 16);
  if (words.length === 0) return undefined;
  return words.map((word) => `${word}:*`).join(' & ');
}
