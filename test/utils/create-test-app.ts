import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createApp } from '../../src/app.setup.js';
import type { Environment } from '../../src/config/env-reader.js';

/** The shared secret test tokens are signed with (see tokens.ts). */
export const TEST_AUTH_SECRET = 'test-secret-for-hs256-tokens-0123456789abcdef';

/**
 * Boots the real application (createApp: the same parsers, limits, pipes, filters and guards as
 * production) against this run's test database. `env` overrides single variables.
 */
export async function createTestApp(env: Environment = {}): Promise<NestFastifyApplication> {
  const app = await createApp({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: inject('databaseUrl'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tasks-api-data-')),
    BETTER_AUTH_SECRET: TEST_AUTH_SECRET,
    ...env,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
