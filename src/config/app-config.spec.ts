import { describe, expect, it } from 'vitest';
import { loadConfig } from './app-config.js';
import { InvalidEnvironmentError } from './env-reader.js';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://app:pw@db:5432/tasks',
  BETTER_AUTH_SECRET: 'a'.repeat(32),
};

describe('loadConfig', () => {
  it('starts in development with no variables at all, on safe defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ nodeEnv: 'development', port: 3000, host: '127.0.0.1', bodyLimitBytes: 102_400, corsOrigins: [] });
    expect(config.database).toMatchObject({ url: undefined, poolSize: 10, migrate: true });
    expect(config.auth.algorithms).toEqual(['EdDSA', 'ES256', 'RS256', 'PS256']);
    expect(config.sync).toEqual({ tombstoneRetentionDays: 30 });
  });

  it('reads the sync settings, and refuses a retention outside 1–3650 days', () => {
    expect(loadConfig({ SYNC_TOMBSTONE_RETENTION_DAYS: '7' }).sync.tombstoneRetentionDays).toBe(7);
    expect(() => loadConfig({ SYNC_TOMBSTONE_RETENTION_DAYS: '0' })).toThrow(/SYNC_TOMBSTONE_RETENTION_DAYS/);
  });

  it('parses and types every value', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_MIGRATE: 'false',
      DATABASE_POOL_SIZE: '25',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      AUTH_ALGORITHMS: 'EdDSA,ES256',
      AUTH_AUDIENCE: 'https://app.example',
      PUBLIC_URL: 'https://tasks.example/',
      AUTH_AUTHORIZATION_SERVERS: 'https://auth.example, https://login.example/tenant',
    });
    expect(config.port).toBe(8080);
    expect(config.database.migrate).toBe(false);
    expect(config.database.poolSize).toBe(25);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.auth.algorithms).toEqual(['EdDSA', 'ES256']);
    expect(config.auth.audience).toEqual(['https://app.example']);
    expect(config.publicUrl).toBe('https://tasks.example');
    expect(config.auth.authorizationServers).toEqual(['https://auth.example', 'https://login.example/tenant']);
  });

  it('accepts a complete production environment and binds to all interfaces there', () => {
    expect(loadConfig(production).host).toBe('0.0.0.0');
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }, /DATABASE_URL is required/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL starting with postgres:\/\//],
    ['PORT', { PORT: 'eighty' }, /PORT must be an integer from 0 to 65535/],
    ['BETTER_AUTH_SECRET', { BETTER_AUTH_SECRET: 'short' }, /BETTER_AUTH_SECRET must be at least 32 characters long/],
    ['verification', { BETTER_AUTH_SECRET: undefined }, /set AUTH_JWKS_URL or BETTER_AUTH_SECRET/],
    ['AUTH_ALGORITHMS', { AUTH_ALGORITHMS: 'HS256' }, /AUTH_ALGORITHMS may only list/],
    ['DATABASE_MIGRATE', { DATABASE_MIGRATE: 'maybe' }, /DATABASE_MIGRATE must be true or false/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://tasks.example/api' }, /PUBLIC_URL must be an origin/],
    ['AUTH_AUTHORIZATION_SERVERS', { AUTH_AUTHORIZATION_SERVERS: 'https://auth.example,ftp://x' }, /AUTH_AUTHORIZATION_SERVERS must be a URL starting with https:\/\/ or http:\/\//],
  ])('in production, refuses a missing or malformed %s with one line naming it', (_name, override, message) => {
    const attempt = () => loadConfig({ ...production, ...override });
    expect(attempt).toThrow(InvalidEnvironmentError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names every bad variable at once, and never echoes a secret', () => {
    const secret = 'short-secret-value';
    let message = '';
    try {
      loadConfig({ ...production, PORT: '-1', BETTER_AUTH_SECRET: secret, DATABASE_POOL_SIZE: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/BETTER_AUTH_SECRET/);
    expect(message).toMatch(/DATABASE_POOL_SIZE/);
    expect(message).not.toContain(secret);
  });
});
