import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { type TasksUser, errorFields, tasksUser } from './utils/tasks-client.js';

/** Inputs no honest client sends: each gets a clear 4xx problem+json, never a 500, and nothing is stored. */
describe('hostile input', () => {
  let app: NestFastifyApplication;
  let user: TasksUser;

  beforeAll(async () => {
    app = await createTestApp();
    user = await tasksUser(app, 'hostile');
  });
  afterAll(async () => {
    await app?.close();
  });

  const expectProblem = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
  };

  it.each([
    ['title', { title: 'a\u0000b' }],
    ['description', { title: 'ok', description: 'a\u0000b' }],
    ['tags', { title: 'ok', tags: ['a\u0000b'] }],
  ])('rejects a NUL character in %s as a field error, storing nothing', async (field, body) => {
    const res = await user.post('/api/tasks', body);
    expectProblem(res, 400);
    expect(res.body.type).toBe('https://tasks-api.dev/problems/validation-error');
    expect(errorFields(res.body)).toContain(field);
    const list = await user.get('/api/tasks').expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('rejects a NUL character in a PATCH as a field error, leaving the task as it was', async () => {
    const created = await user.post('/api/tasks', { title: 'keep me' }).expect(201);
    const res = await user.patch(`/api/tasks/${created.body.id}`, { title: 'x\u0000' });
    expectProblem(res, 400);
    const after = await user.get(`/api/tasks/${created.body.id}`).expect(200);
    expect(after.body).toMatchObject({ title: 'keep me', version: 1 });
  });

  it.each([
    ['title', '{"title":"a\\ud800b"}'],
    ['description', '{"title":"ok","description":"\\udc00"}'],
    ['tags', '{"title":"ok","tags":["x\\udbff"]}'],
  ])('rejects a lone UTF-16 surrogate in %s as a field error, rather than storing U+FFFD', async (field, body) => {
    const res = await request(app.getHttpServer())
      .post('/api/tasks')
      .set('Authorization', user.authorization)
      .set('Content-Type', 'application/json')
      .send(body);
    expectProblem(res, 400);
    expect(errorFields(res.body)).toEqual([field]);
    const list = await user.get('/api/tasks').expect(200);
    expect(list.body.items.map((task: { title: string }) => task.title)).not.toContain('a\ufffdb');
  });

  it('keeps text outside the Basic Multilingual Plane (a surrogate pair) exactly as sent', async () => {
    const res = await user.post('/api/tasks', { title: 'Ship 🚀', tags: ['𝄞 music'] }).expect(201);
    expect(res.body).toMatchObject({ title: 'Ship 🚀', tags: ['𝄞 music'] });
    const stored = await user.get(`/api/tasks/${res.body.id}`).expect(200);
    expect(stored.body).toMatchObject({ title: 'Ship 🚀', tags: ['𝄞 music'] });
    await user.delete(`/api/tasks/${res.body.id}`).expect(204);
  });

  it('reports the first 20 of thousands of invalid fields, and counts the rest, in an answer smaller than the request', async () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1])));
    const res = await request(app.getHttpServer()).post('/api/tasks').set('Authorization', user.authorization).set('Content-Type', 'application/json').send(body);
    expectProblem(res, 400);
    // title is missing, and 5,000 unknown keys: 5,001 fields, 20 of them listed.
    expect(new Set(errorFields(res.body)).size).toBe(20);
    expect(res.body.detail).toMatch(/^The request has 5001 invalid fields: .* and 4981 more \(not listed\)\.$/);
    expect(res.text.length).toBeLessThan(body.length);
  });

  it('answers oversized request headers with a problem+json 431', async () => {
    const res = await request(app.getHttpServer()).get('/api/tasks').set('Authorization', user.authorization).set('X-Padding', 'x'.repeat(20_000));
    expectProblem(res, 431);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a request that is not HTTP with a problem+json 400', async () => {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.end('NOT HTTP AT ALL\r\n\r\n');
    let raw = '';
    for await (const chunk of socket) raw += String(chunk);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 400, type: 'https://tasks-api.dev/problems/bad-request' });
  });

  it('answers a NUL character in a query parameter with 400, not a database error', async () => {
    const res = await user.get('/api/tasks?tag=%00');
    expectProblem(res, 400);
  });

  it('answers a malformed percent-encoding in the URL with a problem+json 400', async () => {
    const res = await request(app.getHttpServer()).delete('/api/tasks/%E0%A4%A').set('Authorization', user.authorization);
    expectProblem(res, 400);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an over-long path segment with a problem+json 414', async () => {
    const res = await request(app.getHttpServer()).get(`/api/${'x'.repeat(5000)}/tasks`).set('Authorization', user.authorization);
    expectProblem(res, 414);
  });

  it('ignores an attempt to pollute prototypes through the body', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/tasks')
      .set('Authorization', user.authorization)
      .set('Content-Type', 'application/json')
      .send('{"title":"proto","__proto__":{"polluted":true}}');
    expectProblem(res, 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
