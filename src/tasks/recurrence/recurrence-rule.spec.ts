import { describe, expect, it } from 'vitest';
import { formatRecurrenceRule, parseRecurrenceRule, RecurrenceRuleError } from './recurrence-rule.js';

function partAtFault(text: string): string {
  try {
    parseRecurrenceRule(text);
  } catch (error) {
    if (error instanceof RecurrenceRuleError) return error.part;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseRecurrenceRule', () => {
  it('reads the supported parts in any case and order, and writes them back in canonical form', () => {
    const rule = parseRecurrenceRule('RRULE:byday=1mo,-1FR;freq=monthly;interval=2;COUNT=3;WKST=SU');
    expect(rule).toEqual({ freq: 'MONTHLY', interval: 2, byDay: ['1MO', '-1FR'], count: 3, wkst: 'SU' });
    expect(formatRecurrenceRule(rule)).toBe('FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;COUNT=3;WKST=SU');
    expect(formatRecurrenceRule(parseRecurrenceRule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;BYSETPOS=1;UNTIL=20300101T000000Z'))).toBe(
      'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;BYSETPOS=1;UNTIL=20300101T000000Z',
    );
  });

  it.each([
    ['FREQ=HOURLY', 'FREQ'],
    ['INTERVAL=2', 'FREQ'],
    ['FREQ=DAILY;BYHOUR=9', 'BYHOUR'],
    ['FREQ=DAILY;BYMINUTE=0', 'BYMINUTE'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'BYWEEKNO'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'BYYEARDAY'],
    ['FREQ=DAILY;X-NAME=1', 'X-NAME'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL'],
    ['FREQ=DAILY;COUNT=0', 'COUNT'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20300101', 'COUNT'],
    ['FREQ=DAILY;UNTIL=20300230', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=tomorrow', 'UNTIL'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYDAY=XX', 'BYDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30,31', 'BYMONTHDAY'],
    ['FREQ=DAILY;BYSETPOS=1', 'BYSETPOS'],
    ['FREQ=DAILY;WKST=XX', 'WKST'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ'],
    ['FREQ=DAILY;;', 'RRULE'],
  ])('refuses %s, naming %s', (text, part) => {
    expect(partAtFault(text)).toBe(part);
  });
});
