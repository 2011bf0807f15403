import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { TcpProxy } from './utils/tcp-proxy.js';
import { freshUser } from './utils/tokens.js';

const DATABASE_UNAVAILABLE = 'The database is unavailable right now. Retry shortly.';

describe('database failures: 503 on every path, and only they are logged as such', () => {
  let app: NestFastifyApplication | undefined;
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    vi.restoreAllMocks();
    await app?.close();
    app = undefined;
    await proxy?.stop();
  });

  // The cut lands at a different statement of the transaction each time: BEGIN, the key's claim,
  // the insert, the recorded response, COMMIT (every database reply takes 150 ms).
  it.each([50, 200, 350, 500, 650])('answers 503 when the database goes away %i ms into an idempotent create', async (cutAfterMs) => {
    const database = await TcpProxy.inFrontOf(inject('databaseUrl'));
    proxy = database.proxy;
    app = await createTestApp({ DATABASE_URL: database.url, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const server = app.getHttpServer();
    const user = await freshUser('cut');
    await request(server).get('/health/ready').expect(200);

    proxy.delayMs = 150;
    const create = request(server).post('/api/tasks').set('Authorization', user.authorization).set('Idempotency-Key', `cut-${cutAfterMs}`).send({ title: 'cut' });
    const cut = new Promise((resolve) => setTimeout(resolve, cutAfterMs)).then(() => proxy!.stop());
    const [res] = await Promise.all([create, cut]);

    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.type).toBe('https://tasks-api.dev/problems/service-unavailable');
  });

  it("does not log a client's aborted upload as the database being unavailable", async () => {
    app = await createTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const user = await freshUser('aborted');

    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).not.toContain(DATABASE_UNAVAILABLE);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });
});
