import { SignJWT } from 'jose';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MAX_USER_ID_LENGTH } from '../auth/principal.js';
import { resolveSharedSecret } from '../auth/shared-secret.js';
import { loadConfig } from '../config/app-config.js';
import type { Environment } from '../config/env-reader.js';
import { processEnvironment } from '../config/environment.js';

const USAGE = `Usage: npm run -s token -- --sub <user id> [--email <email>] [--name <name>] [--ttl <duration>]

Prints a development HS256 token for this API, signed with the same secret the API verifies with
(BETTER_AUTH_SECRET from the environment or .env; otherwise the development secret in
<DATA_DIR>/auth-secret, generated if needed). Refused when NODE_ENV=production.

  --sub    the user id (required, 1-255 characters)
  --email  the email claim
  --name   the name claim
  --ttl    lifetime, e.g. 15m, 1h, 7d (default 1h)

Example: TOKEN=$(npm run -s token -- --sub alice) && curl -H "Authorization: Bearer $TOKEN" localhost:3000/api/me`;

/** A mistake in how the command was called: the usage goes with the message. */
export class UsageError extends Error {}

export interface DevToken {
  token: string;
  /** Something worth telling the user on stderr, e.g. that a secret was generated. */
  notice?: string;
}

/** Signs a development token for the arguments, with the secret the API would use under `env`. */
export async function devToken(args: string[], env: Environment): Promise<DevToken> {
  if (env.NODE_ENV === 'production') throw new Error('npm run token is a development tool and refuses to run with NODE_ENV=production.');
  let values: { sub?: string; email?: string; name?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: { sub: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, ttl: { type: 'string', default: '1h' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const sub = values.sub?.trim();
  if (!sub) throw new UsageError('--sub is required');
  if (sub.length > MAX_USER_ID_LENGTH) throw new UsageError(`--sub must be at most ${MAX_USER_ID_LENGTH} characters`);

  const config = loadConfig(env);
  const secret = resolveSharedSecret(config);
  if (!secret) {
    throw new Error('BETTER_AUTH_SECRET is not set and AUTH_JWKS_URL is: this API only accepts tokens from your Better Auth server. Set BETTER_AUTH_SECRET to use development tokens.');
  }

  const claims: Record<string, string> = {};
  if (values.email) claims.email = values.email;
  if (values.name) claims.name = values.name;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt();
  try {
    jwt.setExpirationTime(values.ttl ?? '1h');
  } catch {
    throw new UsageError(`--ttl must be a duration such as 15m, 1h or 7d (got "${values.ttl}")`);
  }
  const token = await jwt.sign(new TextEncoder().encode(secret.value));
  const notice = secret.created ? `Generated a development secret in ${secret.path}; the API uses it too (restart it if it is running).` : undefined;
  return { token, notice };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  devToken(process.argv.slice(2), processEnvironment()).then(
    ({ token, notice }) => {
      if (notice) process.stderr.write(`${notice}\n`);
      process.stdout.write(`${token}\n`);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError && message === '') {
        process.stdout.write(`${USAGE}\n`); // --help
      } else {
        process.stderr.write(error instanceof UsageError ? `${message}\n\n${USAGE}\n` : `${message}\n`);
        process.exitCode = error instanceof UsageError ? 2 : 1;
      }
    },
  );
}
