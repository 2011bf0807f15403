import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpTimeoutsConfig } from '../../config/app-config.js';
import { answerClientError } from './client-error.js';

/**
 * How often Node looks for requests past their request or headers timeout. Its default, 30 s,
 * would let a stalled upload hold its connection for up to that long beyond REQUEST_TIMEOUT_MS.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;
/** During shutdown, how long an upload may send nothing before its connection is closed. */
const STALLED_UPLOAD_DURING_SHUTDOWN_MS = 1_000;

/**
 * Fastify's options for the timeouts. Past `requestTimeout`, Node raises ERR_HTTP_REQUEST_TIMEOUT
 * and the clientErrorHandler (client-error.ts) answers 408 problem+json and closes the connection.
 */
export function timeoutOptions(timeouts: HttpTimeoutsConfig): {
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
} {
  return {
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.connectionMs,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
  };
}

/**
 * Graceful shutdown waits for in-flight requests, and Fastify closes idle connections; but a
 * request whose body is still arriving is neither, and a client that stopped sending would hold
 * the shutdown up until its request timeout. So once shutdown starts, a connection whose request
 * is incomplete and silent for a moment gets a 408 and is closed; uploads still sending go on.
 * Connections that never carried a request are closed at once.
 */
export function closeStalledUploadsOnShutdown(fastify: FastifyInstance): void {
  const server: Server = fastify.server;
  const connections = new Set<Socket>();
  const currentRequest = new WeakMap<Socket, IncomingMessage>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (request: IncomingMessage) => currentRequest.set(request.socket, request));

  fastify.addHook('preClose', (done) => {
    for (const socket of connections) {
      // A connection opened but never used (a client's spare, or one left by an aborted fetch) is
      // not idle to Node, which would wait for it until CONNECTION_TIMEOUT_MS.
      if (!currentRequest.has(socket)) socket.destroy();
      else if (currentRequest.get(socket)?.complete === false) closeWhenSilent(socket, () => currentRequest.get(socket)?.complete === false);
    }
    done();
  });
}

/**
 * Answers 408 and closes once the socket has received nothing for a while, unless its request has
 * arrived meanwhile. Not socket.setTimeout(): Node's own timeout listener would destroy the socket
 * first, without an answer.
 */
function closeWhenSilent(socket: Socket, stillReceiving: () => boolean): void {
  let bytesRead = socket.bytesRead;
  const timer = setInterval(() => {
    if (socket.destroyed || !stillReceiving()) {
      clearInterval(timer);
    } else if (socket.bytesRead === bytesRead) {
      clearInterval(timer);
      answerClientError(Object.assign(new Error('request body stalled during shutdown'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    }
    bytesRead = socket.bytesRead;
  }, STALLED_UPLOAD_DURING_SHUTDOWN_MS);
  timer.unref();
}
