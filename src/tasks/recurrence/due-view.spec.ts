import { describe, expect, it } from 'vitest';
import { dueBounds } from './due-view.js';

describe('dueBounds', () => {
  it("is the caller's calendar day, whatever the UTC date", () => {
    // 23:30 UTC on 5 March is already 6 March in Berlin, still 5 March in New York.
    const now = new Date('2026-03-05T23:30:00Z');
    expect(dueBounds('today', 'Europe/Berlin', now)).toEqual({ dueAfter: '2026-03-05T22:59:59.999999Z', dueBefore: '2026-03-06T23:00:00.000000Z' });
    expect(dueBounds('today', 'America/New_York', now)).toEqual({ dueAfter: '2026-03-05T04:59:59.999999Z', dueBefore: '2026-03-06T05:00:00.000000Z' });
  });

  it('spans seven calendar days for next7days, 23 hours short across the spring change', () => {
    const { dueAfter, dueBefore } = dueBounds('next7days', 'Europe/Berlin', new Date('2026-03-25T12:00:00Z'));
    expect(dueAfter).toBe('2026-03-24T22:59:59.999999Z');
    expect(dueBefore).toBe('2026-03-31T22:00:00.000000Z');
  });

  it('is the overdue filter for overdue', () => {
    expect(dueBounds('overdue', 'UTC', new Date())).toEqual({ overdue: true });
  });
});
