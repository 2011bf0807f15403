import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { type Frequency, type RecurrenceRule, RecurrenceRuleError } from './recurrence-rule.js';

export type RecurrenceBase = 'due' | 'completion';
export const RECURRENCE_BASES: readonly RecurrenceBase[] = ['due', 'completion'];

/**
 * Where a recurring task stands: its rule, its zone, and its current occurrence as a local
 * wall-clock time (`anchor`, the DTSTART of the rest of the series). The anchor is kept apart
 * from the due instant because the two differ when the wall-clock time falls in a DST gap: a
 * daily 02:30 task is due at 03:30 on the spring-forward day, and at 02:30 again the day after.
 */
export interface Series {
  rule: RecurrenceRule;
  timeZone: string;
  base: RecurrenceBase;
  /** ISO 8601 local date-time, e.g. `2026-03-29T02:30:00`. */
  anchor: string;
  /** Occurrences completed since the series (re)started, for COUNT. */
  done: number;
}

export interface Occurrence {
  /** The instant, RFC 3339 UTC with milliseconds. */
  dueAt: string;
  /** The local wall-clock time, the next anchor. */
  anchor: string;
}

/**
 * How many periods of its frequency the search for the next occurrence may look through: about
 * ten years (enough for "29 February", which can be 8 years apart, and for "Monday 29 February",
 * 28), so that a rule that can never occur costs a bounded time.
 */
const SEARCH_PERIODS: Record<Frequency, number> = { DAILY: 3700, WEEKLY: 530, MONTHLY: 130, YEARLY: 30 };
export const SEARCH_YEARS = 10;

/** The local wall-clock time of an instant in a zone: the anchor of a series that starts then. */
export function anchorOf(instant: string, timeZone: string): string {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDateTime().toString();
}

/**
 * The instant of a local wall-clock time, resolved as RFC 5545 §3.3.5 says for a DATE-TIME with a
 * TZID: a time in a spring-forward gap moves forward by the gap's length (02:30 → 03:30); a time
 * that occurs twice in the autumn is the first of the two. That is Temporal's `compatible`.
 */
export function instantOf(anchor: string, timeZone: string): string {
  const instant = Temporal.PlainDateTime.from(anchor).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).toInstant();
  return new Date(instant.epochMilliseconds).toISOString();
}

/**
 * The occurrence after the series' current one, or null when the series is over (COUNT or UNTIL
 * used up). With base `completion`, the next one is an INTERVAL of FREQ after the local date of
 * `completedAt`, at the series' time of day (Todoist's `every!`).
 */
export function nextOccurrence(series: Series, completedAt: string): Occurrence | null {
  if (series.rule.count !== undefined && series.done + 1 >= series.rule.count) return null;
  const next = series.base === 'completion' ? afterCompletion(series, completedAt) : searchNext(series);
  if (!next) return null;
  const occurrence = occurrenceOf(next, series.timeZone);
  return withinUntil(series, occurrence.dueAt) ? occurrence : null;
}

/**
 * Up to `limit` occurrences from the current one on, due within [from, to], each as if the one
 * before had been completed when due. Bounded: it steps through at most PREVIEW_STEPS occurrences.
 */
export function upcomingOccurrences(series: Series, range: { from: string; to: string; limit: number }): Occurrence[] {
  const found: Occurrence[] = [];
  const [from, to] = [Date.parse(range.from), Date.parse(range.to)];
  let position = series;
  let current: Occurrence | null = { dueAt: instantOf(series.anchor, series.timeZone), anchor: series.anchor };
  for (let step = 0; current && step < PREVIEW_STEPS && found.length < range.limit && Date.parse(current.dueAt) <= to; step++) {
    if (Date.parse(current.dueAt) >= from && withinUntil(series, current.dueAt)) found.push(current);
    const next: Occurrence | null = nextOccurrence(position, current.dueAt);
    position = { ...position, anchor: next?.anchor ?? position.anchor, done: position.done + 1 };
    current = next;
  }
  return found;
}

