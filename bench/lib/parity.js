/**
 * Keeps the baseline honest: for the same requests it must answer as the API does (same status, same
 * JSON byte for byte, same ETag). Its statements are the API's own (baseline-server.js imports them).
 */
import { createClient } from './client.js';
import { MCP_LIST_REQUEST } from './requests.js';

const READS = ['/api/tasks?limit=20', '/api/tasks?status=open&tag=work&sort=dueAt&limit=20', '/api/tasks?q=review&limit=20', '/api/tasks?q=rev&limit=5', '/api/tasks?sort=title&limit=3'];
// Fields a write sets from the clock or a fresh id: compared by type only.
const VOLATILE = ['id', 'createdAt', 'updatedAt', 'completedAt'];

/**
 * Every difference between the two servers' answers to the same requests.
 * @param {{ origin: string }} api @param {{ origin: string }} baseline @param {{ token: string, ids: string[] }} actor
 */
export async function responseDifferences(api, baseline, actor) {
  const clients = [createClient(api.origin, actor.token), createClient(baseline.origin, actor.token)];
  const both = (method, path, body) => Promise.all(clients.map((client) => client.send(method, path, body)));
  const differences = [];
  try {
    for (const path of [...READS, `/api/tasks/${actor.ids[0]}`]) {
      const [a, b] = await both('GET', path);
      if (a.status !== b.status || a.body !== b.body || a.headers.etag !== b.headers.etag) differences.push(`GET ${path}: ${a.status} ${a.body.slice(0, 120)} ≠ ${b.status} ${b.body.slice(0, 120)}`);
      const cursor = a.status === 200 ? JSON.parse(a.body).nextCursor : null;
      if (cursor) {
        const [c, d] = await both('GET', `${path}&cursor=${encodeURIComponent(cursor)}`);
        if (c.status !== d.status || c.body !== d.body) differences.push(`GET ${path} (next page): bodies differ`);
      }
    }
    const created = await both('POST', '/api/tasks', JSON.stringify({ title: '  Parity check ', tags: ['Work', 'work', 'home'], priority: 'high', dueAt: '2030-01-02T03:04:05.678+01:00' }));
    differences.push(...writeDifferences('POST /api/tasks', created));
    if (created.every((answer) => answer.status === 201)) {
      const patch = JSON.stringify({ completed: true, description: null });
      const updated = await Promise.all(clients.map((client, i) => client.send('PATCH', `/api/tasks/${JSON.parse(created[i].body).id}`, patch)));
      differences.push(...writeDifferences('PATCH /api/tasks/:id', updated));
    }
  } finally {
    for (const client of clients) client.close();
  }
  return differences;
}

/**
 * What differs between the MCP list_tasks call the `mcp-list` scenario sends and the REST page it is
 * compared with: a tool error answers 200 too, so the load's status counts alone would not see it.
 * @param {{ origin: string }} api @param {{ token: string }} actor
 */
export async function mcpListDifferences(api, actor) {
  const client = createClient(api.origin, actor.token);
  try {
    const rest = await client.send('GET', '/api/tasks?limit=20');
    const mcp = await client.send('POST', MCP_LIST_REQUEST.path, MCP_LIST_REQUEST.body, MCP_LIST_REQUEST.headers);
    const result = mcp.status === 200 ? JSON.parse(mcp.body).result : undefined;
    if (!result || result.isError) return [`POST /mcp list_tasks: ${mcp.status} ${mcp.body.slice(0, 200)}`];
    return JSON.stringify(result.structuredContent) === rest.body ? [] : ['POST /mcp list_tasks: its page differs from GET /api/tasks?limit=20'];
  } finally {
    client.close();
  }
}

function writeDifferences(label, [a, b]) {
  if (a.status !== b.status) return [`${label}: status ${a.status} ≠ ${b.status}`];
  const stable = (body) => JSON.stringify(Object.entries(JSON.parse(body)).map(([key, value]) => [key, VOLATILE.includes(key) ? typeof value : value]));
  const out = [];
  if (stable(a.body) !== stable(b.body)) out.push(`${label}: ${stable(a.body)} ≠ ${stable(b.body)}`);
  if (a.headers.etag !== b.headers.etag) out.push(`${label}: ETag ${a.headers.etag} ≠ ${b.headers.etag}`);
  if (Boolean(a.headers.location) !== Boolean(b.headers.location)) out.push(`${label}: Location header on one side only`);
  return out;
}
