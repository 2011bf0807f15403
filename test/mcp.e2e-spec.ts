import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams, ProtocolError } from '@modelcontextprotocol/client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { connectMcp, type McpEra, type McpUser } from './utils/mcp-client.js';
import { type TaskJson, tasksUser, type TasksUser } from './utils/tasks-client.js';

const TOOLS = ['add_task', 'complete_task', 'delete_task', 'get_task', 'list_tags', 'list_tasks', 'update_task'];
const AUTHORIZATION_SERVER = 'https://auth.example.com';

describe('MCP: the tasks as tools, over Streamable HTTP', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  const clients: McpUser[] = [];

  beforeAll(async () => {
    app = await createTestApp({ AUTH_AUTHORIZATION_SERVERS: AUTHORIZATION_SERVER });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await app?.close();
  });

  /** A fresh user, with a REST client and an MCP client of the SDK carrying the same token. */
  async function user(era: McpEra = 'modern'): Promise<{ rest: TasksUser; mcp: McpUser }> {
    const rest = await tasksUser(app, 'mcp');
    const mcp = await connectMcp(baseUrl, rest.authorization, era);
    clients.push(mcp);
    return { rest, mcp };
  }

  it('lists the seven tools, each described for a model, with its argument and result schemas', async () => {
    const { mcp } = await user();
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    const addTask = tools.find((tool) => tool.name === 'add_task');
    expect(addTask?.inputSchema).toMatchObject({ required: ['title'], additionalProperties: false, properties: { title: { type: 'string', maxLength: 200 } } });
    expect(tools.find((tool) => tool.name === 'delete_task')?.annotations).toMatchObject({ destructiveHint: true });
  });

  it.each<McpEra>(['modern', 'legacy'])('%s era: what a tool does shows through REST, and what REST does shows through the tools', async (era) => {
    const { rest, mcp } = await user(era);
    const added = await mcp.value('add_task', { title: '  Buy milk ', tags: ['Home', 'home', 'errands'], priority: 'high', dueAt: '2030-05-01T09:00:00+02:00' });
    expect(added).toMatchObject({ title: 'Buy milk', tags: ['Home', 'errands'], priority: 'high', dueAt: '2030-05-01T07:00:00.000Z', completed: false, version: 1 });
    expect((await rest.get(`/api/tasks/${added.id}`).expect(200)).body).toEqual(added);

    const renamed = (await rest.patch(`/api/tasks/${added.id}`, { title: 'Buy oat milk' }).expect(200)).body as TaskJson;
    expect(await mcp.value('get_task', { id: added.id })).toEqual(renamed);
    const restTask = await rest.createTask({ title: 'Call the plumber', tags: ['home'] });

    const page = await mcp.value<{ items: TaskJson[]; nextCursor: string | null }>('list_tasks', { q: 'mil' });
    expect(page).toEqual({ items: [renamed], nextCursor: null });
    expect(await mcp.value('list_tags')).toEqual({ items: [{ name: 'errands', open: 1, total: 1 }, { name: 'Home', open: 2, total: 2 }] });

    const completed = await mcp.value('complete_task', { id: restTask.id });
    expect(completed).toMatchObject({ id: restTask.id, completed: true, version: 2 });
    expect((await rest.get(`/api/tasks/${restTask.id}`).expect(200)).body).toEqual(completed);
    expect(await mcp.value('complete_task', { id: restTask.id })).toEqual(completed);

    const updated = await mcp.value('update_task', { id: added.id, description: 'Two litres', dueAt: null, expectedVersion: 2 });
    expect(updated).toMatchObject({ description: 'Two litres', dueAt: null, version: 3 });
    expect((await rest.get('/api/tasks?status=open').expect(200)).body).toEqual({ items: [updated], nextCursor: null });

    expect(await mcp.value('delete_task', { id: added.id })).toEqual({ id: added.id, deleted: true });
    await rest.get(`/api/tasks/${added.id}`).expect(404);
  });

  it('list_tasks pages with the cursor it returns, as the REST list does', async () => {
    const { rest, mcp } = await user();
    for (const title of ['one', 'two', 'three']) await rest.createTask({ title });
    const first = await mcp.value<{ items: TaskJson[]; nextCursor: string }>('list_tasks', { sort: 'title', limit: 2 });
    const second = await mcp.value<{ items: TaskJson[]; nextCursor: null }>('list_tasks', { sort: 'title', limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((task) => task.title)).toEqual(['one', 'three', 'two']);
    expect(second.nextCursor).toBeNull();
    expect((await rest.get(`/api/tasks?sort=title&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200)).body).toEqual(second);
  });

  it('refuses invalid arguments with the REST 400: the same detail and field errors, as a tool error', async () => {
    const { rest, mcp } = await user();
    const cases: [string, Record<string, unknown>, string, unknown][] = [
      ['add_task', { title: '   ', colour: 'red' }, '/api/tasks', { title: '   ', colour: 'red' }],
      ['add_task', { title: 5, tags: 'home', dueAt: 'tomorrow' }, '/api/tasks', { title: 5, tags: 'home', dueAt: 'tomorrow' }],
      ['list_tasks', { limit: 0, sort: 'relevance', priority: ['urgent'] }, '/api/tasks?limit=0&sort=relevance&priority=urgent', undefined],
    ];
    for (const [tool, args, path, body] of cases) {
      const problem = await mcp.problem(tool, args);
      const restProblem = (body === undefined ? await rest.get(path).expect(400) : await rest.post(path, body).expect(400)).body as typeof problem;
      expect({ tool, ...problem, instance: undefined, requestId: undefined }).toEqual({ tool, ...restProblem, instance: undefined, requestId: undefined });
      expect(problem).toMatchObject({ status: 400, type: 'https://tasks-api.dev/problems/validation-error', instance: '/mcp' });
    }
    const task = await rest.createTask({ title: 'Kept' });
    expect(await mcp.problem('update_task', { id: task.id, expectedVersion: 7, title: 'Lost' })).toMatchObject({ status: 412 });
    expect(await mcp.problem('update_task', { id: task.id, expectedVersion: 0, title: null })).toMatchObject({
      status: 400,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'expectedVersion' }), expect.objectContaining({ field: 'title' })]) as unknown,
    });
    expect((await rest.get(`/api/tasks/${task.id}`).expect(200)).body).toEqual(task);
  });

  it("answers another user's task exactly as a task that does not exist, and leaves it alone", async () => {
    const [owner, other] = [await user(), await user()];
    const task = await owner.rest.createTask({ title: 'Mine' });
    const unknown = randomUUID();
    for (const tool of ['get_task', 'complete_task', 'delete_task', 'update_task']) {
      const args = tool === 'update_task' ? { title: 'Theirs' } : {};
      const theirs = await other.mcp.problem(tool, { id: task.id, ...args });
      const missing = await other.mcp.problem(tool, { id: unknown, ...args });
      expect({ ...theirs, requestId: undefined, detail: theirs.detail.replace(task.id, '<id>') }).toEqual({
        ...missing,
        requestId: undefined,
        detail: missing.detail.replace(unknown, '<id>'),
      });
      expect(theirs).toMatchObject({ status: 404, type: 'https://tasks-api.dev/problems/not-found' });
    }
    expect(await other.mcp.value('list_tasks')).toEqual({ items: [], nextCursor: null });
    expect((await owner.rest.get(`/api/tasks/${task.id}`).expect(200)).body).toEqual(task);
  });

  it('answers hostile arguments with a tool error or a JSON-RPC error, never a 500 and never a leak', async () => {
    const { mcp } = await user();
    const huge = 'x'.repeat(100_000);
    const hostile: [string, Record<string, unknown> | undefined][] = [
      ['add_task', undefined],
      ['add_task', { title: huge }],
      ['add_task', { title: 'ok', description: huge }],
      ['add_task', { title: 'nul \u0000 byte', tags: [{ nested: true }] }],
      ['add_task', { title: ['an', 'array'], priority: { $ne: 'none' } }],
      ['get_task', {}],
      ['get_task', { id: "' OR 1=1 --" }],
      ['get_task', { id: 42 }],
      ['update_task', { id: randomUUID(), tags: Array.from({ length: 500 }, (_, i) => `t${i}`) }],
      ['list_tasks', { q: huge.slice(0, 5_000), cursor: huge.slice(0, 3_000), limit: 'all' }],
      ['list_tasks', { cursor: Buffer.from('{"k":"1","i":"x"}').toString('base64url') }],
      ['delete_task', { id: null }],
    ];
    for (const [tool, args] of hostile) {
      const result = await mcp.client.callTool({ name: tool, arguments: args });
      const text = (result.content as { text: string }[])[0].text;
      expect({ tool, isError: result.isError }).toEqual({ tool, isError: true });
      const problem = JSON.parse(text) as { status: number };
      expect({ tool, status: problem.status }).toEqual({ tool, status: problem.status < 500 ? problem.status : 'never a 5xx' });
      expect(text).not.toMatch(/QueryFailed|SELECT|at .*\.(js|ts):\d+|node_modules/);
    }
    await expect(mcp.client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toSatisfy(
      (error: unknown) => error instanceof ProtocolError && error.code === -32602 && /drop_tables not found/.test(error.message),
    );
  });

  it('without a token, answers 401 with the Bearer challenge and the protected resource metadata to get one', async () => {
    const metadataUrl = `${baseUrl}/.well-known/oauth-protected-resource/mcp`;
    for (const method of ['post', 'get', 'delete'] as const) {
      const res = await request(app.getHttpServer())[method]('/mcp').expect(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="tasks-api", resource_metadata="${metadataUrl}"`);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const rejected = await request(app.getHttpServer()).post('/mcp').set('authorization', 'Bearer not.a.jwt').send({}).expect(401);
    expect(rejected.headers['www-authenticate']).toMatch(/^Bearer realm="tasks-api", error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+"$/);
    expect(rejected.headers['www-authenticate']).toContain(`resource_metadata="${metadataUrl}"`);

    // The SDK's client reads the challenge, and finds in the document it names the authorization server.
    const challenge = extractWWWAuthenticateParams(await fetch(new URL('/mcp', baseUrl), { method: 'POST' }));
    expect(challenge.resourceMetadataUrl?.href).toBe(metadataUrl);
    const metadata = await discoverOAuthProtectedResourceMetadata(new URL('/mcp', baseUrl), { resourceMetadataUrl: challenge.resourceMetadataUrl });
    expect(metadata).toEqual({ resource: `${baseUrl}/mcp`, authorization_servers: [AUTHORIZATION_SERVER], bearer_methods_supported: ['header'], resource_name: 'tasks-api' });
    expect((await request(app.getHttpServer()).get('/.well-known/oauth-protected-resource').expect(200)).body).toEqual(metadata);
    await request(app.getHttpServer()).get('/api/.well-known/oauth-protected-resource').expect(404);
  });

  it('is a stateless Streamable HTTP endpoint on the API pipeline: 405 for GET and DELETE, 403 for a foreign Origin, the usual headers', async () => {
    const { rest } = await user();
    const server = app.getHttpServer();
    await request(server).get('/mcp').set('authorization', rest.authorization).set('accept', 'text/event-stream').expect(405);
    await request(server).delete('/mcp').set('authorization', rest.authorization).expect(405);
    const foreign = await request(server).post('/mcp').set('authorization', rest.authorization).set('origin', 'https://evil.example').send({}).expect(403);
    expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);

    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tags', arguments: {} } };
    const res = await request(server)
      .post('/mcp')
      .set('authorization', rest.authorization)
      .set('accept', 'application/json, text/event-stream')
      .set('mcp-protocol-version', '2025-11-25')
      .set('x-request-id', 'mcp-call-1')
      .send(call)
      .expect(200);
    expect(res.headers).toMatchObject({ 'x-request-id': 'mcp-call-1', 'x-content-type-options': 'nosniff' });
    expect(res.text).toContain('"structuredContent":{"items":[]}');
  });
});