const PREVIEW_STEPS = 5000;

/**
 * Whether the rule can ever produce an occurrence after its first one, searching the bound.
 * Throws RecurrenceRuleError when it cannot: the rule is refused rather than stored.
 */
export function assertRecurs(rule: RecurrenceRule, timeZone: string, dueAt: string): void {
  const series: Series = { rule: { ...rule, count: undefined, until: undefined }, timeZone, base: 'due', anchor: anchorOf(dueAt, timeZone), done: 0 };
  if (!nextOccurrence(series, dueAt)) {
    throw new RecurrenceRuleError('RRULE', `The rule produces no occurrence within ${SEARCH_YEARS} years of dueAt`);
  }
}

/** The instant UNTIL names, in the series' zone when it is local; a date alone lasts to that day's end. */
export function untilInstant(until: string, timeZone: string): number {
  const [, year, month, day, time, hour, minute, second] = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(until) ?? [];
  const date = Temporal.PlainDate.from({ year: Number(year), month: Number(month), day: Number(day) });
  if (time === undefined) return date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds - 1;
  const local = date.toPlainDateTime({ hour: Number(hour), minute: Number(minute), second: Number(second) });
  return (until.endsWith('Z') ? local.toZonedDateTime('UTC') : local.toZonedDateTime(timeZone)).epochMilliseconds;
}

function withinUntil(series: Series, dueAt: string): boolean {
  return series.rule.until === undefined || Date.parse(dueAt) <= untilInstant(series.rule.until, series.timeZone);
}

/**
 * The rule runs on "floating" wall-clock times (computed as if in UTC, where every local time
 * exists once), and each occurrence is placed in the task's zone afterwards. rrule-temporal run in
 * the zone itself drops the occurrences that fall in a DST gap, as RFC 5545 §3.3.10 says for
 * generated instances; a task list keeps them, moved by the gap (see instantOf), so that "every
 * day at 02:30" is due every day. COUNT is what is left of it; UNTIL is checked on real instants.
 */
function ruleOf(series: Series): RRuleTemporal {
  const { rule } = series;
  return new RRuleTemporal({
    freq: rule.freq,
    interval: rule.interval,
    byDay: rule.byDay,
    byMonthDay: rule.byMonthDay,
    byMonth: rule.byMonth,
    bySetPos: rule.bySetPos,
    wkst: rule.wkst,
    count: rule.count === undefined ? undefined : rule.count - series.done,
    dtstart: floating(series.anchor),
    // RFC 5545: DTSTART always counts as the first occurrence, even when the rule would skip it.
    includeDtstart: true,
    maxIterations: SEARCH_PERIODS[rule.freq],
    cache: false,
  });
}

/** The rule's occurrence after the anchor; null when there is none within the search bound (rrule-temporal throws past it). */
function searchNext(series: Series): { toString(): string } | null {
  try {
    return ruleOf(series).next(floating(series.anchor));
  } catch (error) {
    if (error instanceof Error && /Maximum iterations/.test(error.message)) return null;
    throw error;
  }
}

function afterCompletion(series: Series, completedAt: string): Temporal.ZonedDateTime {
  const { freq, interval } = series.rule;
  const completedOn = Temporal.Instant.from(completedAt).toZonedDateTimeISO(series.timeZone).toPlainDate();
  const unit = { DAILY: 'days', WEEKLY: 'weeks', MONTHLY: 'months', YEARLY: 'years' }[freq];
  const time = Temporal.PlainDateTime.from(series.anchor).toPlainTime();
  return floating(completedOn.add({ [unit]: interval }).toPlainDateTime(time).toString());
}

function floating(anchor: string): Temporal.ZonedDateTime {
  return Temporal.PlainDateTime.from(anchor).toZonedDateTime('UTC');
}

function occurrenceOf(next: { toString(): string }, timeZone: string): Occurrence {
  const anchor = Temporal.ZonedDateTime.from(next.toString()).toPlainDateTime().toString();
  return { dueAt: instantOf(anchor, timeZone), anchor };
}
