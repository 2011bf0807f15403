import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemException } from '../problem/problem.exception.js';
import { ProblemType } from '../problem/problem-type.js';

/** Fastify's default JSON parser is the callback form of its body-parser type. */
type ParseDone = (error: Error | null, value?: unknown) => void;
type CallbackBodyParser = (request: FastifyRequest, body: string, done: ParseDone) => void;

/** The media types whose bodies are parsed as JSON. */
const JSON_TYPES = ['application/json', 'application/merge-patch+json'];

/**
 * The deepest nesting of arrays and objects a body may have. No body of this API needs more than
 * three levels. JSON.parse handles any depth, but class-transformer and Nest's ValidationPipe walk
 * a body recursively: about 5,000 levels, well within the body size limit, overflowed the stack and
 * answered 500.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * JSON bodies (`application/json` and `application/merge-patch+json`): uncompressed only (415
 * otherwise, as RFC 9110 §15.5.16 asks), Fastify's own parser, which refuses `__proto__` and
 * `constructor.prototype` keys, then a bound on the nesting depth.
 */
export function registerJsonBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as CallbackBodyParser;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser<string>(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    // Fastify hands the bytes over as they came; a compressed body would only fail as "not JSON".
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      done(unsupportedEncoding(), undefined);
      return;
    }
    parseJson(request, body, (error: Error | null, value?: unknown) => {
      if (error) done(error, undefined);
      else if (nestsDeeperThan(value, MAX_BODY_DEPTH)) done(tooDeeplyNested(), undefined);
      else done(null, value);
    });
  });
}

/** Whether arrays and objects nest more than `limit` levels deep. Iterative: the depth is the attacker's. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { node: object; depth: number }[] = [];
  if (typeof value === 'object' && value !== null) pending.push({ node: value, depth: 1 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > limit) return true;
    for (const child of Array.isArray(next.node) ? next.node : Object.values(next.node)) {
      if (typeof child === 'object' && child !== null) pending.push({ node: child as object, depth: next.depth + 1 });
    }
  }
  return false;
}

function unsupportedEncoding(): ProblemException {
  return new ProblemException({
    status: 415,
    type: ProblemType.UnsupportedMediaType,
    detail: 'Send request bodies uncompressed: no Content-Encoding is supported.',
  });
}

function tooDeeplyNested(): ProblemException {
  return new ProblemException({
    status: 400,
    type: ProblemType.MalformedBody,
    detail: `The request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep.`,
  });
}
