/** The authenticated caller, as verified from a Better Auth token. */
export interface Principal {
  /** Better Auth's user id (`sub`): an opaque string of 1–255 characters, not a UUID. */
  id: string;
  email?: string;
  name?: string;
  /** Which verifier accepted the token: the JWKS issuer (or URL), or `shared-secret` for HS256. */
  issuer: string;
}
