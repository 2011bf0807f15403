/** The baseline's copy of src/tasks/task-cursor.ts: the same cursor text, so both servers do the same hashing. */
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checksum(binding, payload) {
  return createHash('sha256').update(binding).update('\n').update(payload).digest('base64url').slice(0, 22);
}

/** @param {string} binding @param {{ key: string, id: string }} position */
export function encodeCursor(binding, position) {
  const payload = Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
  return `${payload}.${checksum(binding, payload)}`;
}

/** The position, or undefined when the cursor is malformed or from another list. @param {string} cursor @param {string} binding */
export function decodeCursor(cursor, binding) {
  const [payload, sum, ...rest] = cursor.split('.');
  if (rest.length > 0 || !payload || !sum || checksum(binding, payload) !== sum) return undefined;
  let decoded;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string' || decoded[0].length > 1_000 || typeof decoded[1] !== 'string' || !UUID.test(decoded[1])) {
    return undefined;
  }
  return { key: decoded[0], id: decoded[1] };
}
