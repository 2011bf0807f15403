/** A keep-alive HTTP client on one connection, one request at a time (parity checks, latency series). */
import { Agent, request as httpRequest } from 'node:http';

/** @param {string} origin @param {string} token */
export function createClient(origin, token) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(origin);
  /** @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string, ms: number }>} */
  const send = (method, path, body, extraHeaders = {}) =>
    new Promise((resolve, reject) => {
      const headers = { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...extraHeaders };
      const started = performance.now();
      const request = httpRequest({ hostname, port, path, method, headers, agent, timeout: 30_000 }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`timeout: ${method} ${path}`)));
      request.on('error', reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}
