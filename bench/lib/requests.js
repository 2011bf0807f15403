/** What each scenario sends: a request per call, for a random user (and one of their tasks). */
import { SEARCH_WORDS, TAGS } from './dataset.js';

const TITLES = ['Call the plumber', 'Write the quarterly report', 'Renew car insurance', 'Book flight tickets', 'Fix the login page',
  'Review pull request', 'Pay the electricity bill', 'Plan the team retrospective'];
const PRIORITIES = ['none', 'low', 'medium', 'high'];
const DAY_MS = 86_400_000;
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const dayFromNow = (days) => new Date(Date.now() + Math.floor(Math.random() * days) * DAY_MS).toISOString();

/**
 * The scenarios, in the order they run. `batch` is POST /api/tasks/batch with BATCH_SIZE creates,
 * compared with as many single creates; `list-eddsa` is `list` with an EdDSA token verified
 * through a JWKS; `mcp-list` is the same first page asked of the MCP `list_tasks` tool.
 */
export const SCENARIOS = ['list', 'list-filtered', 'search', 'get', 'create', 'update', 'batch', 'list-eddsa', 'mcp-list'];
/** Creates per request of the `batch` scenario: the route's maximum. */
export const BATCH_SIZE = 100;

// One stateless MCP tools/call on the current protocol revision: no handshake, one JSON response.
const MCP_VERSION = '2026-07-28';
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MCP_VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'list_tasks' };
const MCP_META = { 'io.modelcontextprotocol/protocolVersion': MCP_VERSION, 'io.modelcontextprotocol/clientInfo': { name: 'tasks-api-bench', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
/** The MCP list_tasks call of the `mcp-list` scenario: the first page, as `list` asks REST for it. */
export const MCP_LIST_REQUEST = {
  path: '/mcp',
  headers: MCP_HEADERS,
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: { limit: 20 }, _meta: MCP_META } }),
};

const newTask = () => ({
  title: `${pick(TITLES)} #${Math.floor(Math.random() * 1_000)}`,
  description: Math.random() < 0.7 ? 'Created by the benchmark: a realistic sentence or two of description, as people write them.' : null,
  priority: pick(PRIORITIES),
  tags: Math.random() < 0.8 ? [pick(TAGS), pick(TAGS)] : [],
  dueAt: Math.random() < 0.6 ? dayFromNow(90) : null,
});
const batchBody = () => JSON.stringify({ operations: Array.from({ length: BATCH_SIZE }, () => ({ op: 'create', task: newTask() })) });

const UPDATES = [
  () => ({ completed: Math.random() < 0.5 }),
  () => ({ priority: pick(PRIORITIES) }),
  () => ({ title: `${pick(TITLES)} (edited)`, tags: [pick(TAGS)] }),
  () => ({ dueAt: dayFromNow(30) }),
];

/**
 * The next request of a scenario, as autocannon's setupRequest fields.
 * @param {string} scenario @param {Array<{ token: string, ids: string[] }>} actors
 * @returns {{ method: string, path: string, headers: Record<string, string>, body?: string }}
 */
export function nextRequest(scenario, actors) {
  const actor = pick(actors);
  const headers = { authorization: `Bearer ${actor.token}` };
  const json = { ...headers, 'content-type': 'application/json' };
  switch (scenario) {
    case 'list':
    case 'list-eddsa':
      return { method: 'GET', path: '/api/tasks?limit=20', headers };
    case 'list-filtered':
      return { method: 'GET', path: `/api/tasks?status=open&tag=${pick(TAGS)}&sort=dueAt&limit=20`, headers };
    case 'search':
      return { method: 'GET', path: `/api/tasks?q=${encodeURIComponent(pick(SEARCH_WORDS))}&limit=20`, headers };
    case 'get':
      return { method: 'GET', path: `/api/tasks/${pick(actor.ids)}`, headers };
    case 'create':
      return { method: 'POST', path: '/api/tasks', headers: json, body: JSON.stringify(newTask()) };
    case 'batch':
      return { method: 'POST', path: '/api/tasks/batch', headers: json, body: batchBody() };
    case 'update':
      return { method: 'PATCH', path: `/api/tasks/${pick(actor.ids)}`, headers: json, body: JSON.stringify(pick(UPDATES)()) };
    case 'mcp-list':
      return { method: 'POST', path: MCP_LIST_REQUEST.path, headers: { ...headers, ...MCP_LIST_REQUEST.headers }, body: MCP_LIST_REQUEST.body };
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}
