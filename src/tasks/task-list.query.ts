import type { CursorPosition } from './task-cursor.js';
import type { TaskSort, TaskStatus } from './dto/list-tasks-query.dto.js';
import type { TaskPriority } from './task.entity.js';
import { TASK_COLUMNS } from './task.sql.js';

/** A list request, validated and normalised. */
export interface TaskListFilter {
  status: TaskStatus;
  priorities: TaskPriority[];
  tags: string[];
  /** A `to_tsquery('simple', …)` argument built by toPrefixTsQuery. */
  search?: string;
  /** ISO 8601 instants. */
  dueBefore?: string;
  dueAfter?: string;
  overdue: boolean;
}

export interface TaskListQuery {
  ownerId: string;
  filter: TaskListFilter;
  sort: TaskSort;
  after?: CursorPosition;
  /** Rows to fetch (the service asks for one more than the page size, to know if there is a next page). */
  limit: number;
}

interface SortKey {
  /** Never NULL, so the keyset predicate is a row comparison an index can range-scan. */
  expression: string;
  /** The SQL type a cursor's key text is cast back to. */
  type: string;
  descending: boolean;
}

const SEARCH_RANK = "ts_rank(search, to_tsquery('simple', $2))";

function sortKey(sort: TaskSort): SortKey {
  const descending = sort.startsWith('-') || sort === 'relevance';
  switch (sort.replace(/^-/, '')) {
    case 'createdAt':
      return { expression: 'created_at', type: 'timestamptz', descending };
    case 'updatedAt':
      return { expression: 'updated_at', type: 'timestamptz', descending };
    case 'dueAt':
      // Tasks without a due date last in both directions (see the migration's index comment).
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
 * The one SQL statement behind GET /api/tasks (exported so the EXPLAIN test checks exactly what
 * the service runs). Only fixed fragments and `$n` placeholders are concatenated: every value is a
 * bind parameter. The page is a keyset range `(sort key, id) > (cursor key, cursor id)` read in
 * index order, never an OFFSET. Each row also carries its sort key as PostgreSQL's text
 * (`sortKey`), which the next cursor is made of, so cursors are exact to the microsecond.
 */
export function buildListTasksQuery(query: TaskListQuery): { sql: string; parameters: unknown[] } {
  const { filter } = query;
  const parameters: unknown[] = [query.ownerId];
  const bind = (value: unknown) => `$${parameters.push(value)}`;
  const where = ['owner_id = $1'];

  // Bound second, always, so the rank expression can name it as $2.
  if (filter.search !== undefined) where.push(`search @@ to_tsquery('simple', ${bind(filter.search)})`);
  if (filter.status !== 'all') where.push(`completed = ${bind(filter.status === 'completed')}`);
  if (filter.priorities.length > 0) where.push(`priority = ANY(${bind(filter.priorities)}::task_priority[])`);
  if (filter.tags.length > 0) where.push(`tag_keys @> task_tag_keys(${bind(filter.tags)}::text[])`);
  if (filter.dueBefore !== undefined) where.push(`due_at < ${bind(filter.dueBefore)}::timestamptz`);
  if (filter.dueAfter !== undefined) where.push(`due_at > ${bind(filter.dueAfter)}::timestamptz`);
  if (filter.overdue) where.push('due_at < now() AND NOT completed');

  const key = sortKey(query.sort);
  if (key.expression === SEARCH_RANK && filter.search === undefined) throw new Error('Sorting by relevance needs a search');
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

/** The canonical form of a list's sort and filters, which its cursors are bound to. */
export function listBinding(filter: TaskListFilter, sort: TaskSort): string {
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
