import { type ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '../common/problem/problem-details.filter.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { ProtectedResource } from './protected-resource.js';

/**
 * The MCP endpoint's 401 carries MCP's authorization challenge: the API's own Bearer challenge
 * (RFC 6750, with its error attributes) plus `resource_metadata`, the URL of the RFC 9728
 * document (RFC 9728 §5.1), from which an MCP client finds where to get a token. Everything else
 * is answered as on every other route.
 */
@Catch()
@Injectable()
export class ResourceMetadataChallengeFilter extends ProblemDetailsFilter {
  constructor(private readonly resource: ProtectedResource) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof ProblemException) || exception.problem.status !== 401) return super.catch(exception, host);
    const { problem } = exception;
    const parameter = `resource_metadata="${this.resource.metadataUrl(host.switchToHttp().getRequest<FastifyRequest>())}"`;
    const challenge = problem.headers?.['www-authenticate'];
    const headers = { ...problem.headers, 'www-authenticate': challenge === undefined ? `Bearer ${parameter}` : `${challenge}, ${parameter}` };
    super.catch(new ProblemException({ ...problem, headers }), host);
  }
}
