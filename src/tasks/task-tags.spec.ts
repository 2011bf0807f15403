import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTags } from './task-tags.js';

describe('normalizeTags', () => {
  it('trims and drops case-insensitive duplicates, keeping the first spelling and the order', () => {
    expect(normalizeTags([' Home ', 'work', 'HOME', 'home', 'Work ', 'errands'])).toEqual(['Home', 'work', 'errands']);
  });

  it('keeps what validation must reject: non-strings and empty tags', () => {
    expect(normalizeTags([1, null, '  ', '', 'a'])).toEqual([1, null, '', '', 'a']);
  });

  it('is idempotent and never yields two tags equal ignoring case', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 30 }), (tags) => {
        const once = normalizeTags(tags) as string[];
        expect(normalizeTags(once)).toEqual(once);
        const keys = once.filter((tag) => tag !== '').map((tag) => tag.toLowerCase());
        expect(new Set(keys).size).toBe(keys.length);
        for (const tag of once) expect(tag).toBe(tag.trim());
      }),
    );
  });
});
