/** A sequential keep-alive HTTP client for latency series (one request at a time, one connection). */
import { Agent, request as httpRequest } from 'node:http';

/**
 * @param {string} origin
 */
export function createClient(origin) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(origin);
  /**
   * @param {string} path
   * @param {Record<string, string>} headers
   * @returns {Promise<{ status: number, body: string, ms: number }>}
   */
  const get = (path, headers) =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = httpRequest({ hostname, port, path, method: 'GET', headers, agent, timeout: 30_000 }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }));
        response.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: GET ${path}`)));
      req.on('error', reject);
      req.end();
    });
  /**
   * @param {string} method
   * @param {string} path
   * @param {Record<string, string>} headers
   * @param {string} [body]
   */
  const send = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ hostname, port, path, method, headers, agent, timeout: 30_000 }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  return { get, send, close: () => agent.destroy() };
}
