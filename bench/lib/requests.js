/** What each scenario sends: a request per call, for a random user (and one of their tasks). */
import { SEARCH_WORDS, TAGS } from './dataset.js';

const TITLES = ['Call the plumber', 'Write the quarterly report', 'Renew car insurance', 'Book flight tickets', 'Fix the login page',
  'Review pull request', 'Pay the electricity bill', 'Plan the team retrospective'];
const PRIORITIES = ['none', 'low', 'medium', 'high'];

/** @template T @param {T[]} items @returns {T} */
const pick = (items) => items[Math.floor(Math.random() * items.length)];

/**
 * The scenarios, in the order they run. `apiOnly`: no baseline run (the baseline knows HS256 only);
 * its rounds alternate with the API's own HS256 `list` instead.
 */
export const SCENARIOS = {
  list: { description: 'GET /api/tasks?limit=20' },
  'list-filtered': { description: 'GET /api/tasks?status=open&tag=<t>&sort=dueAt&limit=20' },
  search: { description: 'GET /api/tasks?q=<word>&limit=20' },
  get: { description: 'GET /api/tasks/:id' },
  create: { description: 'POST /api/tasks' },
  update: { description: 'PATCH /api/tasks/:id' },
  'list-eddsa': { description: 'GET /api/tasks?limit=20 with an EdDSA token verified through a JWKS', apiOnly: true, tokens: 'eddsa' },
};

function createBody() {
  const due = Math.random() < 0.6 ? new Date(Date.now() + Math.floor(Math.random() * 90) * 86_400_000).toISOString() : null;
  return JSON.stringify({
    title: `${pick(TITLES)} #${Math.floor(Math.random() * 1_000)}`,
    description: Math.random() < 0.7 ? 'Created by the benchmark: a realistic sentence or two of description, as people write them.' : null,
    priority: pick(PRIORITIES),
    tags: Math.random() < 0.8 ? [pick(TAGS), pick(TAGS)] : [],
    dueAt: due,
  });
}

function updateBody() {
  switch (Math.floor(Math.random() * 4)) {
    case 0:
      return JSON.stringify({ completed: Math.random() < 0.5 });
    case 1:
      return JSON.stringify({ priority: pick(PRIORITIES) });
    case 2:
      return JSON.stringify({ title: `${pick(TITLES)} (edited)`, tags: [pick(TAGS)] });
    default:
      return JSON.stringify({ dueAt: new Date(Date.now() + Math.floor(Math.random() * 30) * 86_400_000).toISOString() });
  }
}

/**
 * The next request of a scenario, as autocannon's setupRequest fields.
 * @param {string} scenario
 * @param {Array<{ token: string, ids: string[] }>} actors
 * @returns {{ method: string, path: string, headers: Record<string, string>, body?: string }}
 */
export function nextRequest(scenario, actors) {
  const actor = pick(actors);
  const headers = { authorization: `Bearer ${actor.token}` };
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
      return { method: 'POST', path: '/api/tasks', headers: { ...headers, 'content-type': 'application/json' }, body: createBody() };
    case 'update':
      return { method: 'PATCH', path: `/api/tasks/${pick(actor.ids)}`, headers: { ...headers, 'content-type': 'application/json' }, body: updateBody() };
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}
