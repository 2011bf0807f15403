import { type AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { JWK } from 'jose';

export const JWKS_PATH = '/api/auth/jwks';

/**
 * A loopback HTTP server standing in for the auth server: serves a JWKS at {@link JWKS_PATH}
 * (from `keys`, which a test may change at any time, or from another handler such as Better
 * Auth's), counts the JWKS fetches, and can be made to fail.
 */
export class JwksServer {
  readonly keys: JWK[] = [];
  /** How many times the JWKS was requested. */
  fetches = 0;
  /** `ok`: serve; `error`: answer 500; `reset`: cut the connection; `hang`: never answer. */
  behaviour: 'ok' | 'error' | 'reset' | 'hang' = 'ok';
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  constructor(private readonly handler?: RequestListener) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.origin}${JWKS_PATH}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const isJwks = request.url?.split('?')[0] === JWKS_PATH;
    if (isJwks) {
      this.fetches += 1;
      if (this.behaviour === 'reset') return void request.socket.destroy();
      if (this.behaviour === 'hang') return void this.hanging.add(response);
      if (this.behaviour === 'error') return void response.writeHead(500).end('boom');
    }
    if (this.handler) return void this.handler(request, response);
    if (!isJwks) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
  }
}

/** A port nothing listens on (bound, then released), for an unreachable JWKS URL. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
