import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { parseRecurrenceRule, RecurrenceRuleError } from './recurrence-rule.js';
import { anchorOf, assertRecurs, instantOf, nextOccurrence, type RecurrenceBase, type Series, upcomingOccurrences } from './recurrence-series.js';

// A series from an RRULE and a local start, and its occurrences as local times.
function seriesOf(rrule: string, localStart: string, timeZone: string, base: RecurrenceBase = 'due'): Series {
  const dueAt = instantOf(localStart, timeZone);
  return { rule: parseRecurrenceRule(rrule), timeZone, base, anchor: anchorOf(dueAt, timeZone), done: 0 };
}

/** The first `count` due instants of the series (fewer if it ends), completing each when it is due. */
function dueInstants(series: Series, count: number): string[] {
  const instants = [instantOf(series.anchor, series.timeZone)];
  let position = series;
  while (instants.length < count) {
    const next = nextOccurrence(position, instants.at(-1)!);
    if (!next) break;
    instants.push(next.dueAt);
    position = { ...position, anchor: next.anchor, done: position.done + 1 };
  }
  return instants;
}

/** An instant as local wall-clock time with its offset, e.g. `2026-03-29T09:00+02:00`. */
function local(instant: string, timeZone: string): string {
  const zoned = Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone);
  return `${zoned.toPlainDateTime().toString({ smallestUnit: 'minute' })}${zoned.offset}`;
}

/** The local dates (YYYY-MM-DD) of the first `count` occurrences. */
function localDates(series: Series, count: number): string[] {
  return dueInstants(series, count).map((instant) => Temporal.Instant.from(instant).toZonedDateTimeISO(series.timeZone).toPlainDate().toString());
}

const NY = 'America/New_York';
/** RFC 5545 §3.8.5.3: DTSTART;TZID=America/New_York:…T090000 with the given RRULE. */
const rfc = (rrule: string, start: string, count: number) => localDates(seriesOf(rrule, `${start}T09:00`, NY), count);

