import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getOAuthProtectedResourceMetadataUrl, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/server';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';

/** Where the MCP endpoint is served, outside the /api prefix (see app.setup.ts). */
export const MCP_PATH = '/mcp';

/**
 * The MCP endpoint as an OAuth 2.1 protected resource, as MCP's authorization spec asks: its
 * identifier, and the RFC 9728 metadata document that tells a client which authorization servers
 * issue the tokens it accepts.
 */
@Injectable()
export class ProtectedResource {
  private readonly publicUrl: string | undefined;
  private readonly authorizationServers: string[];

  constructor(config: ConfigService<AppConfig, true>) {
    this.publicUrl = config.get('publicUrl', { infer: true });
    this.authorizationServers = config.get('auth', { infer: true }).authorizationServers;
  }

  /** The RFC 9728 document (its §2 names the members). */
  metadata(request: FastifyRequest): OAuthProtectedResourceMetadata {
    return {
      resource: this.resourceUrl(request).href,
      ...(this.authorizationServers.length > 0 ? { authorization_servers: this.authorizationServers } : {}),
      bearer_methods_supported: ['header'],
      resource_name: 'tasks-api',
    };
  }

  /** Where the document is: RFC 9728 §3.1's well-known location for the resource's URL. */
  metadataUrl(request: FastifyRequest): string {
    return getOAuthProtectedResourceMetadataUrl(this.resourceUrl(request));
  }

  /**
   * The resource identifier, the MCP endpoint's URL: on PUBLIC_URL, or else on the origin the
   * request was sent to (X-Forwarded-* count only with TRUST_PROXY). A Host header that names no
   * host at all gets a placeholder origin: only its sender sees the result, and never a 500.
   */
  private resourceUrl(request: FastifyRequest): URL {
    const requested = `${request.protocol}://${request.host}`;
    return new URL(MCP_PATH, this.publicUrl ?? (URL.canParse(requested) ? requested : 'http://localhost'));
  }
}
