/**
 * The subset of an RFC 5545 recurrence rule (§3.3.10) that tasks support, parsed strictly: a part
 * outside the subset, or a value out of its range, is an error naming the part, never ignored.
 * Hours, minutes and seconds come from the task's due date (DTSTART), so BYHOUR, BYMINUTE,
 * BYSECOND and the sub-daily frequencies are not offered; nor are BYYEARDAY and BYWEEKNO.
 */

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  /** Weekday codes, with an optional ordinal (`MO`, `1MO`, `-1FR`). */
  byDay?: string[];
  byMonthDay?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  count?: number;
  /** As written: `YYYYMMDDTHHMMSSZ` (UTC), `YYYYMMDDTHHMMSS` (the task's zone) or `YYYYMMDD` (to the end of that day there). */
  until?: string;
  wkst?: Weekday;
}

/** The rule is malformed or outside the supported subset; `part` names the rule part at fault. */
export class RecurrenceRuleError extends Error {
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

const UNSUPPORTED_PARTS = new Set(['BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYYEARDAY', 'BYWEEKNO', 'RSCALE', 'SKIP']);
const BY_DAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const UNTIL = /^(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z?)?$/;
const INTEGER = /^[+-]?\d{1,4}$/;
/** The longest month each BYMONTH value can have, to refuse BYMONTHDAY values none of them reaches. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses `FREQ=…;…` (an `RRULE:` prefix is allowed). Throws RecurrenceRuleError. */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const parts = new Map<string, string>();
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    const [name, value, ...rest] = part.split('=');
    const key = name.trim().toUpperCase();
    if (UNSUPPORTED_PARTS.has(key)) throw new RecurrenceRuleError(key, `${key} is not supported: a task's occurrences take their time of day from dueAt`);
    if (!KNOWN_PARTS.has(key)) throw new RecurrenceRuleError(key || 'RRULE', `${key || 'An empty part'} is not a supported recurrence rule part (supported: ${[...KNOWN_PARTS].join(', ')})`);
    if (value === undefined || rest.length > 0 || value.trim() === '') throw new RecurrenceRuleError(key, `${key} needs one value, as ${key}=…`);
    if (parts.has(key)) throw new RecurrenceRuleError(key, `${key} appears twice`);
    parts.set(key, value.trim().toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) throw new RecurrenceRuleError('FREQ', 'FREQ is required');
  if (!(FREQUENCIES as readonly string[]).includes(freq)) throw new RecurrenceRuleError('FREQ', `FREQ must be one of ${FREQUENCIES.join(', ')}`);
  const rule: RecurrenceRule = { freq: freq as Frequency, interval: integerPart(parts, 'INTERVAL', 1, 1000) ?? 1 };
  rule.byDay = listPart(parts, 'BYDAY', (value) => byDayToken(value, rule.freq));
  rule.byMonthDay = listPart(parts, 'BYMONTHDAY', (value) => nonZeroInteger('BYMONTHDAY', value, 31));
  rule.byMonth = listPart(parts, 'BYMONTH', (value) => integerInRange('BYMONTH', value, 1, 12));
  rule.bySetPos = listPart(parts, 'BYSETPOS', (value) => nonZeroInteger('BYSETPOS', value, 366));
  rule.count = integerPart(parts, 'COUNT', 1, 1000);
  rule.until = untilPart(parts.get('UNTIL'));
  const wkst = parts.get('WKST');
  if (wkst !== undefined && !(WEEKDAYS as readonly string[]).includes(wkst)) throw new RecurrenceRuleError('WKST', `WKST must be one of ${WEEKDAYS.join(', ')}`);
  rule.wkst = wkst as Weekday | undefined;
  checkCombination(rule);
  return withoutUndefined(rule);
}

