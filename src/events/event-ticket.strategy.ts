import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { EVENT_TICKET_STRATEGY } from '../auth/event-ticket-auth.js';
import type { Principal } from '../auth/principal.js';
import { EventTicketsService } from './event-tickets.service.js';

/** Passport's side of stream tickets: the principal a ticket was issued to, consuming it; `null` (a 401) otherwise. */
@Injectable()
export class EventTicketStrategy extends PassportStrategy(Strategy, EVENT_TICKET_STRATEGY) {
  constructor(private readonly tickets: EventTicketsService) {
    super();
  }

  async validate(request: { query?: Record<string, unknown> }): Promise<Principal | null> {
    const ticket = request.query?.ticket;
    return typeof ticket === 'string' ? this.tickets.consume(ticket) : null;
  }
}
