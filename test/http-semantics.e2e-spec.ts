import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { type TasksUser, errorFields, tasksUser } from './utils/tasks-client.js';

/** HTTP details found by fuzzing and in Swagger UI (issue 22, item 7). */
describe('HTTP semantics', () => {
  let app: NestFastifyApplication;
  let user: TasksUser;

  beforeAll(async () => {
    app = await createTestApp();
    user = await tasksUser(app, 'semantics');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a known path with an unsupported method 405 with Allow, an unknown path 404', async () => {
    const task = await user.createTask({ title: 'allowed' });
    const res = await request(app.getHttpServer()).put(`/api/tasks/${task.id}`).set('Authorization', user.authorization).send({ title: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect(res.body).toMatchObject({ status: 405, type: 'https://tasks-api.dev/problems/method-not-allowed' });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);

    const collection = await request(app.getHttpServer()).delete('/api/tasks/').set('Authorization', user.authorization);
    expect(collection.status).toBe(405);
    expect(collection.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    await request(app.getHttpServer()).get('/api/nothing-here').set('Authorization', user.authorization).expect(404);
  });

  it.each(['patch', 'put'] as const)('refuses null as a %s body with a 400', async (method) => {
    const task = await user.createTask({ title: 'not nulled' });
    const path = method === 'patch' ? `/api/tasks/${task.id}` : `/api/${user.id}/tasks/${task.id}`;
    const res = await request(app.getHttpServer())[method](path).set('Authorization', user.authorization).set('Content-Type', 'application/json').send('null');
    expect(res.status).toBe(400);
    expect(errorFields(res.body)).toEqual(['body']);
    expect((await user.get(`/api/tasks/${task.id}`).expect(200)).body).toMatchObject({ title: 'not nulled', version: 1 });
  });

  it('refuses an empty If-Match with a 400, not a 412', async () => {
    const task = await user.createTask({ title: 'matched' });
    const res = await user.patch(`/api/tasks/${task.id}`, { title: 'changed' }).set('If-Match', '');
    expect(res.status).toBe(400);
    expect(errorFields(res.body)).toEqual(['If-Match']);
    await user.patch(`/api/tasks/${task.id}`, { title: 'changed' }).set('If-Match', '"1"').expect(200);
  });

  it('marks responses to authenticated requests Cache-Control: no-store, also errors', async () => {
    expect((await user.get('/api/tasks').expect(200)).headers['cache-control']).toBe('no-store');
    expect((await user.get('/api/tasks/00000000-0000-4000-8000-000000000000').expect(404)).headers['cache-control']).toBe('no-store');
  });

  describe('the OpenAPI document', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let doc: any;
    beforeAll(async () => {
      doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    });
    const problemExample = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/problem+json'].example;

    it('shows each error response its own example', () => {
      for (const [status, type] of [
        ['400', 'validation-error'],
        ['401', 'unauthorized'],
        ['413', 'payload-too-large'],
        ['415', 'unsupported-media-type'],
        ['422', 'unprocessable-entity'],
      ]) {
        expect(problemExample('/api/tasks', 'post', status), status).toMatchObject({ status: Number(status), type: `https://tasks-api.dev/problems/${type}` });
      }
    });

    it('documents PATCH without defaults, as JSON or merge patch', () => {
      const body = doc.paths['/api/tasks/{id}'].patch.requestBody.content;
      expect(Object.keys(body).sort()).toEqual(['application/json', 'application/merge-patch+json']);
      const schemaName = body['application/merge-patch+json'].schema.$ref.split('/').pop();
      for (const property of Object.values(doc.components.schemas[schemaName].properties)) expect(property).not.toHaveProperty('default');
      // The create body keeps them.
      expect(doc.components.schemas.CreateTaskDto.properties.priority.default).toBe('none');
    });

    it('states the length of each tag and of Idempotency-Key', () => {
      expect(doc.components.schemas.CreateTaskDto.properties.tags.items).toMatchObject({ type: 'string', minLength: 1, maxLength: 40 });
      const key = doc.paths['/api/tasks'].post.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
      expect(key.schema).toMatchObject({ minLength: 1, maxLength: 255 });
    });
  });
});
