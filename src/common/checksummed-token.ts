import { createHash } from 'node:crypto';

function checksum(binding: string, payload: string): string {
  return createHash('sha256').update(binding).update('\n').update(payload).digest('base64url').slice(0, 22);
}

/**
 * An opaque token carrying `fields` (any JSON), with a checksum over them and `binding` (what the
 * token belongs to: a list's sort and filters, a user). The checksum is not a secret MAC: it
 * catches corrupted and edited tokens, and tokens used where they do not belong; the callers make
 * sure a hand-made token can only reach the caller's own data.
 */
export function sealToken(binding: string, fields: unknown): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${checksum(binding, payload)}`;
}

/**
 * What `token` carries: undefined when it was not sealed for `binding` (malformed, edited, or bound
 * elsewhere); `{ fields }` otherwise, with `fields` undefined when the payload is not JSON. The
 * caller checks the fields' shape.
 */
export function openToken(binding: string, token: string): { fields: unknown } | undefined {
  const [payload, sum, ...rest] = token.split('.');
  if (rest.length > 0 || !payload || !sum || checksum(binding, payload) !== sum) return undefined;
  try {
    return { fields: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown };
  } catch {
    return { fields: undefined };
  }
}
