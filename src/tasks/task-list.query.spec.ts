import { describe, expect, it } from 'vitest';
import type { TaskListFilter } from './task-list.statements.js';
import { listBinding } from './task-list.query.js';

const noFilter: TaskListFilter = { status: 'all', priorities: [], tags: [], overdue: false };

describe('listBinding', () => {
  it('ignores the order of repeated filters and the case of tags', () => {
    const a = listBinding({ ...noFilter, priorities: ['low', 'high'], tags: ['Home', 'work'] }, 'title');
    const b = listBinding({ ...noFilter, priorities: ['high', 'low'], tags: ['WORK', 'home'] }, 'title');
    expect(a).toBe(b);
  });

  it('differs with the sort or any filter', () => {
    const base = listBinding(noFilter, 'title');
    expect(listBinding(noFilter, '-title')).not.toBe(base);
    expect(listBinding({ ...noFilter, status: 'open' }, 'title')).not.toBe(base);
    expect(listBinding({ ...noFilter, overdue: true }, 'title')).not.toBe(base);
    expect(listBinding({ ...noFilter, search: 'a:*' }, 'title')).not.toBe(base);
  });
});
