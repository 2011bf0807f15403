import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module.js';
import { type AppConfig, loadConfig } from './config/app-config.js';
import type { Environment } from './config/env-reader.js';
import { answerClientError } from './common/http/client-error.js';
import { registerJsonBodyParsers } from './common/http/json-body.js';
import { registerMethodNotAllowed } from './common/http/method-not-allowed.js';
import { registerRouteBodyLimits } from './common/http/route-body-limit.js';
import { SECURITY_HEADERS, registerSecurityHeaders } from './common/http/security-headers.js';
import { closeStalledUploadsOnShutdown, timeoutOptions } from './common/http/timeouts.js';
import { registerAccessLog } from './common/logging/access-log.js';
import { ChangeNotifier } from './events/change-notifier.js';
import { registerChangePublishing } from './events/change-publishing.hook.js';
import { registerTraceContext } from './common/observability/trace-context.js';
import { setupSwagger } from './common/openapi/openapi.js';
import { ProblemDetailsFilter, problemFromFrameworkError, sendProblem } from './common/problem/problem-details.filter.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { registerRequestMetrics } from './metrics/request-metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const ROUTER_OPTIONS = { ignoreTrailingSlash: true, maxParamLength: 200 };

/** A client's X-Request-Id when it is short and plain, otherwise a fresh one. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Builds the application exactly as it runs in production. main.ts and the e2e tests both call
 * this, so tests exercise the real pipeline (parsers, limits, pipes, filters, guards).
 */
export async function createApp(env: Environment): Promise<NestFastifyApplication> {
  const config = loadConfig(env);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: requestIdFor,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...timeoutOptions(config.timeouts),
    routerOptions: ROUTER_OPTIONS,
    // Errors the router raises before any route (and so before Nest and the onRequest hooks) runs:
    // a malformed percent-encoding, an over-long path segment. Same problem+json and headers as
    // everything else.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.headers(SECURITY_HEADERS).header('x-request-id', request.id);
      sendProblem(request, reply, problemFromFrameworkError(error, error.statusCode ?? 400));
    },
    // And what Node's HTTP parser rejects before there is a request at all (oversized headers).
    clientErrorHandler: answerClientError,
  });
  // bodyParser: false keeps Fastify's own strict JSON parser and nothing else: form and text
  // bodies are answered with 415 rather than reaching validation as strings.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  configureApp(app, config);
  return app;
}

export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  const logger = app.get(Logger);
  app.useLogger(logger);
  const fastify = app.getHttpAdapter().getInstance();
  registerTraceContext(fastify);
  registerAccessLog(fastify, PinoLogger.root);
  if (config.metrics.port !== undefined) registerRequestMetrics(fastify);
  if (config.events.redisUrl !== undefined) registerChangePublishing(fastify, app.get(ChangeNotifier));
  closeStalledUploadsOnShutdown(fastify);

  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParsers(fastify);
  registerRouteBodyLimits(fastify, config.bodyLimitBytes);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });

  registerSecurityHeaders(fastify);
  registerMethodNotAllowed(fastify, ROUTER_OPTIONS);
  if (config.corsOrigins.length > 0) {
    // The adapter answers a CORS preflight in its own onRequest hook, before any of ours has run.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      if (!reply.hasHeader('x-request-id')) void reply.header('x-request-id', request.id);
      done(null, payload);
    });
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      // The MCP-* headers are those of MCP's Streamable HTTP requests (browser-based MCP clients).
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'WWW-Authenticate'],
      maxAge: 600,
    });
  }

  app.setGlobalPrefix('api', { exclude: ['health/live', 'health/ready', 'mcp', '.well-known/oauth-protected-resource', '.well-known/oauth-protected-resource/mcp'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupSwagger(app, config.bodyLimitBytes);
}
