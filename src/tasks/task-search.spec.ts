import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCommonSearch, toPrefixTsQuery } from './task-search.js';

describe('toPrefixTsQuery', () => {
  it('makes every word a prefix, all required', () => {
    expect(toPrefixTsQuery('Buy mil')).toBe('Buy:* & mil:*');
    expect(toPrefixTsQuery('  café   Straße 42 ')).toBe('café:* & Straße:* & 42:*');
  });

  it('drops every tsquery operator and quote, so input cannot change the query structure', () => {
    expect(toPrefixTsQuery("a & !b | (c:*) <-> 'd' \\ e")).toBe('a:* & b:* & c:* & d:* & e:*');
    expect(toPrefixTsQuery("'); DROP TABLE tasks; --")).toBe('DROP:* & TABLE:* & tasks:*');
  });

  it('returns undefined when nothing searchable is left', () => {
    expect(toPrefixTsQuery('!!! ---')).toBeUndefined();
  });

  it('keeps at most 16 words', () => {
    const words = Array.from({ length: 20 }, (_, index) => `w${index}`);
    expect(toPrefixTsQuery(words.join(' '))?.split(' & ')).toHaveLength(16);
  });

  it('only ever yields word:* terms joined by &', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        const query = toPrefixTsQuery(input);
        if (query === undefined) return;
        for (const term of query.split(' & ')) expect(term).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}\p{M}]*:\*$/u);
      }),
    );
  });
});

describe('isCommonSearch', () => {
  // As pg_stats gives them: the common lexemes, and the share of tasks holding each.
  const stats = { words: ['the', 'then', 'review', 'report', 'milk'], frequencies: [0.6, 0.1, 0.05, 0.04, 0.3] };

  it('adds up the lexemes a typed prefix starts, and multiplies the words', () => {
    expect(isCommonSearch('the', stats)).toBe(true); // the + then: 70 %
    expect(isCommonSearch('re', stats)).toBe(false); // review + report: 9 %
    expect(isCommonSearch('THE milk', stats)).toBe(true); // 70 % × 30 %: 21 %
    expect(isCommonSearch('then milk', stats)).toBe(false); // 10 % × 30 %: 3 %
  });

  it('takes a word among no common lexeme, or no statistics at all, as rare', () => {
    expect(isCommonSearch('zebra', stats)).toBe(false);
    expect(isCommonSearch('the zebra', stats)).toBe(false);
    expect(isCommonSearch('the', undefined)).toBe(false);
    expect(isCommonSearch('!!!', stats)).toBe(false);
  });
});
