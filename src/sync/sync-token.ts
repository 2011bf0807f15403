import { openToken, sealToken } from '../common/checksummed-token.js';

/**
 * Where a client's sync stands. `snapshot`: paging through its current tasks (by id, after
 * `afterId`), then the feed from `xid`. `feed`: it holds every change up to (`xid`, `position`).
 * `xid` is a transaction id (PostgreSQL's xid8, which never wraps), as a decimal string.
 */
export type SyncPosition = { kind: 'snapshot'; xid: string; afterId: string } | { kind: 'feed'; xid: string; position: string };

export class InvalidSyncTokenError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A non-negative 64-bit integer (xid8 and the identity column both fit). */
const UINT64 = /^(0|[1-9]\d{0,18})$/;
/** Before any task: the snapshot starts here. */
export const FIRST_TASK_ID = '00000000-0000-0000-0000-000000000000';

/**
 * An opaque sync token: the position, sealed with the owner as binding (checksummed-token.ts). The
 * checksum is not a secret MAC: every feed query is scoped to its owner and binds the position,
 * so a hand-made token can only restart the caller's own feed elsewhere. It catches edited and
 * corrupted tokens, and tokens of another user (a client that mixed up accounts gets a 400, not
 * someone's feed from a wrong place).
 */
export function encodeSyncToken(ownerId: string, position: SyncPosition): string {
  const fields = position.kind === 'snapshot' ? ['s', position.xid, position.afterId] : ['c', position.xid, position.position];
  return sealToken(ownerId, fields);
}

/** The position in `token`; throws InvalidSyncTokenError when it is malformed, edited, or another user's. */
export function decodeSyncToken(ownerId: string, token: string): SyncPosition {
  const opened = openToken(ownerId, token);
  if (opened === undefined) throw new InvalidSyncTokenError('The sync token is malformed, or was issued to another user.');
  const { fields } = opened;
  if (Array.isArray(fields) && fields.length === 3 && typeof fields[1] === 'string' && UINT64.test(fields[1]) && typeof fields[2] === 'string') {
    const [kind, xid, rest] = fields as [unknown, string, string];
    if (kind === 's' && UUID.test(rest)) return { kind: 'snapshot', xid, afterId: rest };
    if (kind === 'c' && UINT64.test(rest)) return { kind: 'feed', xid, position: rest };
  }
  throw new InvalidSyncTokenError('The sync token is malformed.');
}
