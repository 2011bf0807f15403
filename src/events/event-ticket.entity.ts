import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The `event_tickets` table: single-use tickets for GET /api/events (an EventSource cannot send an
 * Authorization header). Only the ticket's SHA-256 is stored, so a database dump grants nothing;
 * the caller's principal is kept so that the stream authenticates as the user who asked for it.
 */
@Entity({ name: 'event_tickets' })
@Index('event_tickets_owner_idx', ['ownerId'])
@Index('event_tickets_expires_at_idx', ['expiresAt'])
export class EventTicket {
  /** SHA-256 of the ticket. */
  @PrimaryColumn({ type: 'bytea', primaryKeyConstraintName: 'event_tickets_pkey' })
  hash!: Buffer;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** Which verifier accepted the token the ticket was issued for (Principal.issuer). */
  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
