import { Temporal } from 'temporal-polyfill';

export const DUE_VIEWS = ['today', 'overdue', 'next7days'] as const;
export type DueView = (typeof DUE_VIEWS)[number];

/** The bounds a due view puts on GET /api/tasks, as the list's own filters (exclusive, microseconds). */
export interface DueBounds {
  dueAfter?: string;
  dueBefore?: string;
  overdue?: boolean;
}

/**
 * A view's bounds at `now` in the caller's zone: `today` is the caller's calendar day, `next7days`
 * that day and the six after it (each day as long as it is there: 23 or 25 hours across a DST
 * change), `overdue` open tasks whose due date has passed.
 */
export function dueBounds(view: DueView, timeZone: string, now: Date): DueBounds {
  if (view === 'overdue') return { overdue: true };
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate();
  const start = today.toZonedDateTime({ timeZone });
  const end = today.add({ days: view === 'today' ? 1 : 7 }).toZonedDateTime({ timeZone });
  // dueAfter is exclusive: one microsecond before the day starts takes in a task due at midnight.
  return { dueAfter: microsecondsBefore(start.epochMilliseconds), dueBefore: new Date(end.epochMilliseconds).toISOString().replace('Z', '000Z') };
}

function microsecondsBefore(epochMilliseconds: number): string {
  return new Date(epochMilliseconds - 1).toISOString().replace('Z', '999Z');
}
