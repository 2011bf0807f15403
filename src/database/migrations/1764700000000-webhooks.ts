import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhooks (issue 20): the registrations, and the outbox of their deliveries (see the entities). */
export class Webhooks1764700000000 implements MigrationInterface {
  name = 'Webhooks1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhooks_pkey PRIMARY KEY (id),
        CONSTRAINT webhooks_url_length CHECK (char_length(url) <= 2048)
      )`);
    await queryRunner.query(`CREATE INDEX webhooks_owner_idx ON webhooks (owner_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL,
        event text NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_deliveries_webhook_fk FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE
      )`);
    // The senders' scan: only deliveries still to attempt.
    await queryRunner.query(`CREATE INDEX webhook_deliveries_next_attempt_idx ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhooks`);
  }
}