/** The rule in canonical form (parts in a fixed order), as stored and returned. */
export function formatRecurrenceRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byMonth) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.byMonthDay) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byDay) parts.push(`BYDAY=${rule.byDay.join(',')}`);
  if (rule.bySetPos) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`);
  if (rule.wkst !== undefined) parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}

const KNOWN_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'COUNT', 'UNTIL', 'WKST']);

function integerPart(parts: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const value = parts.get(name);
  return value === undefined ? undefined : integerInRange(name, value, min, max);
}

function integerInRange(name: string, value: string, min: number, max: number): number {
  const number = INTEGER.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new RecurrenceRuleError(name, `${name} values must be whole numbers from ${min} to ${max}`);
  return number;
}

function nonZeroInteger(name: string, value: string, max: number): number {
  const number = INTEGER.test(value) ? Number(value) : NaN;
  if (!(Math.abs(number) >= 1 && Math.abs(number) <= max)) throw new RecurrenceRuleError(name, `${name} values must be whole numbers from 1 to ${max} or -${max} to -1`);
  return number;
}

function listPart<T>(parts: Map<string, string>, name: string, parse: (value: string) => T): T[] | undefined {
  const value = parts.get(name);
  if (value === undefined) return undefined;
  const items = [...new Set(value.split(',').map((item) => item.trim()))];
  if (items.length > 31 && name !== 'BYSETPOS') throw new RecurrenceRuleError(name, `${name} has too many values`);
  return items.map(parse);
}

function byDayToken(value: string, freq: Frequency): string {
  const match = BY_DAY.exec(value);
  if (!match) throw new RecurrenceRuleError('BYDAY', 'BYDAY values must be weekday codes (MO…SU), optionally with an ordinal such as 1MO or -1FR');
  if (match[1] === undefined) return value;
  const ordinal = Number(match[1]);
  // RFC 5545: an ordinal only within a MONTHLY or YEARLY rule; a month has at most 5 of a weekday, a year 53.
  if (freq !== 'MONTHLY' && freq !== 'YEARLY') throw new RecurrenceRuleError('BYDAY', 'BYDAY ordinals (such as 1MO) need FREQ=MONTHLY or FREQ=YEARLY');
  if (ordinal === 0 || Math.abs(ordinal) > (freq === 'MONTHLY' ? 5 : 53)) throw new RecurrenceRuleError('BYDAY', `BYDAY ordinal ${ordinal} is out of range`);
  return `${ordinal}${match[2]}`;
}

function untilPart(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = UNTIL.exec(value);
  const [year, month, day, hour, minute, second] = match ? [1, 2, 3, 5, 6, 7].map((index) => Number(match[index] ?? 0)) : [];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new RecurrenceRuleError('UNTIL', 'UNTIL must be a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSSZ in UTC, or YYYYMMDDTHHMMSS in the task time zone)');
  }
  return value;
}

function checkCombination(rule: RecurrenceRule): void {
  if (rule.count !== undefined && rule.until !== undefined) throw new RecurrenceRuleError('COUNT', 'COUNT and UNTIL cannot both be given (RFC 5545)');
  if (rule.byMonthDay && rule.freq === 'WEEKLY') throw new RecurrenceRuleError('BYMONTHDAY', 'BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)');
  if (rule.bySetPos && !rule.byDay && !rule.byMonthDay && !rule.byMonth) throw new RecurrenceRuleError('BYSETPOS', 'BYSETPOS needs another BYxxx part to select from');
  // A rule that can never occur: every BYMONTHDAY beyond the length of every BYMONTH month.
  if (rule.byMonth && rule.byMonthDay) {
    const longest = Math.max(...rule.byMonth.map((month) => DAYS_IN_MONTH[month - 1]));
    if (rule.byMonthDay.every((day) => Math.abs(day) > longest)) throw new RecurrenceRuleError('BYMONTHDAY', 'No month named in BYMONTH has the days named in BYMONTHDAY: the rule never occurs');
  }
}

function withoutUndefined(rule: RecurrenceRule): RecurrenceRule {
  return Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== undefined)) as unknown as RecurrenceRule;
}
