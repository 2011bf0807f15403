import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, decodeCursor, encodeCursor } from './task-cursor.js';

const binding = JSON.stringify(['-createdAt', 'all', [], [], null, null, null, false]);
const position = { key: '2026-01-02 03:04:05.123456+00', id: '0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f' };

describe('task cursors', () => {
  it('round-trips any key exactly, microseconds included', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.uuid(), fc.string(), (key, id, anyBinding) => {
        expect(decodeCursor(encodeCursor(anyBinding, { key, id }), anyBinding)).toEqual({ key, id });
      }),
    );
  });

  it('is opaque: URL-safe, with no readable sort key', () => {
    const cursor = encodeCursor(binding, position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2026');
  });

  it('rejects a cursor used with another sort or other filters', () => {
    const cursor = encodeCursor(binding, position);
    const otherSort = JSON.stringify(['createdAt', 'all', [], [], null, null, null, false]);
    expect(() => decodeCursor(cursor, otherSort)).toThrow(InvalidCursorError);
  });

  it('rejects every single-character edit', () => {
    const cursor = encodeCursor(binding, position);
    for (let index = 0; index < cursor.length; index++) {
      const replacement = cursor[index] === 'A' ? 'B' : 'A';
      const edited = cursor.slice(0, index) + replacement + cursor.slice(index + 1);
      expect(() => decodeCursor(edited, binding)).toThrow(InvalidCursorError);
    }
  });

  it('rejects garbage, truncations and extra parts', () => {
    const cursor = encodeCursor(binding, position);
    for (const bad of ['', '.', 'abc', cursor.slice(0, -1), `${cursor}.x`, cursor.split('.')[0], `.${cursor.split('.')[1]}`]) {
      expect(() => decodeCursor(bad, binding)).toThrow(InvalidCursorError);
    }
  });

  it('rejects a correctly checksummed payload of the wrong shape', () => {
    // The checksum is not secret (see encodeCursor), so forge payloads the way a client could.
    const forge = (value: unknown) => {
      const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
      const sum = createHash('sha256').update(binding).update('\n').update(payload).digest('base64url').slice(0, 22);
      return `${payload}.${sum}`;
    };
    expect(decodeCursor(forge([position.key, position.id]), binding)).toEqual(position);
    for (const value of [['k', 'not-a-uuid'], ['k'], [1, position.id], { key: 'k', id: position.id }, ['x'.repeat(1001), position.id], null]) {
      expect(() => decodeCursor(forge(value), binding)).toThrow(InvalidCursorError);
    }
  });
});
