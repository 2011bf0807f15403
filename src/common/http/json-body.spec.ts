import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-body.js';

describe('nestsDeeperThan', () => {
  it('counts each array or object as one level, and scalars as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    const task = { title: 'x', tags: ['a', 'b'], meta: { list: [{}] } };
    expect(nestsDeeperThan(task, 4)).toBe(false);
    expect(nestsDeeperThan(task, 3)).toBe(true);
  });

  it('finds the deepest branch wherever it is', () => {
    expect(nestsDeeperThan([[], [[[]]], []], 3)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: { c: { d: {} } }, e: [] }, 3)).toBe(true);
  });

  it('answers for a value far deeper than the stack allows a recursive walk', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(nestsDeeperThan(deep, 32)).toBe(true);
  });
});
