/** Bench tokens: HS256 with the shared secret, and EdDSA with a key served from a local JWKS. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const JWKS_PATH = '/api/auth/jwks';

/** A fresh 32-byte secret for this run (never a well-known one). */
export function randomSecret() {
  return randomBytes(32).toString('base64url');
}

/**
 * One HS256 token per user, signed as Better Auth signs them (sub, iat, exp), valid for 3 hours.
 * @param {string} secret
 * @param {string[]} userIds
 */
export async function hs256Tokens(secret, userIds) {
  const key = new TextEncoder().encode(secret);
  return Promise.all(userIds.map((sub) => new SignJWT({ email: `${sub}@bench.test` }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime('3h').sign(key)));
}

/**
 * An Ed25519 key pair (what Better Auth's JWT plugin signs with by default), its JWKS served from
 * a loopback node:http server that counts fetches, and a signer of EdDSA tokens.
 */
export async function startJwksServer() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== JWKS_PATH) return void response.writeHead(404).end();
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=600' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}${JWKS_PATH}`,
    get fetches() {
      return fetches;
    },
    /** @param {string[]} userIds */
    tokens: (userIds) =>
      Promise.all(userIds.map((sub) => new SignJWT({ email: `${sub}@bench.test` }).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime('3h').sign(privateKey))),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}
