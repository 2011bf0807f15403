import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sealToken } from '../common/checksummed-token.js';
import { decodeSyncToken, encodeSyncToken, FIRST_TASK_ID, InvalidSyncTokenError, type SyncPosition } from './sync-token.js';

const uint64 = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);
const position: fc.Arbitrary<SyncPosition> = fc.oneof(
  fc.record({ kind: fc.constant('snapshot' as const), xid: uint64, afterId: fc.uuid() }),
  fc.record({ kind: fc.constant('feed' as const), xid: uint64, position: uint64 }),
);

describe('sync tokens', () => {
  it('round-trip every position for their owner', () => {
    fc.assert(
      fc.property(position, fc.string({ minLength: 1 }), (at, owner) => {
        expect(decodeSyncToken(owner, encodeSyncToken(owner, at))).toEqual(at);
      }),
    );
  });

  it("refuse another user's token", () => {
    const token = encodeSyncToken('alice', { kind: 'snapshot', xid: '7', afterId: FIRST_TASK_ID });
    expect(() => decodeSyncToken('bob', token)).toThrow(InvalidSyncTokenError);
  });

  it('refuse edited, truncated and hand-made tokens', () => {
    const token = encodeSyncToken('alice', { kind: 'feed', xid: '700', position: '12' });
    for (const bad of ['', '.', 'abc', token.slice(1), `${token}.x`, `x${token}`, token.replace('.', '')]) {
      expect(() => decodeSyncToken('alice', bad)).toThrow(InvalidSyncTokenError);
    }
  });

  it('refuse payloads that carry a valid checksum but are not positions', () => {
    // Validity must not rest on the checksum alone.
    const sign = (fields: unknown) => sealToken('alice', fields);
    expect(decodeSyncToken('alice', sign(['c', '1', '2']))).toEqual({ kind: 'feed', xid: '1', position: '2' });
    for (const fields of [['c', '-1', '1'], ['c', '1', '1e3'], ['s', '1', 'not-a-uuid'], ['x', '1', '1'], ['c', 1, '1'], ['c', '99999999999999999999', '1'], {}]) {
      expect(() => decodeSyncToken('alice', sign(fields))).toThrow(InvalidSyncTokenError);
    }
  });
});
