import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

export const DEV_SECRET_FILE = 'auth-secret';
const MIN_SECRET_LENGTH = 32;

export interface SharedSecret {
  value: string;
  /** `environment`: BETTER_AUTH_SECRET; `data-dir`: the development secret kept in `path`. */
  source: 'environment' | 'data-dir';
  path?: string;
  /** True when this call generated the development secret. */
  created: boolean;
}

/**
 * The HS256 secret, resolved the same way by the app and by `npm run token`: BETTER_AUTH_SECRET
 * when set; otherwise, outside production and with no JWKS configured either, a random secret
 * generated once and kept in `<dataDir>/auth-secret` (mode 0600) so tokens survive restarts.
 * `undefined` means HS256 tokens are not accepted (JWKS only).
 */
export function resolveSharedSecret(config: Pick<AppConfig, 'auth' | 'dataDir' | 'isProduction'>): SharedSecret | undefined {
  if (config.auth.sharedSecret) return { value: config.auth.sharedSecret, source: 'environment', created: false };
  if (config.isProduction || config.auth.jwksUrl) return undefined;

  const path = join(config.dataDir, DEV_SECRET_FILE);
  const existing = readSecretFile(path);
  if (existing) return { value: existing, source: 'data-dir', path, created: false };

  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64url');
  try {
    // 'wx': if another process created it in the meantime, use theirs rather than overwrite it.
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const theirs = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readSecretFile(path) : undefined;
    if (theirs) return { value: theirs, source: 'data-dir', path, created: false };
    throw error;
  }
  return { value, source: 'data-dir', path, created: true };
}

function readSecretFile(path: string): string | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (content.length < MIN_SECRET_LENGTH) throw new Error(`${path} holds no usable secret (under ${MIN_SECRET_LENGTH} characters): delete it to have a new one generated`);
  return content;
}
