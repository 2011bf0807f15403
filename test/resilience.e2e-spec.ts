import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { TcpProxy } from './utils/tcp-proxy.js';
import { freshUser } from './utils/tokens.js';

/** Polls until `check` passes, for state that converges (a pool reconnecting); bounded, not timed. */
async function eventually(check: () => Promise<void>, attempts = 50): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await check();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A plain HTTP GET on a fresh connection, resolved with the complete response. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('resilience: the database going away', () => {
  let app: NestFastifyApplication | undefined;
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    await app?.close();
    await proxy?.stop();
  });

  it('answers 503 problem+json with Retry-After while the database is down, and recovers without a restart', async () => {
    const database = await TcpProxy.inFrontOf(inject('databaseUrl'));
    proxy = database.proxy;
    app = await createTestApp({ DATABASE_URL: database.url, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const server = app.getHttpServer();
    const user = await freshUser('outage');
    await request(server).get('/health/ready').expect(200);
    await request(server).post('/api/tasks').set('Authorization', user.authorization).send({ title: 'before the outage' }).expect(201);

    await proxy.stop();
    const down = await request(server).get('/health/ready').expect(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body).toMatchObject({ status: 503, type: 'https://tasks-api.dev/problems/service-unavailable' });
    expect(down.body.checks.database.status).toBe('down');
    expect(down.body.detail).toBe('Not ready: database unavailable.');
    // The process itself is fine: liveness does not depend on the database.
    await request(server).get('/health/live').expect(200);
    // API calls that need the database say so, with a hint when to retry; nothing hangs.
    for (const call of [
      request(server).get('/api/tasks').set('Authorization', user.authorization),
      request(server).post('/api/tasks').set('Authorization', user.authorization).send({ title: 'during the outage' }),
    ]) {
      const res = await call;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.type).toBe('https://tasks-api.dev/problems/service-unavailable');
    }

    await proxy.start();
    await eventually(async () => {
      await request(server).get('/health/ready').expect(200);
    });
    // Recovered without a restart, and nothing was lost or half-written.
    const after = await request(server).get('/api/tasks').set('Authorization', user.authorization).expect(200);
    expect(after.body.items.map((task: { title: string }) => task.title)).toEqual(['before the outage']);
  });

  it('finishes an in-flight request when closed, then stops accepting connections', async () => {
    const database = await TcpProxy.inFrontOf(inject('databaseUrl'));
    proxy = database.proxy;
    app = await createTestApp({ DATABASE_URL: database.url });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const user = await freshUser('inflight');
    await request(app.getHttpServer()).post('/api/tasks').set('Authorization', user.authorization).send({ title: 'listed while closing' }).expect(201);
    // Two pooled connections, opened before the delay, so neither request below waits on a slow handshake.
    await Promise.all([request(app.getHttpServer()).get('/health/ready'), request(app.getHttpServer()).get('/health/ready')]);

    // Every database reply now takes 500 ms, so the list request is still running when the app
    // is told to close.
    proxy.delayMs = 500;
    const inFlight = get(port, '/api/tasks', { authorization: user.authorization });
    const readinessInFlight = get(port, '/health/ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = app.close();
    const response = await inFlight;
    const readiness = await readinessInFlight;
    await closing;
    app = undefined;

    // The in-flight request ran to completion: its query finished on the pool before it closed.
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).items.map((task: { title: string }) => task.title)).toEqual(['listed while closing']);
    // Readiness turns 503 once shutdown begins, so load balancers drain the instance; its own
    // database check still completed.
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toMatchObject({ detail: 'Not ready: the service is shutting down.', checks: { database: { status: 'up' } } });
    await expect(
      new Promise((resolve, reject) => httpRequest({ host: '127.0.0.1', port, path: '/health/live' }, resolve).on('error', reject).end()),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
