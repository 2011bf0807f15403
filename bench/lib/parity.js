/**
 * Keeps the baseline honest: its SQL must be the API's (compared with the built statements) and
 * its answers the API's (same status, same JSON, byte for byte, for the same requests).
 */
import { isDeepStrictEqual } from 'node:util';
import { resolve } from 'node:path';
import { createClient } from './http-client.js';
import { DIST } from './db.js';
import * as copy from './task-sql.js';

/** Statements whose text differs between the built API and bench/lib/task-sql.js. */
export async function sqlDrift() {
  const api = await import(resolve(DIST, 'tasks/task.sql.js'));
  const apiList = await import(resolve(DIST, 'tasks/task-list.query.js'));
  const drift = [];
  for (const name of ['TASK_COLUMNS', 'INSERT_TASK', 'SELECT_TASK', 'TASK_EXISTS', 'UPDATE_TASK']) {
    if (api[name] !== copy[name]) drift.push(name);
  }
  const { toPrefixTsQuery } = await import(resolve(DIST, 'tasks/task-search.js'));
  for (const input of ['Buy mil', 'café  NAÏVE!', 'a:*|b']) if (toPrefixTsQuery(input) !== copy.toPrefixTsQuery(input)) drift.push(`toPrefixTsQuery(${input})`);
  const base = { status: 'all', priorities: [], tags: [], overdue: false };
  const cases = [
    { ownerId: 'u', filter: base, sort: '-createdAt', limit: 21 },
    { ownerId: 'u', filter: { ...base, status: 'open', tags: ['work'] }, sort: 'dueAt', limit: 21, after: { key: '2026-01-01 00:00:00+00', id: '00000000-0000-4000-8000-000000000000' } },
    { ownerId: 'u', filter: { ...base, search: 'rev:*' }, sort: 'relevance', limit: 21, after: { key: '0.1', id: '00000000-0000-4000-8000-000000000000' } },
    { ownerId: 'u', filter: { ...base, priorities: ['high'] }, sort: 'title', limit: 21 },
    { ownerId: 'u', filter: { ...base, dueBefore: '2030-01-01T00:00:00.000000Z', overdue: true }, sort: '-dueAt', limit: 21 },
  ];
  for (const query of cases) {
    if (!isDeepStrictEqual(apiList.buildListTasksQuery(query), copy.buildListTasksQuery(query))) drift.push(`buildListTasksQuery(${query.sort})`);
    if (apiList.listBinding(query.filter, query.sort) !== copy.listBinding(query.filter, query.sort)) drift.push(`listBinding(${query.sort})`);
  }
  return drift;
}

/**
 * Sends the same requests to both servers and lists every difference.
 * @param {{ origin: string }} api
 * @param {{ origin: string }} baseline
 * @param {{ token: string, ids: string[] }} actor
 */
export async function responseDifferences(api, baseline, actor) {
  const clients = [createClient(api.origin), createClient(baseline.origin)];
  const headers = { authorization: `Bearer ${actor.token}` };
  const differences = [];
  const both = (method, path, body) =>
    Promise.all(clients.map((client) => client.send(method, path, body ? { ...headers, 'content-type': 'application/json' } : headers, body)));
  try {
    const paths = ['/api/tasks?limit=20', '/api/tasks?status=open&tag=work&sort=dueAt&limit=20', '/api/tasks?q=review&limit=20', '/api/tasks?q=rev&limit=5', `/api/tasks/${actor.ids[0]}`, '/api/tasks?sort=title&limit=3'];
    for (const path of paths) {
      const [a, b] = await both('GET', path);
      if (a.status !== b.status || a.body !== b.body || a.headers.etag !== b.headers.etag) differences.push(`GET ${path}: ${a.status} ${a.body.slice(0, 120)} ≠ ${b.status} ${b.body.slice(0, 120)}`);
      const cursor = a.status === 200 ? JSON.parse(a.body).nextCursor : null;
      if (cursor) {
        const next = `${path}&cursor=${encodeURIComponent(cursor)}`;
        const [c, d] = await both('GET', next);
        if (c.status !== d.status || c.body !== d.body) differences.push(`GET ${next}: bodies differ`);
      }
    }
    // Writes: compare the shape (keys, types) and the fields that do not depend on the row.
    const body = JSON.stringify({ title: '  Parity check ', tags: ['Work', 'work', 'home'], priority: 'high', dueAt: '2030-01-02T03:04:05.678+01:00' });
    const [c1, c2] = await both('POST', '/api/tasks', body);
    differences.push(...writeDifferences('POST /api/tasks', c1, c2));
    if (c1.status === 201 && c2.status === 201) {
      const patch = JSON.stringify({ completed: true, description: null });
      const [u1, u2] = await Promise.all([
        clients[0].send('PATCH', `/api/tasks/${JSON.parse(c1.body).id}`, { ...headers, 'content-type': 'application/json' }, patch),
        clients[1].send('PATCH', `/api/tasks/${JSON.parse(c2.body).id}`, { ...headers, 'content-type': 'application/json' }, patch),
      ]);
      differences.push(...writeDifferences('PATCH /api/tasks/:id', u1, u2));
    }
  } finally {
    for (const client of clients) client.close();
  }
  return differences;
}

function writeDifferences(label, a, b) {
  if (a.status !== b.status) return [`${label}: status ${a.status} ≠ ${b.status}`];
  const x = JSON.parse(a.body);
  const y = JSON.parse(b.body);
  const stable = (task) => Object.fromEntries(Object.entries(task).map(([key, value]) => [key, ['id', 'createdAt', 'updatedAt', 'completedAt'].includes(key) ? typeof value : value]));
  const out = [];
  if (JSON.stringify(stable(x)) !== JSON.stringify(stable(y))) out.push(`${label}: ${JSON.stringify(stable(x))} ≠ ${JSON.stringify(stable(y))}`);
  if (a.headers.etag !== b.headers.etag) out.push(`${label}: ETag ${a.headers.etag} ≠ ${b.headers.etag}`);
  if (Boolean(a.headers.location) !== Boolean(b.headers.location)) out.push(`${label}: Location header on one side only`);
  return out;
}
