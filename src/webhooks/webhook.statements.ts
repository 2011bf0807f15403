import type { Statement } from '../tasks/task.statements.js';

/** The SQL of webhooks. A user's statements are scoped by `owner_id = $1`; the sender's claim spans owners. */

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const WEBHOOKS_PER_USER = 5;

export interface WebhookRow {
  id: string;
  url: string;
  failures: number;
  disabledAt: string | null;
  createdAt: string;
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  payload: unknown;
  attempts: number;
}

const WEBHOOK_COLUMNS = `id, url, failures, ${iso('disabled_at')} AS "disabledAt", ${iso('created_at')} AS "createdAt"`;

/**
 * Registers a webhook unless the owner has WEBHOOKS_PER_USER already. Two concurrent requests could
 * both count four; an advisory lock on the owner serialises them (transaction-scoped, so it needs
 * the transaction the repository opens).
 */
export function insertWebhookStatements({ ownerId, url, secret }: { ownerId: string; url: string; secret: string }): Statement[] {
  return [
    { text: `SELECT pg_advisory_xact_lock(hashtext('webhooks:' || $1))`, values: [ownerId] },
    {
      text: `INSERT INTO webhooks (owner_id, url, secret) SELECT $1, $2, $3 WHERE (SELECT count(*) FROM webhooks WHERE owner_id = $1) < ${WEBHOOKS_PER_USER}
             RETURNING ${WEBHOOK_COLUMNS}`,
      values: [ownerId, url, secret],
    },
  ];
}

export function listWebhooksStatement({ ownerId }: { ownerId: string }): Statement {
  return { text: `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE owner_id = $1 ORDER BY created_at, id`, values: [ownerId] };
}

export function deleteWebhookStatement({ ownerId, id }: { ownerId: string; id: string }): Statement {
  return { text: `DELETE FROM webhooks WHERE owner_id = $1 AND id = $2 RETURNING id`, values: [ownerId, id] };
}

/**
 * Leases up to $2 deliveries due by $1 for $3: they are not due again until then, so a sender that
 * dies mid-request leaves them to be retried, and other senders skip them meanwhile.
 */
export function leaseDeliveriesStatement({ now, limit, leaseMs }: { now: Date; limit: number; leaseMs: number }): Statement {
  return {
    text: `
      WITH due AS (
        SELECT d.id, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.disabled_at IS NULL
        WHERE d.next_attempt_at <= $1
        ORDER BY d.next_attempt_at
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET next_attempt_at = $1::timestamptz + $3::interval, attempts = d.attempts + 1
      FROM due
      WHERE d.id = due.id
      RETURNING d.id, d.webhook_id AS "webhookId", due.url, due.secret, d.payload, d.attempts`,
    values: [now.toISOString(), limit, `${leaseMs} milliseconds`],
  };
}

/** A delivered one: done, and the webhook's run of failures ends. */
export function deliveredStatement({ id, webhookId, now }: { id: string; webhookId: string; now: Date }): Statement {
  return {
    text: `WITH done AS (UPDATE webhook_deliveries SET next_attempt_at = NULL, delivered_at = $3, last_error = NULL WHERE id = $1)
           UPDATE webhooks SET failures = 0 WHERE id = $2`,
    values: [id, webhookId, now.toISOString()],
  };
}

/**
 * A failed attempt: retried at $3 (null: given up), and one more failure in a row for the
 * webhook, which is disabled at $4 failures.
 */
export function failedStatement({ id, webhookId, error, retryAt, disableAfter, now }: { id: string; webhookId: string; error: string; retryAt: Date | null; disableAfter: number; now: Date }): Statement {
  return {
    text: `WITH failed AS (UPDATE webhook_deliveries SET next_attempt_at = $3, last_error = $5 WHERE id = $1)
           UPDATE webhooks SET failures = failures + 1, disabled_at = CASE WHEN failures + 1 >= $4 THEN coalesce(disabled_at, $6) ELSE disabled_at END WHERE id = $2`,
    values: [id, webhookId, retryAt?.toISOString() ?? null, disableAfter, error.slice(0, 500), now.toISOString()],
  };
}
