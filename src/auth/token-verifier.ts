import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { decodeProtectedHeader, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify, type KeyInput, type ProtectedHeaderParameters } from 'jose';
import type { AppConfig } from '../config/app-config.js';
import { createJwksKeySet, type JwksKeySet } from './jwks-key-set.js';
import { type Principal, principalFromClaims } from './principal.js';
import { type SharedSecret, resolveSharedSecret } from './shared-secret.js';
import { describeJoseError, InvalidTokenError, JwksUnavailableError } from './token-errors.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** The `issuer` of principals whose token was signed with BETTER_AUTH_SECRET. */
const SHARED_SECRET_ISSUER = 'shared-secret';

/** The shared secret never changes while the process runs: one key set, for good. */
const SHARED_SECRET_KEY_SET = 0;

/** Header parameters that let a token name its own key (RFC 7515 §4.1.2–4.1.6): never trusted. */
const KEY_SUPPLYING_HEADERS = ['jku', 'jwk', 'x5u', 'x5c'] as const;

/**
 * Verifies Better Auth tokens with jose, in whichever modes are configured:
 * - HS256 with BETTER_AUTH_SECRET (the original backend's contract);
 * - the JWT plugin's asymmetric keys (EdDSA by default) from AUTH_JWKS_URL.
 *
 * A token is routed to exactly one verifier by its header `alg`: HS256 only ever meets the shared
 * secret, never a JWKS key (which would be key confusion), and an asymmetric token only ever meets
 * the JWKS. Everything a request needs (keys, option objects) is built once, here, so verifying
 * costs one signature check and no key import.
 */
@Injectable()
export class TokenVerifier implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private readonly sharedSecret?: SharedSecret;
  private secretKey?: KeyInput;
  private readonly secretOptions: JWTVerifyOptions;
  private readonly verifiedSecretTokens: VerifiedTokenCache;
  private readonly jwks?: JwksKeySet;
  private readonly verifiedJwksTokens: VerifiedTokenCache;
  private readonly jwksOptions: JWTVerifyOptions;
  private readonly jwksAlgorithms: ReadonlySet<string>;
  private readonly jwksIssuer: string;
  private readonly clockToleranceSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    this.clockToleranceSeconds = auth.clockToleranceSeconds;
    this.verifiedSecretTokens = new VerifiedTokenCache(auth.tokenCacheSize);
    this.verifiedJwksTokens = new VerifiedTokenCache(auth.tokenCacheSize);
    this.sharedSecret = resolveSharedSecret({ auth, dataDir: config.get('dataDir', { infer: true }), isProduction: config.get('isProduction', { infer: true }) });
    this.secretOptions = { algorithms: ['HS256'], requiredClaims: ['exp'], clockTolerance: auth.clockToleranceSeconds };

    this.jwksAlgorithms = new Set(auth.algorithms);
    this.jwksIssuer = auth.issuer ?? auth.jwksUrl ?? '';
    this.jwksOptions = {
      algorithms: auth.algorithms,
      requiredClaims: ['exp'],
      clockTolerance: auth.clockToleranceSeconds,
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      ...(auth.audience ? { audience: auth.audience } : {}),
    };
    if (auth.jwksUrl) {
      this.jwks = createJwksKeySet(auth.jwksUrl, { cooldownSeconds: auth.jwksCooldownSeconds, timeoutMs: auth.jwksTimeoutMs });
    }
  }

  async onModuleInit(): Promise<void> {
    const secret = this.sharedSecret;
    if (secret) {
      // A non-extractable CryptoKey, imported once. jose would re-import a KeyObject or a
      // Uint8Array into WebCrypto on every verification; a CryptoKey it uses as is.
      this.secretKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret.value), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      if (secret.created) {
        this.logger.warn(`Neither BETTER_AUTH_SECRET nor AUTH_JWKS_URL is set: generated a development token secret in ${secret.path}. Sign a token with it: npm run token -- --sub alice`);
      } else if (secret.source === 'data-dir') {
        this.logger.log(`Verifying HS256 tokens with the development secret in ${secret.path}`);
      }
    }
    const modes = [this.secretKey ? 'HS256 (shared secret)' : undefined, this.jwks ? `JWKS (${[...this.jwksAlgorithms].join(', ')})` : undefined];
    this.logger.log(`Accepting bearer tokens: ${modes.filter(Boolean).join(' and ') || 'none'}`);
  }

  /** The principal of a valid token; throws {@link InvalidTokenError} or {@link JwksUnavailableError}. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const bySecret = this.verifiedSecretTokens.lookup(token, SHARED_SECRET_KEY_SET, now);
    if (bySecret) return bySecret;
    // Read before verifying: if the set changes meanwhile, what is remembered is already stale.
    // Undefined without a JWKS (or with a stale set), where nothing can be remembered.
    const keySet = this.jwks?.currentKeySet;
    if (keySet !== undefined) {
      const byJwks = this.verifiedJwksTokens.lookup(token, keySet, now);
      if (byJwks) return byJwks;
    }

    const { alg } = protectedHeaderOf(token);
    if (alg === 'HS256') {
      // Remembered too: through WebCrypto even an HMAC check is an async job on the thread pool,
      // plus jose's decoding and claim checks (BENCHMARKS.md has what that costs per request).
      if (!this.secretKey) throw new InvalidTokenError('HS256 tokens are not accepted here');
      const claims = await this.verified(token, this.secretKey, this.secretOptions);
      return this.verifiedSecretTokens.remember(token, principalFromClaims(claims, SHARED_SECRET_ISSUER), this.expiresAtMs(claims), SHARED_SECRET_KEY_SET);
    }
    if (!this.jwks || !this.jwksAlgorithms.has(alg)) throw new InvalidTokenError('signing algorithm not accepted');
    const claims = await this.verified(token, this.jwks, this.jwksOptions);
    const principal = principalFromClaims(claims, typeof claims.iss === 'string' ? claims.iss : this.jwksIssuer);
    return this.verifiedJwksTokens.remember(token, principal, this.expiresAtMs(claims), keySet);
  }

  /** When jose would start rejecting the token as expired. `exp` is a required claim, so jose has checked it is a number. */
  private expiresAtMs(claims: JWTPayload): number {
    return ((claims.exp as number) + this.clockToleranceSeconds) * 1000;
  }

  private async verified(token: string, key: KeyInput | JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, options));
    } catch (error) {
      if (error instanceof JwksUnavailableError || error instanceof InvalidTokenError) throw error;
      const description = describeJoseError(error);
      if (description === undefined) {
        // Name and message only: never the token.
        this.logger.warn(`Token verification failed unexpectedly: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      throw new InvalidTokenError(description ?? 'token could not be verified');
    }
    // jose checks a future `iat` only together with maxTokenAge; a token from the future is as
    // suspicious as one not yet valid.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.clockToleranceSeconds) {
      throw new InvalidTokenError('token issued in the future');
    }
    return payload;
  }
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
