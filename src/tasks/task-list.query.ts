import { invalidField } from '../common/problem/invalid-field.js';
import type { ListTasksQueryDto, TaskSort } from './dto/list-tasks-query.dto.js';
import { type CursorPosition, decodeCursor, InvalidCursorError } from './task-cursor.js';
import { type DueBounds, dueBounds } from './recurrence/due-view.js';
import { canonicalTimeZone } from './recurrence/time-zone.js';
import { isCommonSearch, type SearchWordStats, toPrefixTsQuery } from './task-search.js';
import { listTasksStatement, type TaskListFilter } from './task-list.statements.js';
import type { Statement } from './task.statements.js';

/** The page size of a list request that names none. */
export const DEFAULT_LIMIT = 20;

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
  /** Fetches one row more than the page, to know whether there is a next page without counting. */
  statement: Statement;
  pageSize: number;
  /** What the next cursor is bound to (see listBinding). */
  binding: string;
}

/**
 * Turns a validated GET /api/tasks query into the statement that answers it: the repository runs
 * exactly this, and the EXPLAIN test checks exactly this. Throws a 400 for a cursor that does not
 * belong to this list, or a relevance sort without a search. `wordStats` tell common words from
 * rare ones (a relevance search picks its candidates accordingly); without them, every word is rare.
 */
export function planTaskList(ownerId: string, query: ListTasksQueryDto, now = new Date(), wordStats?: SearchWordStats): TaskListPlan {
  const view = dueViewBounds(query, now);
  const filter: TaskListFilter = {
    status: query.status ?? 'all',
    priorities: query.priority ?? [],
    tags: query.tag ?? [],
    search: query.q === undefined ? undefined : toPrefixTsQuery(query.q),
    dueBefore: tighter(query.dueBefore === undefined ? undefined : toExactInstant(query.dueBefore), view.dueBefore, (a, b) => a < b),
    dueAfter: tighter(query.dueAfter === undefined ? undefined : toExactInstant(query.dueAfter), view.dueAfter, (a, b) => a > b),
    overdue: (query.overdue ?? false) || view.overdue === true,
  };
  const requested: TaskSort = query.sort ?? (query.q !== undefined ? 'relevance' : '-createdAt');
  if (requested === 'relevance' && query.q === undefined) throw invalidField('sort', 'sort=relevance needs a search (q)');
  // A q with nothing searchable in it (only punctuation, or empty) is no search: everything is
  // listed, newest first, rather than an error for the person typing in a search box.
  const sort = requested === 'relevance' && !filter.search ? '-createdAt' : requested;
  const binding = listBinding(filter, sort);
  let after: CursorPosition | undefined;
  try {
    after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, binding);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw invalidField('cursor', error.message);
    throw error;
  }
  const pageSize = query.limit ?? DEFAULT_LIMIT;
  const commonSearch = sort === 'relevance' && query.q !== undefined && isCommonSearch(query.q, wordStats);
  return { statement: listTasksStatement({ ownerId, filter, sort, after, limit: pageSize + 1, commonSearch }), pageSize, binding };
}

/** The bounds of `due=…` (none without it); throws the 400 for a missing or unknown timeZone. */
function dueViewBounds(query: ListTasksQueryDto, now: Date): DueBounds {
  if (query.due === undefined || query.due === 'overdue') return query.due === undefined ? {} : dueBounds('overdue', 'UTC', now);
  const timeZone = query.timeZone === undefined ? undefined : canonicalTimeZone(query.timeZone);
  if (timeZone === undefined) throw invalidField('timeZone', `due=${query.due} needs timeZone, an IANA time zone name such as Europe/Berlin`);
  return dueBounds(query.due, timeZone, now);
}

/** The tighter of two bounds (both ISO instants of the same form, which compare as text). */
function tighter(first: string | undefined, second: string | undefined, isTighter: (a: string, b: string) => boolean): string | undefined {
  if (first === undefined || second === undefined) return first ?? second;
  return isTighter(first, second) ? first : second;
}

/** A filter bound: UTC with microseconds (PostgreSQL's precision), so `dueAfter` excludes exactly that instant. */
function toExactInstant(value: string): string {
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  return new Date(value).toISOString().replace('Z', `${fraction.padEnd(6, '0').slice(3, 6)}Z`);
}
