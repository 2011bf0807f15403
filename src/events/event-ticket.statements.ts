import type { Statement } from '../tasks/task.statements.js';

/** Expired tickets deleted per issue: enough to keep up, bounded so that an issue stays cheap. */
const PURGE_BATCH = 100;

export interface IssuedTicketRow {
  expiresAt: string;
}

export interface TicketPrincipalRow {
  ownerId: string;
  email: string | null;
  name: string | null;
  issuer: string;
}

const ISSUE = `
  WITH purged AS (
    DELETE FROM event_tickets WHERE hash IN (SELECT hash FROM event_tickets WHERE expires_at <= now() LIMIT ${PURGE_BATCH}))
  INSERT INTO event_tickets (hash, owner_id, email, name, issuer, expires_at)
  SELECT $1, $2, $3, $4, $5, now() + make_interval(secs => $6)
  WHERE (SELECT count(*) FROM event_tickets WHERE owner_id = $2 AND expires_at > now()) < $7
  RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt"`;

/**
 * Stores a ticket's hash for `ttlSeconds`, unless the owner already holds `maxOutstanding` live
 * ones (then no row); purges a batch of expired tickets of anyone on the way.
 */
export function issueTicketStatement(params: {
  hash: Buffer;
  ownerId: string;
  email: string | null;
  name: string | null;
  issuer: string;
  ttlSeconds: number;
  maxOutstanding: number;
}): Statement {
  return { text: ISSUE, values: [params.hash, params.ownerId, params.email, params.name, params.issuer, params.ttlSeconds, params.maxOutstanding] };
}

const CONSUME = `DELETE FROM event_tickets WHERE hash = $1 AND expires_at > now() RETURNING owner_id AS "ownerId", email, name, issuer`;

/** Takes a live ticket, atomically: of two requests with it, one gets the row and the other none. */
export function consumeTicketStatement({ hash }: { hash: Buffer }): Statement {
  return { text: CONSUME, values: [hash] };
}
