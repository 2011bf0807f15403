/**
 * The raw baseline: the floor for Node on this machine. node:http + pg + jose and nothing else,
 * serving the API's task endpoints with the same SQL (bench/lib/task-sql.js, copied from
 * src/tasks), the same JSON and the same status codes for the requests the benchmark makes:
 *
 *   GET /api/tasks (status, priority, tag, q, sort, limit, cursor)   GET /api/tasks/:id
 *   POST /api/tasks                                                    PATCH /api/tasks/:id
 *
 * It verifies the same HS256 token (jose, the secret imported once, a verified token remembered
 * until it expires, as the API does), validates its input by hand (cheaply, but it does), and
 * answers errors with a small problem+json. What it leaves out on purpose is what a framework
 * adds: per-request logging, security headers, request ids, DTO classes, dependency injection, an
 * ORM.
 *
 *   PORT=3100 DATABASE_URL=postgres://… BETTER_AUTH_SECRET=… [DATABASE_POOL_SIZE=10] [BASELINE_TOKEN_CACHE_SIZE=10000] node bench/baseline-server.js
 */
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { decodeCursor, encodeCursor } from './lib/task-cursor.js';
import { INSERT_TASK, SELECT_TASK, TASK_EXISTS, UPDATE_TASK, buildListTasksQuery, listBinding, toPrefixTsQuery } from './lib/task-sql.js';

const env = process.env;
const port = Number(env.PORT ?? 3100);
const statementTimeoutMs = Number(env.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000);
// The same pool options as the API (src/database/data-source-options.ts).
const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DATABASE_POOL_SIZE ?? 10),
  connectionTimeoutMillis: Number(env.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000),
  application_name: 'tasks-bench-baseline',
  statement_timeout: statementTimeoutMs,
  idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  query_timeout: statementTimeoutMs + 2_000,
  keepAlive: true,
  idleTimeoutMillis: 30_000,
});
pool.on('error', () => undefined);

// The key is imported once. A WebCrypto CryptoKey by default: it is jose's fastest path, and the
// API's (src/auth/token-verifier.ts). BASELINE_HS256_KEY=keyobject hands jose a node:crypto
// KeyObject instead, which jose 6 on Node 20 verifies about 1.8× slower (measured: 57 µs vs 32 µs
// of CPU per verification); a floor must not be slower than the API at the same step.
const secretBytes = new TextEncoder().encode(env.BETTER_AUTH_SECRET ?? '');
const secret =
  env.BASELINE_HS256_KEY === 'keyobject'
    ? createSecretKey(secretBytes)
    : await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const verifyOptions = { algorithms: ['HS256'], requiredClaims: ['exp'], clockTolerance: 30 };
// The same work as the API, which remembers a verified token until it expires (its
// AUTH_TOKEN_CACHE_SIZE, default 10,000; src/auth/verified-token-cache.ts). A floor that verified
// every request while the API does not would flatter the API's ratios. BASELINE_TOKEN_CACHE_SIZE=0
// verifies every request, as both did before the API's HS256 cache.
const tokenCacheSize = Number(env.BASELINE_TOKEN_CACHE_SIZE ?? 10_000);
const verifiedTokens = new Map();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const PRIORITIES = ['none', 'low', 'medium', 'high'];
const STATUSES = ['all', 'open', 'completed'];
const SORT_FIELDS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'];
const SORTS = new Set([...SORT_FIELDS.flatMap((field) => [field, `-${field}`]), 'relevance']);
const FIELDS = new Set(['title', 'description', 'completed', 'priority', 'tags', 'dueAt']);

class HttpError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function send(response, status, body, headers = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Source of the shape: TaskResponse.from in src/tasks/dto/task.response.ts (timestamps come formatted from SQL). */
function taskJson(row) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    completedAt: row.completedAt,
    priority: row.priority,
    tags: row.tags,
    dueAt: row.dueAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function ownerOf(request) {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw new HttpError(401, 'missing bearer token');
  const token = header.slice(7);
  const remembered = verifiedTokens.get(token);
  if (remembered !== undefined && Date.now() < remembered.expiresAtMs) return remembered.sub;
  try {
    const { payload } = await jwtVerify(token, secret, verifyOptions);
    if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 255) throw new Error('bad sub');
    if (tokenCacheSize > 0) {
      if (verifiedTokens.size >= tokenCacheSize) verifiedTokens.delete(verifiedTokens.keys().next().value);
      verifiedTokens.set(token, { sub: payload.sub, expiresAtMs: (payload.exp + verifyOptions.clockTolerance) * 1000 });
    }
    return payload.sub;
  } catch {
    throw new HttpError(401, 'invalid token');
  }
}

function readJson(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 102_400) reject(new HttpError(413, 'body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'malformed JSON'));
      }
    });
    request.on('error', reject);
  });
}

function normalizeTags(tags) {
  if (!Array.isArray(tags) || tags.length > 20) throw new HttpError(400, 'tags must be an array of at most 20');
  const seen = new Set();
  const result = [];
  for (const tag of tags) {
    if (typeof tag !== 'string') throw new HttpError(400, 'each tag must be a string');
    const trimmed = tag.trim();
    if (trimmed.length < 1 || trimmed.length > 40) throw new HttpError(400, 'each tag must be 1 to 40 characters long');
    const key = trimmed.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(trimmed);
  }
  return result;
}

function instant(value) {
  if (value === null) return null;
  if (typeof value !== 'string' || !RFC3339.test(value) || !Number.isFinite(Date.parse(value))) throw new HttpError(400, 'dueAt must be an RFC 3339 date-time');
  return new Date(value).toISOString();
}

