/**
 * The raw baseline: the floor for Node on this machine. node:http + pg + jose, serving the task
 * endpoints the benchmark calls (GET/POST /api/tasks, GET/PATCH /api/tasks/:id) with the built API's
 * own statements, list planning, cursors and response mapping (from dist/), so both servers make the
 * database do the same work and answer the same JSON. It verifies the same HS256 token as the API
 * does (jose, a WebCrypto key imported once, verified tokens remembered until they expire),
 * validates its input by hand (cheaply, but it does) and answers errors with a small problem+json.
 * What it leaves out is what a framework adds: per-request logging, security headers, request ids,
 * DTO classes, dependency injection, an ORM.
 *
 *   PORT=3100 DATABASE_URL=postgres://… BETTER_AUTH_SECRET=… node bench/baseline-server.js
 */
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { encodeCursor } from '../dist/tasks/task-cursor.js';
import { planTaskList } from '../dist/tasks/task-list.query.js';
import { searchWordStatsStatement } from '../dist/tasks/task-list.statements.js';
import { insertTaskStatement, selectTaskStatement, updateTaskStatement } from '../dist/tasks/task.statements.js';

/** The bench's tasks do not recur (the API's NO_SCHEDULE, whose module needs Nest). */
const NO_SCHEDULE = { recurrence: null, timeZone: null, recurrenceBase: 'due', recurrenceAnchor: null, recurrenceDone: 0 };

// The API's defaults: pool, timeouts (src/database/data-source-options.ts) and token cache size.
const TIMEOUT_MS = 10_000;
const TOKEN_CACHE_SIZE = 10_000;
// The API's default TASKS_PER_USER_MAX: the baseline runs the same insert, quota check included.
const TASKS_PER_USER_MAX = 100_000;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5_000, application_name: 'tasks-bench-baseline', keepAlive: true,
  idleTimeoutMillis: 30_000, statement_timeout: TIMEOUT_MS, idle_in_transaction_session_timeout: TIMEOUT_MS * 2, query_timeout: TIMEOUT_MS + 2_000,
});
pool.on('error', () => undefined);

const secretBytes = new TextEncoder().encode(process.env.BETTER_AUTH_SECRET ?? '');
const secret = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const verifyOptions = { algorithms: ['HS256'], requiredClaims: ['exp'], clockTolerance: 30 };
const verifiedTokens = new Map();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const PRIORITIES = ['none', 'low', 'medium', 'high'];
const SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'].flatMap((field) => [field, `-${field}`]).concat('relevance');
const FIELDS = new Set(['title', 'description', 'completed', 'priority', 'tags', 'dueAt']);

const fail = (status, detail) => Object.assign(new Error(detail), { status });
const check = (ok, status, detail) => {
  if (!ok) throw fail(status, detail);
};

function send(response, status, body, headers = {}) {
  const text = JSON.stringify(body);
  const type = status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8';
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function ownerOf(request) {
  const header = request.headers.authorization;
  check(typeof header === 'string' && header.startsWith('Bearer '), 401, 'missing bearer token');
  const token = header.slice(7);
  const remembered = verifiedTokens.get(token);
  if (remembered !== undefined && Date.now() < remembered.expiresAtMs) return remembered.sub;
  const { payload } = await jwtVerify(token, secret, verifyOptions).catch(() => ({ payload: {} }));
  check(typeof payload.sub === 'string' && payload.sub !== '' && payload.sub.length <= 255, 401, 'invalid token');
  if (verifiedTokens.size >= TOKEN_CACHE_SIZE) verifiedTokens.delete(verifiedTokens.keys().next().value);
  verifiedTokens.set(token, { sub: payload.sub, expiresAtMs: (payload.exp + verifyOptions.clockTolerance) * 1000 });
  return payload.sub;
}

function readJson(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 102_400) reject(fail(413, 'body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(fail(400, 'malformed JSON'));
      }
    });
    request.on('error', reject);
  });
}

/** Trimmed, at most 20, 1–40 characters each, duplicates (ignoring case) dropped. */
function tagsOf(tags) {
  check(Array.isArray(tags) && tags.length <= 20, 400, 'tags must be an array of at most 20');
  const seen = new Set();
  const result = [];
  for (const tag of tags) {
    check(typeof tag === 'string', 400, 'each tag must be a string');
    const trimmed = tag.trim();
    check(trimmed.length >= 1 && trimmed.length <= 40, 400, 'each tag must be 1 to 40 characters long');
    if (seen.has(trimmed.toLowerCase())) continue;
    seen.add(trimmed.toLowerCase());
    result.push(trimmed);
  }
  return result;
}

