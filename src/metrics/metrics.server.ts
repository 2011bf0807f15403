import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig, MetricsConfig } from '../config/app-config.js';
import './database-pool.js';
import { collectProcessMetrics, metricsRegistry } from './metrics.registry.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Serves `GET /metrics` on its own port (METRICS_PORT, bound to METRICS_HOST), never on the API's:
 * the API's port is public, and what it would show (routes, error rates, pool pressure) is an
 * operator's business. With METRICS_TOKEN set, a scrape must also bring it as a bearer token.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private readonly config: MetricsConfig;
  private readonly tokenDigest?: Buffer;
  private server?: Server;

  constructor(config: ConfigService<AppConfig, true>) {
    this.config = config.get('metrics', { infer: true });
    if (this.config.token !== undefined) this.tokenDigest = digest(this.config.token);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config;
    if (port === undefined) return;
    collectProcessMetrics();
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.logger.log(`Prometheus metrics at http://${host}:${this.address()?.port}/metrics${this.tokenDigest ? ' (bearer token required)' : ''}`);
  }

  /** Where metrics are served; undefined when they are not. */
  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return this.end(response, 404, 'Not found: metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.end(response, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
    if (!this.authorized(request.headers.authorization)) {
      return this.end(response, 401, 'A bearer token (METRICS_TOKEN) is required\n', { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    try {
      this.end(response, 200, await metricsRegistry.metrics(), { 'content-type': metricsRegistry.contentType });
    } catch (error) {
      this.logger.error({ err: error }, 'Collecting metrics failed');
      this.end(response, 500, 'Collecting metrics failed\n');
    }
  }

  private authorized(header: string | undefined): boolean {
    if (!this.tokenDigest) return true;
    const match = /^Bearer (\S+)$/i.exec(header ?? '');
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint about the token.
    return match !== null && timingSafeEqual(digest(match[1]), this.tokenDigest);
  }

  private end(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(body);
  }
}
