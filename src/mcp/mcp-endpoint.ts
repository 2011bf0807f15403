import { type BeforeApplicationShutdown, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type NodeMcpRequestHandler, toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { TasksService } from '../tasks/tasks.service.js';
import { createTasksMcpServer, type McpCaller } from './task-tools.js';

/**
 * The SDK's Streamable HTTP handler behind /mcp. `createMcpHandler` serves the current protocol
 * revision (2026-07-28, stateless by design) and, from the same tools, 2025-era clients
 * statelessly (no sessions: their GET and DELETE get 405). A fresh MCP server per request, built
 * for the caller the global guard verified.
 *
 * The SDK directly rather than @rekog/mcp-nest: one controller route keeps every MCP call on the
 * app's own request pipeline (Fastify's parser and limits, the global guard, filters, access log,
 * and whatever guards come later), and the SDK is the one place that implements the protocol.
 */
@Injectable()
export class McpEndpoint implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Mcp');
  private readonly handler: McpHttpHandler;
  private readonly serveNode: NodeMcpRequestHandler;
  private readonly corsOrigins: string[];

  constructor(tasks: TasksService, config: ConfigService<AppConfig, true>) {
    this.corsOrigins = config.get('corsOrigins', { infer: true });
    this.handler = createMcpHandler(({ authInfo }) => createTasksMcpServer(tasks, callerOf(authInfo)), {
      onerror: (error) => this.logger.warn({ err: error }, 'MCP request refused'),
    });
    this.serveNode = toNodeHandler(this.handler, { onerror: (error) => this.logger.error({ err: error }, 'MCP request failed') });
  }

  /** Hands an authenticated request over to the SDK, which writes the response. */
  async serve(owner: Principal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // MCP's transport rules: an Origin that is present and not allowed gets 403 (DNS rebinding).
    const origin = request.headers.origin;
    if (origin !== undefined && !this.corsOrigins.includes('*') && !this.corsOrigins.includes(origin)) {
      throw new ForbiddenException('This origin may not call the MCP endpoint (see CORS_ORIGINS).');
    }
    // From here the SDK writes to Node's response itself; the headers set so far (request id,
    // security headers) go with it.
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    const caller: McpCaller = { owner, requestId: request.id };
    const auth: AuthInfo = { token: (request.headers.authorization ?? '').replace(/^bearer\s+/i, ''), clientId: owner.id, scopes: [], extra: { caller } };
    await this.serveNode(Object.assign(request.raw, { auth }), reply.raw, request.body);
  }

  /** Ends open streams (and any exchange still running) so that the HTTP server can close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.handler.close();
  }
}

/** The caller serve() attached: the SDK passes it through to the factory untouched. */
function callerOf(authInfo: AuthInfo | undefined): McpCaller {
  const caller = authInfo?.extra?.caller as McpCaller | undefined;
  if (!caller?.owner.id) throw new Error('An MCP request reached the tools without the principal the global guard verified');
  return caller;
}
