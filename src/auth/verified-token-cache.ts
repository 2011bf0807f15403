import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  /** When jose would start rejecting the token as expired (its `exp` plus the clock tolerance). */
  expiresAtMs: number;
  /** The key set the signature was verified against (for the shared secret, always the same). */
  keySet: number;
}

/**
 * Remembers which tokens were verified, so a client that sends the same token on every request
 * pays for one signature check, not one per request (through WebCrypto a signature check is a
 * sizeable share of a whole `GET /api/tasks/:id`: BENCHMARKS.md has the figures).
 *
 * A hit changes nothing about what is accepted: a signature check's outcome depends only on the
 * token and the key set, so an entry is used only while the key set that verified it is still the
 * current, fresh one (a JWKS refetch or an expired key-set cache makes every entry a miss, and the
 * token is verified again; the shared secret is one key set for the life of the process), and
 * never at or after the moment jose would call the token expired. `nbf` and a future `iat` were
 * checked when the entry was made, and time only moves forward.
 *
 * Keyed by the whole token string, compared by Map equality: a hit needs the exact token, which
 * the caller already holds, so the lookup reveals nothing an attacker does not have. Bounded:
 * past `capacity` the oldest entry goes. Shared principals are frozen.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(token: string, keySet: number | undefined, nowMs: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.keySet !== keySet || nowMs >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  remember(token: string, principal: Principal, expiresAtMs: number, keySet: number | undefined): Principal {
    const frozen = Object.freeze(principal);
    if (this.capacity === 0 || keySet === undefined) return frozen;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal: frozen, expiresAtMs, keySet });
    return frozen;
  }
}
