import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Environment } from '../src/config/env-reader.js';
import { createTestApp } from './utils/create-test-app.js';
import { freshUser } from './utils/tokens.js';

/** A raw connection: what was received, and when the server closed it. */
interface RawExchange {
  received: () => string;
  closed: Promise<number>;
  socket: Socket;
}

function openRaw(port: number): RawExchange {
  const socket = connect(port, '127.0.0.1');
  const openedAt = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - openedAt)));
  socket.on('error', () => undefined);
  return { received: () => received, closed, socket };
}

function expectProblem408(raw: string): void {
  const [head, body] = raw.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 408 /);
  expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
  expect(JSON.parse(body)).toMatchObject({ status: 408, title: 'Request Timeout' });
}

describe('HTTP timeouts', () => {
  let app: NestFastifyApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(env: Environment): Promise<number> {
    app = await createTestApp(env);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.getHttpServer().address() as AddressInfo).port;
  }

  async function stalledUpload(port: number): Promise<RawExchange> {
    const user = await freshUser('stall');
    const exchange = openRaw(port);
    exchange.socket.write(
      `POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.authorization}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":',
    );
    return exchange;
  }

  it('answers a body that stops arriving with 408 problem+json and closes the connection', async () => {
    const port = await start({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000' });
    const upload = await stalledUpload(port);
    const closedAfter = await upload.closed;
    expectProblem408(upload.received());
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(5_000);
  });

  it('answers headers that never end (slowloris) with 408 and closes the connection', async () => {
    const port = await start({ REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000' });
    const exchange = openRaw(port);
    exchange.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    const closedAfter = await exchange.closed;
    expectProblem408(exchange.received());
    expect(closedAfter).toBeLessThan(4_000);
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const port = await start({ KEEP_ALIVE_TIMEOUT_MS: '500' });
    const exchange = openRaw(port);
    exchange.socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const closedAfter = await exchange.closed;
    expect(exchange.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedAfter).toBeLessThan(3_000);
  });

  it('closes a connection with no traffic after CONNECTION_TIMEOUT_MS', async () => {
    const port = await start({ CONNECTION_TIMEOUT_MS: '500' });
    const exchange = openRaw(port);
    expect(await exchange.closed).toBeLessThan(3_000);
    expect(exchange.received()).toBe('');
  });

  it('does not let a stalled upload hold up shutdown: it gets a 408, the app closes at once', async () => {
    // The default request timeout (30 s) is longer than this test may take.
    const port = await start({});
    const upload = await stalledUpload(port);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = Date.now();
    await app!.close();
    app = undefined;
    expect(Date.now() - closing).toBeLessThan(5_000);
    await upload.closed;
    expectProblem408(upload.received());
  });

  it('refuses a headers timeout longer than the request timeout', async () => {
    await expect(createTestApp({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).rejects.toThrow(/HEADERS_TIMEOUT_MS may not exceed REQUEST_TIMEOUT_MS/);
  });
});
