import { Controller, Get, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/server';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { ProtectedResource } from './protected-resource.js';

/**
 * RFC 9728 protected resource metadata for the MCP endpoint. Public by necessity: a client reads
 * it before it has a token, to learn where to get one; it holds nothing but configuration.
 * Served at the path-aware location of /mcp (the one the 401 challenge names), and at the root,
 * where MCP clients look when no challenge named one. Not part of the REST API's OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller('.well-known')
export class ProtectedResourceController {
  constructor(private readonly resource: ProtectedResource) {}

  @Get(['oauth-protected-resource/mcp', 'oauth-protected-resource'])
  metadata(@Req() request: FastifyRequest): OAuthProtectedResourceMetadata {
    return this.resource.metadata(request);
  }
}
