import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPrefixTsQuery } from './task-search.js';

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
