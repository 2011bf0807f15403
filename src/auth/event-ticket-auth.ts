import { applyDecorators, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';

/** The Passport strategy that takes a stream ticket (src/events/event-ticket.strategy.ts). */
export const EVENT_TICKET_STRATEGY = 'event-ticket';
export const TICKET_AUTH_KEY = 'tasks-api:ticket-auth';

/** Whether the request names a ticket (`?ticket=`), as the one route that takes them reads it. */
export function hasTicket(request: { query?: unknown }): boolean {
  return typeof request.query === 'object' && request.query !== null && 'ticket' in request.query;
}

/**
 * For GET /api/events only: a request with `?ticket=` is authenticated by its stream ticket (the
 * global JwtAuthGuard leaves it to this guard), one without by its bearer token as everywhere.
 */
@Injectable()
export class EventTicketAuthGuard extends AuthGuard(EVENT_TICKET_STRATEGY) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!hasTicket(context.switchToHttp().getRequest<{ query?: unknown }>())) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false | null): TUser {
    if (error instanceof Error) throw error;
    if (!user) {
      throw new ProblemException({
        status: 401,
        type: ProblemType.Unauthorized,
        detail: 'The stream ticket is unknown, used or expired: ask for a new one with POST /api/events/tickets.',
        headers: { 'www-authenticate': 'Bearer realm="tasks-api"' },
      });
    }
    return user;
  }
}

/**
 * Lets a route take a stream ticket instead of a bearer token. The metadata (read by JwtAuthGuard)
 * and the guard that checks the ticket always come together, so no route can skip both. Not
 * @Public(): that means no authentication at all.
 */
export const TicketAuth = () => applyDecorators(SetMetadata(TICKET_AUTH_KEY, true), UseGuards(EventTicketAuthGuard));
