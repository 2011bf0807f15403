import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { InvalidTokenError } from './auth-errors.js';

/** Longer tokens are refused before any parsing: Better Auth's are well under 2 KiB. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** Header parameters that let a token name its own key (RFC 7515 §4.1.2–4.1.6): never trusted. */
const KEY_SUPPLYING_HEADERS = ['jku', 'jwk', 'x5u', 'x5c'] as const;

const BEARER = /^Bearer +([^ ]+) *$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1). `undefined` when the
 * request carries no bearer credentials at all (no header, or another scheme such as Basic):
 * RFC 6750 §3.1 answers those without an `error` code.
 */
export function bearerTokenFrom(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new InvalidTokenError('more than one Authorization header');
  if (!/^bearer(\s|$)/i.test(header)) return undefined;
  const match = BEARER.exec(header);
  if (!match) throw new InvalidTokenError('malformed Authorization header');
  const token = match[1];
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token too large');
  if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('not a signed JWT');
  return token;
}

/**
 * The token's protected header, checked before any key is looked up: it must name an algorithm,
 * not `none`, and must not try to supply its own key.
 */
export function protectedHeaderOf(token: string): ProtectedHeaderParameters & { alg: string } {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new InvalidTokenError('malformed token header');
  }
  if (typeof header.alg !== 'string' || header.alg === '') throw new InvalidTokenError('missing alg header');
  if (header.alg.toLowerCase() === 'none') throw new InvalidTokenError('unsigned tokens are not accepted');
  if (KEY_SUPPLYING_HEADERS.some((name) => name in header)) throw new InvalidTokenError('tokens may not name their own key');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new InvalidTokenError('malformed kid header');
  return header as ProtectedHeaderParameters & { alg: string };
}
