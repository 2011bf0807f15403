import { resolve } from 'node:path';
import { type Environment, EnvReader, InvalidEnvironmentError } from './env-reader.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Asymmetric algorithms Better Auth's JWT plugin can sign with. HS* never belongs here (key confusion). */
export const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export const DEFAULT_JWKS_ALGORITHMS = ['EdDSA', 'ES256', 'RS256', 'PS256'];

export interface DatabaseConfig {
  /** Unset: the app runs an embedded PostgreSQL with its data in `${dataDir}/postgres`. */
  url?: string;
  poolSize: number;
  migrate: boolean;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface AuthConfig {
  jwksUrl?: string;
  algorithms: string[];
  issuer?: string;
  audience?: string[];
  clockToleranceSeconds: number;
  /** After a JWKS fetch, an unknown `kid` triggers no new fetch for this long (rotation vs. flooding). */
  jwksCooldownSeconds: number;
  /** How long a JWKS fetch may take before the request gets a 503. */
  jwksTimeoutMs: number;
  /** How many verified tokens of each kind (HS256, JWKS) are remembered (0: verify every request's signature). */
  tokenCacheSize: number;
  /** Better Auth's shared secret: HS256 tokens signed with it are accepted. */
  sharedSecret?: string;
  /** OAuth authorization servers that issue the tokens, named to MCP clients (RFC 9728 `authorization_servers`). */
  authorizationServers: string[];
}

export interface SyncConfig {
  /** How long changes and tombstones are kept; an older sync token gets 410 Gone. */
  tombstoneRetentionDays: number;
}

export interface RemindersConfig {
  /** Whether this instance fires reminders (any number of instances may: each reminder fires once). */
  enabled: boolean;
  /** How often the poller looks for due reminders. */
  pollMs: number;
}

export interface WebhooksConfig {
  /** Development only: allow webhook URLs on loopback, private and link-local addresses. */
  allowPrivate: boolean;
  /** The first retry's delay; each next one doubles it (up to an hour). */
  retryBaseMs: number;
}

/** Live events, GET /api/events (README, "Live events"). */
export interface EventsConfig {
  /** Open streams one user may hold on one instance (429 past it). */
  streamsPerUser: number;
  /** Open streams one instance holds at most (503 past it). */
  streamsMax: number;
  /** A comment line every this many seconds keeps proxies and idle timeouts off, and re-reads the feed. */
  heartbeatSeconds: number;
  /** Set: wake-ups go through Redis pub/sub (the same REDIS_URL as the rate limits); unset: PostgreSQL LISTEN/NOTIFY. */
  redisUrl?: string;
}

/** HTTP server timeouts (README, "Configuration"). */
export interface HttpTimeoutsConfig {
  /** Receiving a whole request, headers and body; past it a 408 and the connection is closed. */
  requestMs: number;
  /** Receiving the headers (at most requestMs). */
  headersMs: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveMs: number;
  /** A connection with no traffic either way for this long is closed. */
  connectionMs: number;
}

/** Request rate limits (README, "Rate limits and quotas"). */
export interface RateLimitConfig {
  enabled: boolean;
  windowSeconds: number;
  /** Requests per window for each authenticated caller (the token's subject). */
  perUser: number;
  /** Requests per window for each client IP without a valid token (public routes and refused tokens). */
  perIp: number;
  /** Unset: counted in this process's memory; set: shared by every instance through Redis. */
  redisUrl?: string;
}

/** Bounds on what one user may store and run (README, "Rate limits and quotas"). */
export interface LimitsConfig {
  tasksPerUser: number;
  /** The most tasks the unpaged compatibility list returns (the newest ones). */
  compatListMax: number;
  /** Searches (`q=`) one user may have running at once in this instance. */
  searchesPerUser: number;
  /** Batches (POST /api/tasks/batch) one user may have running at once in this instance. */
  batchesPerUser: number;
}

/** Prometheus metrics (README, "Observability"): never served on the API's own port. */
export interface MetricsConfig {
  /** Unset: no metrics endpoint and no per-request measuring at all. */
  port?: number;
  host: string;
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token?: string;
}

export interface AppConfig {
  nodeEnv: (typeof NODE_ENVS)[number];
  isProduction: boolean;
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  corsOrigins: string[];
  bodyLimitBytes: number;
  trustProxy: boolean;
  /** The origin clients reach the API at (PUBLIC_URL); unset, each request's own origin is used. */
  publicUrl?: string;
  shutdownTimeoutMs: number;
  timeouts: HttpTimeoutsConfig;
  /** Where local state lives: the embedded database, the generated development secret. */
  dataDir: string;
  database: DatabaseConfig;
  auth: AuthConfig;
  rateLimit: RateLimitConfig;
  limits: LimitsConfig;
  reminders: RemindersConfig;
  webhooks: WebhooksConfig;
  sync: SyncConfig;
  events: EventsConfig;
  metrics: MetricsConfig;
  /** OTLP endpoint for OpenTelemetry traces; unset, nothing of OpenTelemetry is loaded. */
  otlpEndpoint?: string;
}

/**
 * Validates the environment once, at start-up. Development gets safe defaults; production refuses
 * to start on anything missing or malformed, with one line naming every variable at fault.
 * Hand-written rather than class-validator so that defaults can depend on NODE_ENV and the
 * message can say exactly which variable is wrong without echoing (possibly secret) values.
 */
export function loadConfig(env: Environment): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const isProduction = nodeEnv === 'production';

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:'], { required: isProduction });
  const sharedSecret = read.string('BETTER_AUTH_SECRET', { minLength: isProduction ? 32 : 16, maxLength: 512 });
  const jwksUrl = read.url('AUTH_JWKS_URL', ['https:', 'http:']);
  const algorithms = read.list('AUTH_ALGORITHMS');
  const unknownAlgorithms = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (unknownAlgorithms.length > 0) {
    read.problems.push(`AUTH_ALGORITHMS may only list ${ASYMMETRIC_ALGORITHMS.join(', ')} (got ${unknownAlgorithms.join(', ')})`);
  }
  if (isProduction && !sharedSecret && !jwksUrl) {
    read.problems.push('set AUTH_JWKS_URL or BETTER_AUTH_SECRET (or both): production needs a way to verify tokens');
  }
  const audience = read.list('AUTH_AUDIENCE');
  const publicUrl = read.url('PUBLIC_URL', ['https:', 'http:']);
  if (publicUrl !== undefined && new URL(publicUrl).href !== `${new URL(publicUrl).origin}/`) {
    read.problems.push('PUBLIC_URL must be an origin such as https://tasks.example.com (no path, query or fragment)');
  }

  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const metricsPort = read.string('METRICS_PORT') === undefined ? undefined : read.integer('METRICS_PORT', 0, 0, 65535);

