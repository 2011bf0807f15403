import type { TaskSort, TaskStatus } from './dto/list-tasks-query.dto.js';
import type { CursorPosition } from './task-cursor.js';
import type { TaskPriority } from './task.entity.js';
import { type Statement, TASK_COLUMNS, type TaskRow } from './task.statements.js';

/**
 * The statements behind GET /api/tasks (planTaskList turns a request into one): the keyset list
 * over every sort and filter, and the full-text search with its bounded set of ranked candidates.
 */

/** A list request, validated and normalised. */
export interface TaskListFilter {
  status: TaskStatus;
  priorities: TaskPriority[];
  tags: string[];
  /** A `to_tsquery` argument built by toPrefixTsQuery (for the 'simple' and 'english' configurations). */
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
  /** Rows to fetch (one more than the page size, to know if there is a next page). */
  limit: number;
  /** Whether the search's words are common (isCommonSearch): how relevance candidates are chosen. */
  commonSearch?: boolean;
}

/** A listed task also carries its sort key, as PostgreSQL's text, which the next cursor is made of. */
export interface ListedTaskRow extends TaskRow {
  sortKey: string;
}

interface SortKey {
  /** Never NULL, so the keyset predicate is a row comparison an index can range-scan. */
  expression: string;
  /** The SQL type a cursor's key text is cast back to. */
  type: string;
  descending: boolean;
}

/**
 * A search matches the words as written ('simple': names, any language, prefixes) or their
 * English stems ('english': "discussed:*" becomes "discuss:*", which finds "Discuss"); the same
 * tsquery text serves both. Each side has its owner-scoped GIN index (a BitmapOr).
 */
const SEARCH_MATCH = "(search @@ to_tsquery('simple', $2) OR search_english @@ to_tsquery('english', $2))";
/** How many matches a search sorted by relevance ranks at most (README, "Rate limits and quotas"). */
export const RANKED_SEARCH_CANDIDATES = 1_000;
/**
 * Common words rank their newest RANKED_COMMON_SEARCH_CANDIDATES matches among the owner's newest
 * COMMON_SEARCH_WINDOW tasks (with the request's other filters). Each candidate costs a heap fetch
 * and a rank: 1,000 made a common word cost 4–5 times the plain list's first page at a million
 * tasks, 300 keep it within 3 times (bench: scale). Among that many matches of a word in a tenth of
 * all tasks or more, a rank tells little apart beyond title versus description, so the newest are
 * the ones worth ranking. The window holds 300 matches of a word in a tenth of the tasks, and caps
 * the walk for an owner who rarely writes a word that is common elsewhere.
 */
export const RANKED_COMMON_SEARCH_CANDIDATES = 300;
export const COMMON_SEARCH_WINDOW = 3_000;
const SEARCH_RANK = "greatest(ts_rank(search, to_tsquery('simple', $2)), ts_rank(search_english, to_tsquery('english', $2)))";

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
 * The one statement behind GET /api/tasks. Only fixed fragments and `$n` placeholders are
 * concatenated: every value is a bind parameter. The page is a keyset range
 * `(sort key, id) > (cursor key, cursor id)` read in index order, never an OFFSET. Each row also
 * carries its sort key (ListedTaskRow), so cursors are exact to the microsecond.
 */
export function listTasksStatement(query: TaskListQuery): Statement {
  const { filter } = query;
  const values: unknown[] = [query.ownerId];
  const bind = (value: unknown) => `$${values.push(value)}`;
  const where = ['owner_id = $1'];

  // Bound second, always: SEARCH_MATCH and SEARCH_RANK name it as $2.
  if (filter.search !== undefined) {
    bind(filter.search);
    where.push(SEARCH_MATCH);
  }
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
  const relevance = key.expression === SEARCH_RANK ? rankedCandidates(where.splice(0), query.commonSearch === true) : undefined;
  const source = relevance === undefined ? 'tasks' : relevance.source;
  if (query.after) {
    const position = `(${bind(query.after.key)}::${key.type}, ${bind(query.after.id)}::uuid)`;
    where.push(`(${key.expression}, id) ${key.descending ? '<' : '>'} ${position}`);
  }
  const direction = key.descending ? 'DESC' : 'ASC';
  const text =
    `${relevance?.with ?? ''}SELECT ${TASK_COLUMNS}, (${key.expression})::text AS "sortKey" FROM ${source}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY ${key.expression} ${direction}, id ${direction} LIMIT ${bind(query.limit)}`;
  return { text, values };
}

/**
 * By relevance, only a bounded set of matches is ranked, so that a word in every one of a million
 * tasks costs what a rare word does. They are chosen without the cursor (the same set on every
 * page), and the page is cut from them. Which matches, and how, depends on the words:
 * - common words (isCommonSearch): the newest matches among the owner's newest tasks (see
 *   RANKED_COMMON_SEARCH_CANDIDATES), read newest first from the creation-time index. The window is
 *   the plain list's own statement, so its plan cannot turn into collecting every match from the
 *   GIN indexes, which the planner's estimate of a prefix (`the:*`) can make look cheaper;
 * - rare ones: up to RANKED_SEARCH_CANDIDATES matches, in the order the owner-scoped GIN indexes
 *   yield them (a materialised CTE, so that no `LIMIT` tempts the planner into scanning for
 *   matches that are not there: a word in no task would read all the owner's tasks).
 */
function rankedCandidates(where: string[], common: boolean): { with?: string; source: string } {
  const newestFirst = 'ORDER BY created_at DESC, id DESC';
  if (common) {
    const window = `SELECT * FROM tasks WHERE ${where.filter((condition) => condition !== SEARCH_MATCH).join(' AND ')} ${newestFirst} LIMIT ${COMMON_SEARCH_WINDOW}`;
    return { source: `(SELECT * FROM (${window}) AS newest WHERE ${SEARCH_MATCH} ${newestFirst} LIMIT ${RANKED_COMMON_SEARCH_CANDIDATES}) AS tasks` };
  }
  return {
    with: `WITH rare_matches AS MATERIALIZED (SELECT * FROM tasks WHERE ${where.join(' AND ')}) `,
    source: `(SELECT * FROM rare_matches LIMIT ${RANKED_SEARCH_CANDIDATES}) AS tasks`,
  };
}

const SEARCH_WORD_STATS = `
  SELECT most_common_elems::text::text[] AS words, most_common_elem_freqs AS frequencies
  FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'tasks' AND attname = 'search'`;

/** ANALYZE's most common lexemes of `tasks.search` (no row before the table is first analysed). */
export function searchWordStatsStatement(): Statement {
  return { text: SEARCH_WORD_STATS, values: [] };
}
