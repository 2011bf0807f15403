import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { Principal } from './principal.js';
import { InvalidAuthRequestError, InvalidTokenError } from './token-errors.js';
import { TokenVerifier } from './token-verifier.js';

/** The name JwtAuthGuard asks Passport for. */
export const JWT_STRATEGY = 'jwt';

/** Longer tokens are refused before any parsing: Better Auth's are well under 2 KiB. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const BEARER = /^Bearer +([^ ]+) *$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The Passport strategy for Better Auth bearer tokens: takes the token out of the Authorization
 * header and hands it to the one verifier, TokenVerifier (jose).
 *
 * Not passport-jwt: its verifier is jsonwebtoken, which cannot verify EdDSA (passport-jwt#258),
 * the algorithm Better Auth's JWT plugin signs with by default. Not passport-http-bearer either:
 * it also takes `access_token` from the query string and the body (tokens in URLs end up in
 * logs) and answers malformed headers itself. passport-custom hands over the request, and
 * bearerTokenFrom() reads exactly one header.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  /**
   * The principal, or `null` for a request with no bearer credentials at all (Passport's `fail`);
   * throws the verifier's errors, which JwtAuthGuard turns into the answer.
   */
  async validate(request: { headers: Record<string, string | string[] | undefined>; raw?: { rawHeaders: string[] } }): Promise<Principal | null> {
    // Node keeps only the first of several Authorization headers: which one a proxy or a client
    // meant is unknown, so the request is refused rather than authenticated as the first one.
    if (request.raw && countHeader(request.raw.rawHeaders, 'authorization') > 1) throw new InvalidAuthRequestError('more than one Authorization header');
    const token = bearerTokenFrom(request.headers.authorization);
    return token === undefined ? null : this.verifier.verify(token);
  }
}

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

function countHeader(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) count += 1;
  return count;
}
