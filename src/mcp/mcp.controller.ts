import { Controller, Delete, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { McpEndpoint } from './mcp-endpoint.js';
import { ResourceMetadataChallengeFilter } from './resource-metadata-challenge.filter.js';

/**
 * The MCP endpoint (Streamable HTTP). The global guard runs first, as on every route: no valid
 * bearer token, no MCP, and the 401 points to the protected resource metadata. POST carries the
 * JSON-RPC messages; GET and DELETE are routed too, so that the SDK answers them as the spec says
 * for a stateless server. Not part of the REST API's OpenAPI document.
 */
@ApiExcludeController()
@UseFilters(ResourceMetadataChallengeFilter)
@Controller('mcp')
export class McpController {
  constructor(private readonly endpoint: McpEndpoint) {}

  @Post()
  post(@CurrentUser() owner: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.serve(owner, request, reply);
  }

  @Get()
  get(@CurrentUser() owner: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.serve(owner, request, reply);
  }

  @Delete()
  delete(@CurrentUser() owner: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.serve(owner, request, reply);
  }
}