  const config: AppConfig = {
    nodeEnv,
    isProduction,
    host: read.string('HOST', { maxLength: 255 }) ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    port: read.integer('PORT', 3000, 0, 65535),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    corsOrigins: read.list('CORS_ORIGINS'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024),
    trustProxy: read.boolean('TRUST_PROXY', false),
    publicUrl: publicUrl === undefined ? undefined : new URL(publicUrl).origin,
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 25_000, 1_000, 600_000),
    timeouts: {
      requestMs: read.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      headersMs: read.integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      keepAliveMs: read.integer('KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 600_000),
      connectionMs: read.integer('CONNECTION_TIMEOUT_MS', 60_000, 100, 3_600_000),
    },
    dataDir: resolve(read.string('DATA_DIR') ?? '.data'),
    database: {
      url: databaseUrl,
      poolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 500),
      migrate: read.boolean('DATABASE_MIGRATE', true),
      statementTimeoutMs: read.integer('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
      connectTimeoutMs: read.integer('DATABASE_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    },
    auth: {
      jwksUrl,
      algorithms: algorithms.length > 0 ? algorithms : DEFAULT_JWKS_ALGORITHMS,
      issuer: read.string('AUTH_ISSUER', { maxLength: 2048 }),
      audience: audience.length > 0 ? audience : undefined,
      clockToleranceSeconds: read.integer('AUTH_CLOCK_TOLERANCE', 30, 0, 600),
      jwksCooldownSeconds: read.integer('AUTH_JWKS_COOLDOWN', 30, 0, 3600),
      jwksTimeoutMs: read.integer('AUTH_JWKS_TIMEOUT_MS', 5_000, 100, 60_000),
      tokenCacheSize: read.integer('AUTH_TOKEN_CACHE_SIZE', 10_000, 0, 1_000_000),
      sharedSecret,
      authorizationServers: read.urlList('AUTH_AUTHORIZATION_SERVERS', ['https:', 'http:']),
    },
    rateLimit: {
      enabled: read.boolean('RATE_LIMIT_ENABLED', true),
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
      perUser: read.integer('RATE_LIMIT_PER_USER', 600, 1, 10_000_000),
      perIp: read.integer('RATE_LIMIT_PER_IP', 120, 1, 10_000_000),
      redisUrl,
    },
    limits: {
      tasksPerUser: read.integer('TASKS_PER_USER_MAX', 100_000, 1, 100_000_000),
      compatListMax: read.integer('COMPAT_LIST_MAX', 1_000, 1, 100_000),
      searchesPerUser: read.integer('SEARCHES_PER_USER_MAX', 2, 1, 100),
      batchesPerUser: read.integer('BATCHES_PER_USER_MAX', 2, 1, 100),
    },
    sync: {
      tombstoneRetentionDays: read.integer('SYNC_TOMBSTONE_RETENTION_DAYS', 30, 1, 3650),
    },
    events: {
      streamsPerUser: read.integer('EVENT_STREAMS_PER_USER', 5, 1, 1000),
      streamsMax: read.integer('EVENT_STREAMS_MAX', 10_000, 1, 1_000_000),
      heartbeatSeconds: read.integer('EVENTS_HEARTBEAT_SECONDS', 15, 1, 300),
      redisUrl,
    },
    reminders: {
      enabled: read.boolean('REMINDERS_ENABLED', true),
      pollMs: read.integer('REMINDER_POLL_MS', 1_000, 10, 60_000),
    },
    webhooks: {
      allowPrivate: read.boolean('WEBHOOK_ALLOW_PRIVATE', false),
      retryBaseMs: read.integer('WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000),
    },
    metrics: {
      port: metricsPort,
      host: read.string('METRICS_HOST', { maxLength: 255 }) ?? '127.0.0.1',
      token: read.string('METRICS_TOKEN', { minLength: 16, maxLength: 512 }),
    },
    otlpEndpoint: read.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['https:', 'http:']),
  };

  if (metricsPort !== undefined && metricsPort === config.port && metricsPort !== 0) read.problems.push('METRICS_PORT must differ from PORT: metrics are never served on the API');
  if (config.timeouts.headersMs > config.timeouts.requestMs) read.problems.push('HEADERS_TIMEOUT_MS may not exceed REQUEST_TIMEOUT_MS');
  if (read.problems.length > 0) throw new InvalidEnvironmentError(read.problems);
  return config;
}
