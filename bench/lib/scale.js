/**
 * Latency as data grows: for one user with N tasks, the first page and a deep page (after
 * 10,000 items, reached by following cursors) of each list variant, one request at a time.
 */
import { createClient } from './http-client.js';
import { round, summarizeLatencies } from './stats.js';

export const SCALE_VARIANTS = {
  default: '',
  dueAt: '&sort=dueAt',
  q: '&q=review',
};
export const DEEP_OFFSET = 10_000;

/**
 * @param {ReturnType<typeof createClient>} client
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {{ samples: number, warmup: number, maxSeconds: number }} options
 */
async function series(client, path, headers, { samples, warmup, maxSeconds }) {
  for (let i = 0; i < warmup; i += 1) await client.get(path, headers);
  const latencies = [];
  const deadline = Date.now() + maxSeconds * 1000;
  while (latencies.length < samples && Date.now() < deadline) {
    const { status, ms } = await client.get(path, headers);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    latencies.push(ms);
  }
  return summarizeLatencies(latencies);
}

/**
 * Follows cursors (pages of 100) until `offset` items have been passed; returns the cursor of the
 * page that starts there, or undefined when the list is shorter.
 * @param {ReturnType<typeof createClient>} client
 * @param {string} query
 * @param {Record<string, string>} headers
 */
async function walkTo(client, query, headers, offset) {
  let cursor;
  let passed = 0;
  const started = Date.now();
  while (passed < offset) {
    const { status, body } = await client.get(`/api/tasks?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers);
    if (status !== 200) throw new Error(`walking ${query}: ${status} ${body.slice(0, 200)}`);
    const page = JSON.parse(body);
    passed += page.items.length;
    cursor = page.nextCursor ?? undefined;
    if (!cursor) return { cursor: undefined, passed, walkSeconds: (Date.now() - started) / 1000 };
  }
  return { cursor, passed, walkSeconds: (Date.now() - started) / 1000 };
}

/**
 * @param {{ origin: string }} server
 * @param {string} token
 * @param {{ samples: number, warmup: number, maxSeconds: number }} options
 */
export async function measureScale(server, token, options) {
  const client = createClient(server.origin);
  const headers = { authorization: `Bearer ${token}` };
  const results = {};
  try {
    for (const [variant, query] of Object.entries(SCALE_VARIANTS)) {
      const first = await series(client, `/api/tasks?limit=20${query}`, headers, options);
      const walk = await walkTo(client, query, headers, DEEP_OFFSET);
      const deep = walk.cursor ? await series(client, `/api/tasks?limit=20${query}&cursor=${encodeURIComponent(walk.cursor)}`, headers, options) : null;
      results[variant] = {
        first,
        deep,
        deepCursor: walk.cursor ?? null,
        matches: walk.cursor ? `> ${DEEP_OFFSET}` : walk.passed,
        walkSeconds: round(walk.walkSeconds, 2),
        deepToFirstP50: deep && first.p50 ? round(deep.p50 / first.p50, 2) : null,
      };
    }
  } finally {
    client.close();
  }
  return results;
}

/** The keyset position inside one of the API's cursors (payload.checksum, payload = base64url JSON [key, id]). @param {string} cursor */
export function cursorPosition(cursor) {
  const [key, id] = JSON.parse(Buffer.from(cursor.split('.')[0], 'base64url').toString('utf8'));
  return { key, id };
}
