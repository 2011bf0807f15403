import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventTicketsRepository } from './event-tickets.repository.js';

export const TICKET_TTL_SECONDS = 60;
/** Live tickets one user may hold: a client needs one per connection attempt, and they expire within a minute. */
export const MAX_OUTSTANDING_TICKETS = 10;
/** 256 random bits, base64url. */
const TICKET = /^[A-Za-z0-9_-]{43}$/;

/**
 * Stream tickets: a browser's EventSource cannot send an Authorization header, and a bearer token
 * in a URL would end up in logs and histories. A ticket is short-lived, single-use, good for
 * GET /api/events only, and stored as its SHA-256 only.
 */
@Injectable()
export class EventTicketsService {
  constructor(private readonly repository: EventTicketsRepository) {}

  async issue(owner: Principal): Promise<EventTicketResponse> {
    const ticket = randomBytes(32).toString('base64url');
    const row = await this.repository.issue({
      hash: hashOf(ticket),
      ownerId: owner.id,
      email: owner.email ?? null,
      name: owner.name ?? null,
      issuer: owner.issuer,
      ttlSeconds: TICKET_TTL_SECONDS,
      maxOutstanding: MAX_OUTSTANDING_TICKETS,
    });
    if (!row) {
      throw new ProblemException({
        status: 429,
        type: ProblemType.TooManyRequests,
        detail: `At most ${MAX_OUTSTANDING_TICKETS} unused stream tickets per user at once; they expire ${TICKET_TTL_SECONDS} s after issue.`,
        headers: { 'retry-after': String(TICKET_TTL_SECONDS) },
      });
    }
    return { ticket, expiresAt: row.expiresAt };
  }

  /** The principal the ticket was issued to, once; `null` for a ticket unknown, used or expired. */
  async consume(ticket: string): Promise<Principal | null> {
    if (!TICKET.test(ticket)) return null;
    const row = await this.repository.consume({ hash: hashOf(ticket) });
    if (!row) return null;
    return { id: row.ownerId, issuer: row.issuer, ...(row.email === null ? {} : { email: row.email }), ...(row.name === null ? {} : { name: row.name }) };
  }
}

function hashOf(ticket: string): Buffer {
  return createHash('sha256').update(ticket).digest();
}
