import { describe, expect, it } from 'vitest';
import { etagFor, etagMatches, parseEtagCondition } from './etag.js';

describe('ETags', () => {
  it('quotes the version', () => {
    expect(etagFor(3)).toBe('"3"');
  });

  it('parses lists, * and absent headers', () => {
    expect(parseEtagCondition(undefined, 'strong')).toBeUndefined();
    expect(parseEtagCondition(' * ', 'strong')).toBe('*');
    expect(parseEtagCondition('"1", "7" ,"x", junk, ""', 'strong')).toEqual([1, 7]);
    expect(parseEtagCondition(['"2"', '"3"'], 'weak')).toEqual([2, 3]);
  });

  it('compares weak tags only for If-None-Match', () => {
    expect(parseEtagCondition('W/"4"', 'strong')).toEqual([]);
    expect(parseEtagCondition('W/"4"', 'weak')).toEqual([4]);
  });

  it('ignores versions that cannot exist', () => {
    expect(parseEtagCondition('"0", "01", "99999999999", "-1"', 'strong')).toEqual([]);
  });

  it('matches', () => {
    expect(etagMatches('*', 9)).toBe(true);
    expect(etagMatches([1, 2], 2)).toBe(true);
    expect(etagMatches([1, 2], 3)).toBe(false);
  });
});
