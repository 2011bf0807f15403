import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { ProblemType } from '../../common/problem/problem-type.js';
import { ProblemException } from '../../common/problem/problem.exception.js';

/**
 * The compatibility routes name the user in the path (`/api/:userId/tasks`); it must be the
 * caller. Runs after the global authentication guard and before any validation, so a request for
 * someone else's path learns nothing but 403.
 */
@Injectable()
export class OwnPathUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: Principal; params: Record<string, string | undefined> }>();
    if (request.user?.id !== undefined && request.params.userId === request.user.id) return true;
    throw new ProblemException({ status: 403, type: ProblemType.Forbidden, detail: 'The user in the path is not the caller: you can only reach your own tasks.' });
  }
}