/** The fields of a create (all rules) or of a patch (only the fields sent: undefined means not sent). */
function taskFields(body, partial) {
  check(typeof body === 'object' && body !== null && !Array.isArray(body), 400, 'the body must be a JSON object');
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) throw fail(400, `property ${key} should not exist`);
  const { title, description, completed, priority, tags, dueAt } = body;
  const trimmedTitle = typeof title === 'string' ? title.trim() : title;
  if (title !== undefined || !partial) check(typeof trimmedTitle === 'string' && trimmedTitle.length >= 1 && trimmedTitle.length <= 200, 400, 'title must be 1 to 200 characters long');
  check(description === undefined || description === null || (typeof description === 'string' && description.length <= 1000), 400, 'description must be at most 1000 characters');
  check(completed === undefined || typeof completed === 'boolean', 400, 'completed must be a boolean');
  check(priority === undefined || PRIORITIES.includes(priority), 400, 'priority must be one of none, low, medium, high');
  check(dueAt === undefined || dueAt === null || (typeof dueAt === 'string' && RFC3339.test(dueAt) && Number.isFinite(Date.parse(dueAt))), 400, 'dueAt must be an RFC 3339 date-time');
  const instant = typeof dueAt === 'string' ? new Date(dueAt).toISOString() : dueAt;
  return { title: trimmedTitle, description, completed, priority, tags: tags === undefined ? undefined : tagsOf(tags), dueAt: instant };
}

/** The list query as the API's DTO holds it once validated (src/tasks/dto/list-tasks-query.dto.ts). */
function listQuery(params) {
  const one = (name) => params.get(name) ?? undefined;
  const query = { status: one('status'), priority: params.getAll('priority'), tag: params.getAll('tag').map((tag) => tag.trim()), q: one('q'), sort: one('sort'), cursor: one('cursor') };
  check(query.status === undefined || ['all', 'open', 'completed'].includes(query.status), 400, 'status must be one of all, open, completed');
  check(query.priority.every((priority) => PRIORITIES.includes(priority)), 400, 'priority must be one of none, low, medium, high');
  check(query.tag.length <= 20 && query.tag.every((tag) => tag.length >= 1 && tag.length <= 40), 400, 'tag must be 1 to 40 characters long');
  check(query.q === undefined || (query.q.length <= 200 && /[\p{L}\p{N}]/u.test(query.q)), 400, 'q must contain a letter or digit');
  check(query.sort === undefined || SORTS.includes(query.sort), 400, 'invalid sort');
  const limit = one('limit');
  check(limit === undefined || (/^\d{1,6}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100), 400, 'limit must be an integer from 1 to 100');
  return { ...query, limit: limit === undefined ? undefined : Number(limit) };
}

// The search word statistics the API reads (it refreshes them every ten minutes; a bench run is shorter).
const wordStats = (await pool.query(searchWordStatsStatement().text)).rows[0];

async function listTasks(owner, params) {
  const { statement, pageSize, binding } = planTaskList(owner, listQuery(params), new Date(), wordStats);
  const { rows } = await pool.query(statement.text, statement.values);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const nextCursor = rows.length > pageSize && last ? encodeCursor(binding, { key: last.sortKey, id: last.id }) : null;
  // A row's columns are the response's fields in its order (TASK_COLUMNS): the floor sends them as
  // they come, less the list's sort key; the parity check proves the bytes equal the API's.
  return { items: page.map(withoutSortKey), nextCursor };
}

function withoutSortKey(row) {
  const task = { ...row };
  delete task.sortKey;
  return task;
}

/** Sends the one task a statement returned, or a 404 when it matched none. */
async function sendTask(response, statement, status, id) {
  const { rows } = await pool.query(statement.text, statement.values);
  check(rows.length === 1, 404, `There is no task ${id}.`);
  const task = rows[0];
  send(response, status, task, { etag: `"${task.version}"`, ...(status === 201 ? { location: `/api/tasks/${task.id}` } : {}) });
}

async function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/health/ready' || url.pathname === '/health/live') return send(response, 200, { status: 'ok' });
  const match = /^\/api\/tasks(?:\/([^/]+))?\/?$/.exec(url.pathname);
  check(match !== null, 404, 'not found');
  const ownerId = await ownerOf(request);
  const id = match[1];
  if (id === undefined) {
    if (request.method === 'GET') return send(response, 200, await listTasks(ownerId, url.searchParams));
    check(request.method === 'POST', 405, 'method not allowed');
    const { title, description = null, completed = false, priority = 'none', tags = [], dueAt = null } = taskFields(await readJson(request), false);
    return sendTask(response, insertTaskStatement({ ownerId, title, description, completed, priority, tags, dueAt, ...NO_SCHEDULE }, TASKS_PER_USER_MAX), 201);
  }
  check(UUID.test(id), 400, 'id must be a UUID');
  if (request.method === 'GET') return sendTask(response, selectTaskStatement({ ownerId, id }), 200, id);
  check(request.method === 'PATCH', 405, 'method not allowed');
  const changes = taskFields(await readJson(request), true);
  return sendTask(response, updateTaskStatement({ ownerId, id, changes, allowedVersions: null }), 200, id);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    // planTaskList throws the API's 400 problem for a cursor from another list or a relevance sort without q.
    const status = error.getStatus?.() ?? error.status ?? 500;
    if (status === 500) console.error(error);
    if (!response.headersSent) send(response, status, { type: 'about:blank', title: 'Error', status, detail: error instanceof Error ? error.message : String(error) });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');

// Nothing to drain: the bench stops it between measurements, and PostgreSQL ends its backends when the sockets close.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
