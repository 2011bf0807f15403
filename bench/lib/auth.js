/** Bench tokens: HS256 with a fresh shared secret, and EdDSA with a key served from a local JWKS. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/** One token per user, as Better Auth signs them (sub, iat, exp), valid for 3 hours. */
const sign = (userIds, header, key) =>
  Promise.all(userIds.map((sub) => new SignJWT({ email: `${sub}@bench.test` }).setProtectedHeader({ ...header, typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime('3h').sign(key)));

export const randomSecret = () => randomBytes(32).toString('base64url');

/** @param {string} secret @param {string[]} userIds */
export const hs256Tokens = (secret, userIds) => sign(userIds, { alg: 'HS256' }, new TextEncoder().encode(secret));

/** An Ed25519 key pair (Better Auth's JWT plugin default), its JWKS on a loopback server that counts fetches, and a signer. */
export async function startJwksServer() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomBytes(8).toString('hex');
  const body = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/api/auth/jwks') return void response.writeHead(404).end();
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=600' }).end(body);
  });
  await once(server.listen(0, '127.0.0.1'), 'listening');
  return {
    url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/api/auth/jwks`,
    fetches: () => fetches,
    /** @param {string[]} userIds */
    tokens: (userIds) => sign(userIds, { alg: 'EdDSA', kid }, privateKey),
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
