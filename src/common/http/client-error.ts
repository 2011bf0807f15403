import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../problem/problem-details.filter.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * Fastify's `clientErrorHandler`: the answer to what Node's HTTP parser rejects before any request
 * exists (headers over the size limit, a malformed request line, a request not received in time).
 * The same statuses and behaviour as Fastify's default handler, which answers plain JSON: here a
 * problem+json with the usual headers. The connection is closed afterwards, as Node requires.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'The request headers are larger than this API accepts.']
        : [400, 'The request is not valid HTTP/1.1.'];
  const requestId = randomUUID();
  // No instance: there is no request, so no path to name.
  const body = JSON.stringify(problemBody({ status, detail }, undefined, requestId));
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  socket.destroy(error);
}
