import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { ChangeNotifier } from './change-notifier.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * With Redis (REDIS_URL), publishes a wake-up for the caller once a request that may have written their tasks (any
 * authenticated POST, PUT, PATCH or DELETE: REST, the compatibility routes, MCP) has succeeded:
 * its handler has returned, so its transaction has committed. One place for every write path;
 * a wake-up for a request that wrote nothing costs one empty read per stream of that user. With
 * PostgreSQL the trigger notifies instead, and this interceptor is not registered (EventsModule.forRoot).
 */
@Injectable()
export class ChangePublishingInterceptor implements NestInterceptor {
  constructor(@Inject(ChangeNotifier) private readonly notifier: ChangeNotifier) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string; user?: Principal }>();
    const ownerId = request.user?.id;
    if (ownerId === undefined || SAFE_METHODS.has(request.method)) return next.handle();
    return next.handle().pipe(tap(() => this.notifier.publish(ownerId, { kind: 'changes' })));
  }
}
