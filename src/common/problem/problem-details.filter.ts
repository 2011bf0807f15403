import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { countIfRefusal } from '../../metrics/refusals.js';
import { problemFromDatabaseError } from './database-error.js';
import { ProblemType, defaultProblemType } from './problem-type.js';
import { type ProblemOptions, ProblemException } from './problem.exception.js';

const SERVICE_UNAVAILABLE = 503;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The RFC 9457 body every error response carries. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request's path; absent when the request could not be parsed at all. */
  instance?: string;
  requestId: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** Fastify's own errors (body parsing, limits) carry a status and an FST_ code. */
export interface FrameworkError extends Error {
  statusCode?: number;
  code?: string;
}

/**
 * Turns every error, whatever threw it (Nest, Fastify's body parser, the database driver, a bug),
 * into `application/problem+json`. Unexpected errors become a generic 500; their stack goes to
 * the log only.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception);

    if (problem.status >= 500 && problem.status !== SERVICE_UNAVAILABLE) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    } else if (problem.status === SERVICE_UNAVAILABLE) {
      this.logger.warn({ requestId: request.id, reason: exception instanceof Error ? exception.message : String(exception) }, problem.detail);
    }
    sendProblem(request, http.getResponse<FastifyReply>(), problem);
  }

  /** The problem `exception` is answered with (public for the MCP tools, which report the same problems as tool errors). */
  toProblem(exception: unknown): ProblemOptions {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) {
      // Nest wraps Fastify's own 4xx errors (body parsing, limits) and keeps the original as cause.
      const cause = exception.cause as FrameworkError | undefined;
      if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) return problemFromFrameworkError(cause, exception.getStatus());
      return this.fromHttpException(exception);
    }

    // First: an error that carries a client status is Fastify's (a client's aborted upload is an
    // ECONNRESET with status 400), never the database's.
    const frameworkError = exception as FrameworkError;
    const status = frameworkError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return problemFromFrameworkError(frameworkError, status);

    const databaseProblem = problemFromDatabaseError(exception);
    if (databaseProblem) return databaseProblem;
    return { status: 500, type: ProblemType.InternalError, detail: 'An unexpected error occurred. It has been logged.' };
  }

  private fromHttpException(exception: HttpException): ProblemOptions {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    const headers: Record<string, string> = {};
    if (status === SERVICE_UNAVAILABLE) headers['retry-after'] = '5';
    if (typeof response === 'object' && response && 'details' in response) return this.fromHealthCheck(status, response.details, headers);
    return {
      status,
      detail: status >= 500 && status !== SERVICE_UNAVAILABLE ? 'An unexpected error occurred. It has been logged.' : detail,
      headers,
    };
  }

  /** Terminus's 503: the per-check results become the `checks` member. */
  private fromHealthCheck(status: number, checks: unknown, headers: Record<string, string>): ProblemOptions {
    const failing = Object.entries((checks ?? {}) as Record<string, { status?: string }>)
      .filter(([, check]) => check.status !== 'up')
      .map(([name]) => name);
    return {
      status,
      // With every check up, Terminus answers 503 because the app is shutting down (so load
      // balancers stop sending traffic while in-flight requests finish).
      detail: failing.length > 0 ? `Not ready: ${failing.join(', ')} unavailable.` : 'Not ready: the service is shutting down.',
      headers,
      extensions: { checks },
    };
  }
}

/** Fastify's own errors: body parsing and limits (through Nest), and router errors (see frameworkErrors). */
export function problemFromFrameworkError(error: FrameworkError, status: number): ProblemOptions {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, type: ProblemType.MalformedBody, detail: `The request body is not valid JSON: ${error.message}` };
    case 'FST_ERR_BAD_URL':
      return { status: 400, type: ProblemType.BadRequest, detail: 'The URL is malformed (an invalid percent-encoding).' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, detail: 'A path segment of the URL is longer than this API accepts.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, type: ProblemType.PayloadTooLarge, detail: 'The request body is larger than this API accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return status === 415
        ? { status: 415, type: ProblemType.UnsupportedMediaType, detail: 'Send request bodies as application/json.' }
        : { status, detail: error.message };
    default:
      if (error instanceof SyntaxError) return { status: 400, type: ProblemType.MalformedBody, detail: `The request body is not valid JSON: ${error.message}` };
      return { status, detail: error.message };
  }
}

/** The body of a problem response. */
export function problemBody(problem: ProblemOptions, instance: string | undefined, requestId: string): ProblemDetails {
  return {
    type: problem.type ?? defaultProblemType(problem.status),
    title: problem.title ?? STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance,
    requestId,
    ...(problem.errors && problem.errors.length > 0 ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
}

/** Writes a problem as `application/problem+json`, with the headers it needs. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemOptions): void {
  if (reply.sent) return;
  const body = problemBody(problem, (request.url ?? '/').split('?')[0], String(request.id ?? ''));
  countIfRefusal(body.status, body.type);
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