/** The fields of a create (all rules) or a patch (only the fields sent). */
function taskFields(body, partial) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) throw new HttpError(400, `property ${key} should not exist`);
  const fields = {};
  if (body.title !== undefined || !partial) {
    const title = typeof body.title === 'string' ? body.title.trim() : undefined;
    if (title === undefined || title.length < 1 || title.length > 200) throw new HttpError(400, 'title must be 1 to 200 characters long');
    fields.title = title;
  }
  if (body.description !== undefined) {
    if (body.description !== null && (typeof body.description !== 'string' || body.description.length > 1000)) throw new HttpError(400, 'description must be at most 1000 characters');
    fields.description = body.description;
  }
  if (body.completed !== undefined) {
    if (typeof body.completed !== 'boolean') throw new HttpError(400, 'completed must be a boolean');
    fields.completed = body.completed;
  }
  if (body.priority !== undefined) {
    if (!PRIORITIES.includes(body.priority)) throw new HttpError(400, 'priority must be one of none, low, medium, high');
    fields.priority = body.priority;
  }
  if (body.tags !== undefined) fields.tags = normalizeTags(body.tags);
  if (body.dueAt !== undefined) fields.dueAt = instant(body.dueAt);
  return fields;
}

async function listTasks(owner, params) {
  const status = params.get('status') ?? 'all';
  if (!STATUSES.includes(status)) throw new HttpError(400, 'status must be one of all, open, completed');
  const priorities = params.getAll('priority');
  if (priorities.some((priority) => !PRIORITIES.includes(priority))) throw new HttpError(400, 'priority must be one of none, low, medium, high');
  const tags = params.getAll('tag').map((tag) => tag.trim());
  if (tags.length > 20 || tags.some((tag) => tag.length < 1 || tag.length > 40)) throw new HttpError(400, 'tag must be 1 to 40 characters long');
  const q = params.get('q');
  if (q !== null && (q.length > 200 || !/[\p{L}\p{N}]/u.test(q))) throw new HttpError(400, 'q must contain a letter or digit');
  const filter = { status, priorities, tags, search: q === null ? undefined : toPrefixTsQuery(q), dueBefore: undefined, dueAfter: undefined, overdue: false };
  const sort = params.get('sort') ?? (filter.search ? 'relevance' : '-createdAt');
  if (!SORTS.has(sort) || (sort === 'relevance' && !filter.search)) throw new HttpError(400, 'invalid sort');
  const limitText = params.get('limit');
  const limit = limitText === null ? 20 : /^\d{1,6}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 100)) throw new HttpError(400, 'limit must be an integer from 1 to 100');
  const binding = listBinding(filter, sort);
  const cursor = params.get('cursor');
  const after = cursor === null ? undefined : decodeCursor(cursor, binding);
  if (cursor !== null && after === undefined) throw new HttpError(400, 'invalid cursor');
  const { sql, parameters } = buildListTasksQuery({ ownerId: owner, filter, sort, after, limit: limit + 1 });
  const { rows } = await pool.query(sql, parameters);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(binding, { key: last.sortKey, id: last.id }) : null;
  return { items: page.map(taskJson), nextCursor };
}

async function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health/ready' || url.pathname === '/health/live') return send(response, 200, { status: 'ok' });
  const match = /^\/api\/tasks(?:\/([^/]+))?\/?$/.exec(url.pathname);
  if (!match) throw new HttpError(404, 'not found');
  const owner = await ownerOf(request);
  const id = match[1];
  if (id === undefined) {
    if (request.method === 'GET') return send(response, 200, await listTasks(owner, url.searchParams));
    if (request.method === 'POST') {
      const fields = taskFields(await readJson(request), false);
      const { rows } = await pool.query(INSERT_TASK, [owner, fields.title, fields.description ?? null, fields.completed ?? false, fields.priority ?? 'none', fields.tags ?? [], fields.dueAt ?? null]);
      const task = taskJson(rows[0]);
      return send(response, 201, task, { location: `/api/tasks/${task.id}`, etag: `"${task.version}"` });
    }
    throw new HttpError(405, 'method not allowed');
  }
  if (!UUID.test(id)) throw new HttpError(400, 'id must be a UUID');
  if (request.method === 'GET') {
    const { rows } = await pool.query(SELECT_TASK, [owner, id]);
    if (rows.length === 0) throw new HttpError(404, `There is no task ${id}.`);
    const task = taskJson(rows[0]);
    return send(response, 200, task, { etag: `"${task.version}"` });
  }
  if (request.method === 'PATCH') {
    const fields = taskFields(await readJson(request), true);
    const { rows } = await pool.query(UPDATE_TASK, [
      owner, id, fields.title ?? null, fields.description !== undefined, fields.description ?? null, fields.completed ?? null,
      fields.priority ?? null, fields.tags ?? null, fields.dueAt !== undefined, fields.dueAt ?? null, null,
    ]);
    if (rows.length === 0) throw new HttpError(404, `There is no task ${id}.`);
    const task = taskJson(rows[0]);
    return send(response, 200, task, { etag: `"${task.version}"` });
  }
  throw new HttpError(405, 'method not allowed');
}

// Kept only to mirror the API's statement set; the benchmark never sends If-Match.
void TASK_EXISTS;

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(error);
    if (!response.headersSent) send(response, status, { type: 'about:blank', title: 'Error', status, detail: error instanceof Error ? error.message : String(error) });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => console.log(`baseline listening on http://127.0.0.1:${port}`));

const stop = () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