describe('recurrence in the task time zone', () => {
  it('keeps daily 09:00 Europe/Berlin at 09:00 local across both 2026 DST changes', () => {
    const spring = dueInstants(seriesOf('FREQ=DAILY', '2026-03-27T09:00', 'Europe/Berlin'), 4).map((at) => local(at, 'Europe/Berlin'));
    expect(spring).toEqual(['2026-03-27T09:00+01:00', '2026-03-28T09:00+01:00', '2026-03-29T09:00+02:00', '2026-03-30T09:00+02:00']);
    const autumn = dueInstants(seriesOf('FREQ=DAILY', '2026-10-24T09:00', 'Europe/Berlin'), 3).map((at) => local(at, 'Europe/Berlin'));
    expect(autumn).toEqual(['2026-10-24T09:00+02:00', '2026-10-25T09:00+01:00', '2026-10-26T09:00+01:00']);
    // 23 and 25 hours apart in absolute time.
    expect(Date.parse(spring[2]) - Date.parse(spring[1])).toBe(23 * 3600_000);
  });

  it('keeps America/New_York weekly times across its changes', () => {
    const times = dueInstants(seriesOf('FREQ=WEEKLY', '2026-03-02T18:30', NY), 3).map((at) => local(at, NY));
    expect(times).toEqual(['2026-03-02T18:30-05:00', '2026-03-09T18:30-04:00', '2026-03-16T18:30-04:00']);
  });

  it('keeps Australia/Lord_Howe (a 30-minute shift) and Asia/Kolkata (no DST) at their local times', () => {
    const zone = 'Australia/Lord_Howe';
    expect(dueInstants(seriesOf('FREQ=DAILY', '2026-04-04T09:00', zone), 2).map((at) => local(at, zone))).toEqual(['2026-04-04T09:00+11:00', '2026-04-05T09:00+10:30']);
    expect(dueInstants(seriesOf('FREQ=DAILY', '2026-10-03T09:00', zone), 2).map((at) => local(at, zone))).toEqual(['2026-10-03T09:00+10:30', '2026-10-04T09:00+11:00']);
    const kolkata = dueInstants(seriesOf('FREQ=DAILY;INTERVAL=100', '2026-01-01T07:15', 'Asia/Kolkata'), 4);
    expect(kolkata.map((at) => local(at, 'Asia/Kolkata').slice(10))).toEqual(Array(4).fill('T07:15+05:30'));
  });

  it('moves a time in the spring gap forward by the gap, and back to the wall-clock time after it', () => {
    const times = dueInstants(seriesOf('FREQ=DAILY', '2026-03-28T02:30', 'Europe/Berlin'), 3).map((at) => local(at, 'Europe/Berlin'));
    expect(times).toEqual(['2026-03-28T02:30+01:00', '2026-03-29T03:30+02:00', '2026-03-30T02:30+02:00']);
    const lordHowe = dueInstants(seriesOf('FREQ=DAILY', '2026-10-03T02:15', 'Australia/Lord_Howe'), 2);
    expect(lordHowe.map((at) => local(at, 'Australia/Lord_Howe'))).toEqual(['2026-10-03T02:15+10:30', '2026-10-04T02:45+11:00']);
  });

  it('takes the first of a time that occurs twice in the autumn', () => {
    const times = dueInstants(seriesOf('FREQ=DAILY', '2026-10-24T02:30', 'Europe/Berlin'), 2).map((at) => local(at, 'Europe/Berlin'));
    expect(times).toEqual(['2026-10-24T02:30+02:00', '2026-10-25T02:30+02:00']);
  });

  it('keeps "the last day of the month" through February of a leap year', () => {
    expect(localDates(seriesOf('FREQ=MONTHLY;BYMONTHDAY=-1', '2027-12-31T20:00', 'Europe/Berlin'), 4)).toEqual(['2027-12-31', '2028-01-31', '2028-02-29', '2028-03-31']);
  });

  it('finds the last Friday of each month (BYDAY=-1FR)', () => {
    expect(localDates(seriesOf('FREQ=MONTHLY;BYDAY=-1FR', '2026-01-30T17:00', 'Europe/Berlin'), 4)).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']);
  });

  it('ends after the third occurrence with COUNT=3', () => {
    const series = seriesOf('FREQ=DAILY;COUNT=3', '2026-05-01T09:00', 'Europe/Berlin');
    expect(localDates(series, 10)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect(nextOccurrence({ ...series, anchor: '2026-05-03T09:00:00', done: 2 }, '2026-05-03T07:00:00Z')).toBeNull();
  });

  it('reads an UTC UNTIL in the task zone: 23:00Z on the 10th is midnight in Berlin, so the 10th is the last', () => {
    expect(localDates(seriesOf('FREQ=DAILY;UNTIL=20260310T230000Z', '2026-03-08T09:00', 'Europe/Berlin'), 10)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
    expect(localDates(seriesOf('FREQ=DAILY;UNTIL=20260310T075959Z', '2026-03-08T09:00', 'Europe/Berlin'), 10)).toEqual(['2026-03-08', '2026-03-09']);
    // A date alone lasts to the end of that day in the task's zone.
    expect(localDates(seriesOf('FREQ=DAILY;UNTIL=20260310', '2026-03-08T23:30', 'Asia/Kolkata'), 10)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
  });

  it('with base "completion", counts the interval from the day it was done, at the series time', () => {
    const series = seriesOf('FREQ=DAILY;INTERVAL=3', '2026-03-01T09:00', 'Europe/Berlin', 'completion');
    const next = nextOccurrence(series, '2026-03-04T22:30:00Z');
    expect(local(next!.dueAt, 'Europe/Berlin')).toBe('2026-03-07T09:00+01:00');
  });

  it('previews occurrences within a range, bounded by the limit', () => {
    const series = seriesOf('FREQ=WEEKLY;BYDAY=MO,WE', '2026-03-02T09:00', 'Europe/Berlin');
    const found = upcomingOccurrences(series, { from: '2026-03-05T00:00:00Z', to: '2026-04-01T00:00:00Z', limit: 3 });
    expect(found.map((occurrence) => local(occurrence.dueAt, 'Europe/Berlin'))).toEqual(['2026-03-09T09:00+01:00', '2026-03-11T09:00+01:00', '2026-03-16T09:00+01:00']);
  });

  it('refuses a rule that never occurs, within a bounded search', () => {
    const started = performance.now();
    expect(() => assertRecurs(parseRecurrenceRule('FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31,-31'), 'UTC', '2026-01-01T00:00:00Z')).toThrow(RecurrenceRuleError);
    expect(() => assertRecurs(parseRecurrenceRule('FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1,2,3,4,5,6,7'), 'UTC', '2026-01-01T00:00:00Z')).toThrow(RecurrenceRuleError);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(() => assertRecurs(parseRecurrenceRule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO'), 'UTC', '2026-01-01T00:00:00Z')).not.toThrow();
  });
});

describe('RFC 5545 §3.8.5.3 examples within the supported subset', () => {
  it.each([
    ['daily for 10 occurrences', 'FREQ=DAILY;COUNT=10', '1997-09-02', 20, ['1997-09-02', '1997-09-03', '1997-09-04', '1997-09-05', '1997-09-06', '1997-09-07', '1997-09-08', '1997-09-09', '1997-09-10', '1997-09-11']],
    ['every 10 days, 5 occurrences', 'FREQ=DAILY;INTERVAL=10;COUNT=5', '1997-09-02', 10, ['1997-09-02', '1997-09-12', '1997-09-22', '1997-10-02', '1997-10-12']],
    ['weekly on Tuesday and Thursday for five weeks', 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH', '1997-09-02', 20,
      ['1997-09-02', '1997-09-04', '1997-09-09', '1997-09-11', '1997-09-16', '1997-09-18', '1997-09-23', '1997-09-25', '1997-09-30', '1997-10-02']],
    ['every other week on Monday, Wednesday and Friday until 24 December', 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR', '1997-09-01', 40,
      ['1997-09-01', '1997-09-03', '1997-09-05', '1997-09-15', '1997-09-17', '1997-09-19', '1997-09-29', '1997-10-01', '1997-10-03', '1997-10-13', '1997-10-15', '1997-10-17', '1997-10-27',
        '1997-10-29', '1997-10-31', '1997-11-10', '1997-11-12', '1997-11-14', '1997-11-24', '1997-11-26', '1997-11-28', '1997-12-08', '1997-12-10', '1997-12-12', '1997-12-22']],
    ['monthly on the first Friday for 10 occurrences', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', '1997-09-05', 20,
      ['1997-09-05', '1997-10-03', '1997-11-07', '1997-12-05', '1998-01-02', '1998-02-06', '1998-03-06', '1998-04-03', '1998-05-01', '1998-06-05']],
    ['every other month on the first and last Sunday, 10 occurrences', 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', '1997-09-07', 20,
      ['1997-09-07', '1997-09-28', '1997-11-02', '1997-11-30', '1998-01-04', '1998-01-25', '1998-03-01', '1998-03-29', '1998-05-03', '1998-05-31']],
    ['monthly on the second-to-last Monday for 6 months', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', '1997-09-22', 10, ['1997-09-22', '1997-10-20', '1997-11-17', '1997-12-22', '1998-01-19', '1998-02-16']],
    ['monthly on the third-to-the-last day', 'FREQ=MONTHLY;BYMONTHDAY=-3', '1997-09-28', 6, ['1997-09-28', '1997-10-29', '1997-11-28', '1997-12-29', '1998-01-29', '1998-02-26']],
    ['monthly on the 2nd and 15th, 10 occurrences', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', '1997-09-02', 20,
      ['1997-09-02', '1997-09-15', '1997-10-02', '1997-10-15', '1997-11-02', '1997-11-15', '1997-12-02', '1997-12-15', '1998-01-02', '1998-01-15']],
    ['monthly on the first and last day, 10 occurrences', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1', '1997-09-30', 20,
      ['1997-09-30', '1997-10-01', '1997-10-31', '1997-11-01', '1997-11-30', '1997-12-01', '1997-12-31', '1998-01-01', '1998-01-31', '1998-02-01']],
    ['yearly in June and July, 10 occurrences', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', '1997-06-10', 20,
      ['1997-06-10', '1997-07-10', '1998-06-10', '1998-07-10', '1999-06-10', '1999-07-10', '2000-06-10', '2000-07-10', '2001-06-10', '2001-07-10']],
    ['every third year in January, February and March', 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYMONTH=1,2,3', '1997-03-10', 20,
      ['1997-03-10', '2000-01-10', '2000-02-10', '2000-03-10', '2003-01-10', '2003-02-10', '2003-03-10', '2006-01-10', '2006-02-10', '2006-03-10']],
    ['every Friday the 13th (after DTSTART)', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '1997-09-02', 6, ['1997-09-02', '1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13', '2000-10-13']],
    ['the first Saturday that follows the first Sunday', 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13', '1997-09-13', 6, ['1997-09-13', '1997-10-11', '1997-11-08', '1997-12-13', '1998-01-10', '1998-02-07']],
    ['US presidential election day', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8', '1996-11-05', 3, ['1996-11-05', '2000-11-07', '2004-11-02']],
    ['the third Tuesday, Wednesday or Thursday of the month, 3 occurrences', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', '1997-09-04', 10, ['1997-09-04', '1997-10-07', '1997-11-06']],
    ['the second-to-last weekday of the month', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', '1997-09-29', 7, ['1997-09-29', '1997-10-30', '1997-11-27', '1997-12-30', '1998-01-29', '1998-02-26', '1998-03-30']],
    ['WKST=MO changes which days an every-other-week rule takes', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', '1997-08-05', 10, ['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']],
    ['… and WKST=SU', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', '1997-08-05', 10, ['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']],
    ['an invalid date (30 February) is skipped and not counted', 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5', '2007-01-15', 10, ['2007-01-15', '2007-01-30', '2007-02-15', '2007-03-15', '2007-03-30']],
  ])('%s', (_name, rrule, start, count, expected) => {
    expect(rfc(rrule, start, count)).toEqual(expected);
  });

  it('daily until 24 December 1997: 113 occurrences, all at 09:00 local (EDT, then EST)', () => {
    const instants = dueInstants(seriesOf('FREQ=DAILY;UNTIL=19971224T000000Z', '1997-09-02T09:00', NY), 200);
    expect(instants).toHaveLength(113);
    expect(local(instants[0], NY)).toBe('1997-09-02T09:00-04:00');
    expect(local(instants.at(-1)!, NY)).toBe('1997-12-23T09:00-05:00');
  });
});

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham', 'UTC'];
const RULES = ['FREQ=DAILY', 'FREQ=DAILY;INTERVAL=3', 'FREQ=WEEKLY;BYDAY=MO,FR', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYDAY=-1FR',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1', 'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1,15'];

describe('recurrence properties', () => {
  const arbitrarySeries = fc.record({
    rule: fc.constantFrom(...RULES),
    zone: fc.constantFrom(...ZONES),
    start: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
  });

  it('occurrences strictly increase and keep the local time of day wherever it exists', () => {
    fc.assert(
      fc.property(arbitrarySeries, ({ rule, zone, start }) => {
        const series = seriesOf(rule, anchorOf(start.toISOString(), zone), zone);
        const instants = dueInstants(series, 15);
        const timeOfDay = series.anchor.slice(11);
        for (let index = 1; index < instants.length; index++) {
          expect(Date.parse(instants[index])).toBeGreaterThan(Date.parse(instants[index - 1]));
          const zoned = Temporal.Instant.from(instants[index]).toZonedDateTimeISO(zone);
          const wanted = Temporal.PlainDateTime.from(`${zoned.toPlainDate().toString()}T${timeOfDay}`);
          // The wall-clock time is kept unless it does not exist that day (then it moved by the gap).
          const exists = wanted.toZonedDateTime(zone, { disambiguation: 'compatible' }).toPlainDateTime().equals(wanted);
          if (exists) expect(zoned.toPlainDateTime().toString()).toBe(wanted.toString());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('completing n times advances exactly n occurrences, and COUNT is honoured', () => {
    fc.assert(
      fc.property(arbitrarySeries, fc.integer({ min: 1, max: 12 }), ({ rule, zone, start }, count) => {
        const anchor = anchorOf(start.toISOString(), zone);
        const all = dueInstants(seriesOf(rule, anchor, zone), 12);
        const counted = dueInstants(seriesOf(`${rule};COUNT=${count}`, anchor, zone), 20);
        expect(counted).toEqual(all.slice(0, count));
        const preview = upcomingOccurrences(seriesOf(rule, anchor, zone), { from: all[0], to: all[11], limit: 12 });
        expect(preview.map((occurrence) => occurrence.dueAt)).toEqual(all);
      }),
      { numRuns: 100 },
    );
  });
});
