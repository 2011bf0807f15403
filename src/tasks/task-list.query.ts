import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { DEFAULT_LIMIT, type ListTasksQueryDto, type TaskSort, type TaskStatus } from './dto/list-tasks-query.dto.js';
import { type CursorPosition, decodeCursor, InvalidCursorError } from './task-cursor.js';
import { toPrefixTsQuery } from './task-search.js';
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
  const key = sortKey(query.sort);
  // Due-date bounds are written on a dueAt sort key (the one being sorted by, else the ascending
  // one), so they are index range conditions rather than filters. Tasks without a due date have a
  // key of ±infinity there; the last bound keeps them out, as `due_at < x` would.
  if (filter.dueBefore !== undefined || filter.dueAfter !== undefined || filter.overdue) {
    const due = sortKey(query.sort === '-dueAt' ? '-dueAt' : 'dueAt');
    if (filter.dueBefore !== undefined) where.push(`${due.expression} < ${bind(filter.dueBefore)}::timestamptz`);
    if (filter.dueAfter !== undefined) where.push(`${due.expression} > ${bind(filter.dueAfter)}::timestamptz`);
    if (filter.overdue) where.push(`${due.expression} < now() AND NOT completed`);
    where.push(due.descending ? `${due.expression} > '-infinity'::timestamptz` : `${due.expression} < 'infinity'::timestamptz`);
  }

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

/** Everything needed to run one list request and to make its next cursor. */
export interface TaskListPlan {
  sql: string;
  parameters: unknown[];
  pageSize: number;
  /** What the next cursor is bound to (see listBinding). */
  binding: string;
}

/**
 * Turns a validated GET /api/tasks query into the statement that answers it: the service runs
 * exactly this, and the EXPLAIN test checks exactly this. Throws a 400 for a cursor that does not
 * belong to this list, or a relevance sort without a search.
 */
export function planTaskList(ownerId: string, query: ListTasksQueryDto): TaskListPlan {
  const filter: TaskListFilter = {
    status: query.status ?? 'all',
    priorities: query.priority ?? [],
    tags: query.tag ?? [],
    search: query.q === undefined ? undefined : toPrefixTsQuery(query.q),
    dueBefore: query.dueBefore === undefined ? undefined : toExactInstant(query.dueBefore),
    dueAfter: query.dueAfter === undefined ? undefined : toExactInstant(query.dueAfter),
    overdue: query.overdue ?? false,
  };
  const sort: TaskSort = query.sort ?? (filter.search ? 'relevance' : '-createdAt');
  if (sort === 'relevance' && !filter.search) throw invalidQuery('sort', 'sort=relevance needs a search (q)');
  const binding = listBinding(filter, sort);
  let after: CursorPosition | undefined;
  try {
    after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, binding);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw invalidQuery('cursor', error.message);
    throw error;
  }
  const pageSize = query.limit ?? DEFAULT_LIMIT;
  // One row more than the page, to know whether there is a next page without counting.
  return { ...buildListTasksQuery({ ownerId, filter, sort, after, limit: pageSize + 1 }), pageSize, binding };
}

/** A filter bound: UTC with microseconds (PostgreSQL's precision), so `dueAfter` excludes exactly that instant. */
function toExactInstant(value: string): string {
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  return new Date(value).toISOString().replace('Z', `${fraction.padEnd(6, '0').slice(3, 6)}Z`);
}

function invalidQuery(field: string, message: string): ProblemException {
  return new ProblemException({ status: 400, type: ProblemType.ValidationError, title: 'Validation failed', detail: message, errors: [{ field, message }] });
}
