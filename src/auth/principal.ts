import type { JWTPayload } from 'jose';
import { STORABLE_TEXT } from '../common/validation/storable-text.js';
import { InvalidTokenError } from './token-errors.js';

/** The authenticated caller, as verified from a Better Auth token. */
export interface Principal {
  /** Better Auth's user id (`sub`): an opaque string of 1–255 characters, not a UUID. */
  id: string;
  email?: string;
  name?: string;
  /** Which verifier accepted the token: the JWKS issuer (or URL), or `shared-secret` for HS256. */
  issuer: string;
}

export const MAX_USER_ID_LENGTH = 255;
const MAX_PROFILE_FIELD_LENGTH = 320;

/**
 * Maps verified claims to the principal. The user id is `sub`; only a token without `sub` that
 * carries Better Auth's user object (`id` and `email`, as the JWT plugin's default payload has)
 * falls back to `id`. An empty or non-string `sub` is an error, never a reason to fall back.
 */
export function principalFromClaims(claims: JWTPayload, issuer: string): Principal {
  let id: unknown = claims.sub;
  if (id === undefined && typeof claims.id === 'string' && typeof claims.email === 'string') id = claims.id;
  if (id === undefined) throw new InvalidTokenError('missing sub claim');
  if (typeof id !== 'string' || id.trim() === '') throw new InvalidTokenError('empty or malformed sub claim');
  if (id.length > MAX_USER_ID_LENGTH) throw new InvalidTokenError('sub claim too long');
  // A user id is an opaque string, but never one with control characters, and always Unicode text:
  // a lone surrogate would be stored as U+FFFD, so two subjects could map to one owner.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id) || !STORABLE_TEXT.test(id)) throw new InvalidTokenError('malformed sub claim');

  const principal: Principal = { id, issuer };
  const email = profileField(claims.email);
  const name = profileField(claims.name);
  if (email !== undefined) principal.email = email;
  if (name !== undefined) principal.name = name;
  return principal;
}

function profileField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_PROFILE_FIELD_LENGTH ? value : undefined;
}
