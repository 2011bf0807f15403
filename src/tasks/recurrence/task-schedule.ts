import { invalidField } from '../../common/problem/invalid-field.js';
import type { ScheduledTaskRow, TaskSchedule } from '../task.statements.js';
import { formatRecurrenceRule, parseRecurrenceRule, RecurrenceRuleError } from './recurrence-rule.js';
import { anchorOf, assertRecurs, nextOccurrence, type RecurrenceBase, type Series } from './recurrence-series.js';

/**
 * The rules that tie a task's recurrence, zone and due date together, as pure functions of the
 * task's state: the service applies them while it holds the task's row lock.
 */

export interface ScheduleFields {
  recurrence?: string | null;
  timeZone?: string | null;
  recurrenceBase?: RecurrenceBase | null;
}

export const NO_SCHEDULE: TaskSchedule = { recurrence: null, timeZone: null, recurrenceBase: 'due', recurrenceAnchor: null, recurrenceDone: 0 };

/**
 * The schedule of a task given these fields and due date, the series (re)starting at `dueAt`.
 * Throws the 400 when the recurrence lacks a zone or a due date, or can never occur.
 */
export function startSchedule(fields: ScheduleFields, dueAt: string | null): TaskSchedule {
  const timeZone = fields.timeZone ?? null;
  const recurrenceBase = fields.recurrenceBase ?? 'due';
  if (fields.recurrence === undefined || fields.recurrence === null) return { ...NO_SCHEDULE, timeZone, recurrenceBase };
  if (timeZone === null) throw invalidField('timeZone', 'timeZone is required with a recurrence: its occurrences keep their local time there');
  if (dueAt === null) throw invalidField('dueAt', 'dueAt is required with a recurrence: it is the first occurrence');
  const rule = parseRecurrenceRule(fields.recurrence);
  if (recurrenceBase === 'completion' && (rule.byDay ?? rule.byMonthDay ?? rule.byMonth ?? rule.bySetPos) !== undefined) {
    throw invalidField('recurrenceBase', 'With recurrenceBase "completion", the recurrence may only have FREQ, INTERVAL, COUNT and UNTIL');
  }
  try {
    assertRecurs(rule, timeZone, dueAt);
  } catch (error) {
    if (error instanceof RecurrenceRuleError) throw invalidField('recurrence', `recurrence: ${error.message}`);
    throw error;
  }
  return { recurrence: formatRecurrenceRule(rule), timeZone, recurrenceBase, recurrenceAnchor: anchorOf(dueAt, timeZone), recurrenceDone: 0 };
}

/** The schedule after a change: the series restarts at the (new) due date when any of its fields, or the due date, was sent. */
export function changeSchedule(current: ScheduledTaskRow, fields: ScheduleFields, dueAt: string | null | undefined): TaskSchedule {
  const sent = fields.recurrence !== undefined || fields.timeZone !== undefined || fields.recurrenceBase !== undefined || dueAt !== undefined;
  if (!sent) return scheduleOf(current);
  return startSchedule(
    {
      recurrence: fields.recurrence === undefined ? current.recurrence : fields.recurrence,
      timeZone: fields.timeZone === undefined ? current.timeZone : fields.timeZone,
      recurrenceBase: fields.recurrenceBase ?? current.recurrenceBase,
    },
    dueAt === undefined ? current.dueAt : dueAt,
  );
}

export interface CompletedOccurrence {
  /** The occurrence that was done. */
  completedDueAt: string | null;
  /** The task's state after it: open at the next occurrence, or completed when the series is over. */
  completed: boolean;
  dueAt: string | null;
  schedule: TaskSchedule;
}

/** Completing the current occurrence of a recurring task at `now` (an instant). */
export function completeOccurrence(schedule: TaskSchedule, dueAt: string | null, now: string): CompletedOccurrence {
  const next = nextOccurrence(seriesOf(schedule), now);
  const done = { ...schedule, recurrenceDone: schedule.recurrenceDone + 1 };
  if (!next) return { completedDueAt: dueAt, completed: true, dueAt, schedule: done };
  return { completedDueAt: dueAt, completed: false, dueAt: next.dueAt, schedule: { ...done, recurrenceAnchor: next.anchor } };
}

export function scheduleOf(task: ScheduledTaskRow): TaskSchedule {
  const { recurrence, timeZone, recurrenceBase, recurrenceAnchor, recurrenceDone } = task;
  return { recurrence, timeZone, recurrenceBase, recurrenceAnchor, recurrenceDone };
}

/** The series of a recurring task's schedule. */
export function seriesOf(schedule: TaskSchedule): Series {
  if (schedule.recurrence === null || schedule.timeZone === null || schedule.recurrenceAnchor === null) throw new Error('The task does not recur');
  return {
    rule: parseRecurrenceRule(schedule.recurrence),
    timeZone: schedule.timeZone,
    base: schedule.recurrenceBase,
    anchor: schedule.recurrenceAnchor,
    done: schedule.recurrenceDone,
  };
}
