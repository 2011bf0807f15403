import { openToken, sealToken } from '../common/checksummed-token.js';

/** Where a page ends: the last task's sort key, as PostgreSQL printed it, and its id. */
export interface CursorPosition {
  key: string;
  id: string;
}

export class InvalidCursorError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_KEY_LENGTH = 1_000;

/**
 * An opaque keyset cursor: the position, plus a checksum over the position and `binding` (the
 * canonical sort and filters of the list it came from). The key is PostgreSQL's own text for the
 * sort value (e.g. `2026-01-02 03:04:05.123456+00`), so a microsecond timestamp survives the
 * round trip exactly, which a JavaScript Date (milliseconds) would not.
 *
 * The checksum is not a secret MAC: every list query is scoped to its owner and takes the key as a
 * bind parameter, so a hand-made cursor can only start the caller's own list somewhere else. It
 * catches corrupted or edited cursors and cursors reused with another sort or other filters.
 */
export function encodeCursor(binding: string, position: CursorPosition): string {
  return sealToken(binding, [position.key, position.id]);
}

/** The position in `cursor`; throws InvalidCursorError when it is malformed, edited, or from another list. */
export function decodeCursor(cursor: string, binding: string): CursorPosition {
  const opened = openToken(binding, cursor);
  if (opened === undefined) throw new InvalidCursorError('The cursor is malformed, or belongs to a list with another sort or other filters.');
  const decoded = opened.fields;
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    decoded[0].length > MAX_KEY_LENGTH ||
    typeof decoded[1] !== 'string' ||
    !UUID.test(decoded[1])
  ) {
    throw new InvalidCursorError('The cursor is malformed.');
  }
  return { key: decoded[0], id: decoded[1] };
}
