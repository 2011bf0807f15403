import { createParamDecorator, type ExecutionContext, InternalServerErrorException, Logger } from '@nestjs/common';
import type { Principal } from './principal.js';

const logger = new Logger('CurrentUser');

/**
 * The verified caller. Throws a 500 (and logs it) if a handler using it ever runs without an
 * authenticated user: that is a wiring bug (a @Public() route asking for a user), never a
 * client error, and must not be answered as if the request were anonymous.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ user?: Principal; url?: string }>();
  if (!request.user?.id) {
    logger.error(`@CurrentUser() used on ${request.url ?? 'a route'} that has no authenticated user: is it @Public()?`);
    throw new InternalServerErrorException();
  }
  return request.user;
});
