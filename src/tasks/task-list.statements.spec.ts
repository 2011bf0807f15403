import { describe, expect, it } from 'vitest';
import { listTasksStatement, type TaskListFilter } from './task-list.statements.js';

const noFilter: TaskListFilter = { status: 'all', priorities: [], tags: [], overdue: false };
const owner = 'alice';

describe('listTasksStatement', () => {
  it('scopes to the owner and binds every value', () => {
    const { text: sql, values: parameters } = listTasksStatement({
      ownerId: owner,
      filter: { status: 'open', priorities: ['high'], tags: ['Home'], search: 'mil:*', dueBefore: '2026-01-01T00:00:00.000Z', dueAfter: '2025-01-01T00:00:00.000Z', overdue: true },
      sort: 'title',
      after: { key: "o'brien", id: '0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f' },
      limit: 21,
    });
    expect(sql).toContain('WHERE owner_id = $1 AND');
    expect(parameters).toEqual([owner, 'mil:*', false, ['high'], ['Home'], '2026-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', "o'brien", '0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f', 21]);
    expect(sql).not.toContain("o'brien");
    expect(sql).not.toContain('OFFSET');
  });

  it.each([
    ['createdAt', 'created_at ASC, id ASC', '>'],
    ['-createdAt', 'created_at DESC, id DESC', '<'],
    ['dueAt', "coalesce(due_at, 'infinity'::timestamptz) ASC", '>'],
    ['-dueAt', "coalesce(due_at, '-infinity'::timestamptz) DESC", '<'],
    ['-priority', 'priority DESC, id DESC', '<'],
    ['title', 'lower(title) COLLATE "C" ASC', '>'],
  ] as const)('sorts by %s with a keyset row comparison', (sort, order, comparison) => {
    const { text: sql } = listTasksStatement({ ownerId: owner, filter: noFilter, sort, after: { key: 'k', id: 'i' }, limit: 5 });
    expect(sql).toContain(`ORDER BY ${order}`);
    expect(sql).toMatch(new RegExp(`, id\\) \\${comparison} \\(\\$2::[a-z_ ]+, \\$3::uuid\\)`));
  });

  it('ranks by relevance only with a search', () => {
    expect(() => listTasksStatement({ ownerId: owner, filter: noFilter, sort: 'relevance', limit: 5 })).toThrow();
    const { text: sql } = listTasksStatement({ ownerId: owner, filter: { ...noFilter, search: 'a:*' }, sort: 'relevance', limit: 5 });
    expect(sql).toContain("(search @@ to_tsquery('simple', $2) OR search_english @@ to_tsquery('english', $2))");
    expect(sql).toContain("ORDER BY greatest(ts_rank(search, to_tsquery('simple', $2)), ts_rank(search_english, to_tsquery('english', $2))) DESC, id DESC");
  });
});
