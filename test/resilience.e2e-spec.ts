import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { TcpProxy } from './utils/tcp-proxy.js';

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

function databaseTarget(): { host: string; port: number } {
  const url = new URL(inject('databaseUrl'));
  return { host: url.hostname, port: Number(url.port || 5432) };
}

describe('resilience: the database going away', () => {
  let app: NestFastifyApplication | undefined;
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    await app?.close();
    await proxy?.stop();
  });

  it('answers 503 problem+json with Retry-After while the database is down, and recovers without a restart', async () => {
    proxy = new TcpProxy(databaseTarget());
    await proxy.start();
    app = await createTestApp({ DATABASE_URL: TcpProxy.urlThrough(inject('databaseUrl'), proxy.port), DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const server = app.getHttpServer();
    await request(server).get('/health/ready').expect(200);

    await proxy.stop();
    const down = await request(server).get('/health/ready').expect(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body).toMatchObject({ status: 503, type: 'https://tasks-api.dev/problems/service-unavailable' });
    expect(down.body.checks.database.status).toBe('down');
    expect(down.body.detail).toBe('Not ready: database unavailable.');
    // The process itself is fine: liveness does not depend on the database.
    await request(server).get('/health/live').expect(200);

    await proxy.start();
    await eventually(async () => {
      await request(server).get('/health/ready').expect(200);
    });
  });

  it('finishes an in-flight request when closed, then stops accepting connections', async () => {
    proxy = new TcpProxy(databaseTarget());
    await proxy.start();
    app = await createTestApp({ DATABASE_URL: TcpProxy.urlThrough(inject('databaseUrl'), proxy.port) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    await request(app.getHttpServer()).get('/health/ready').expect(200);

    // Every database reply now takes 500 ms, so the readiness check is still running when the
    // app is told to close.
    proxy.delayMs = 500;
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/health/ready' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = app.close();
    const response = await inFlight;
    await closing;
    app = undefined;

    // The in-flight request ran to completion: its database query finished on the pool before the
    // pool closed. Readiness itself reports 503 once shutdown has begun, so balancers drain.
    expect(response.status).toBe(503);
    const body = JSON.parse(response.body);
    expect(body.checks.database.status).toBe('up');
    expect(body.detail).toBe('Not ready: the service is shutting down.');
    await expect(
      new Promise((resolve, reject) => httpRequest({ host: '127.0.0.1', port, path: '/health/live' }, resolve).on('error', reject).end()),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
