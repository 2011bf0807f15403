import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { unauthorized } from './auth-errors.js';
import { JwtStrategy } from './jwt.strategy.js';
import type { Principal } from './principal.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';

type PassportMiddleware = (request: unknown, response: unknown, next: (error?: unknown) => void) => void;

/**
 * The global guard (APP_GUARD): every route needs a valid bearer token unless it, or its
 * controller, is marked @Public(). The principal goes to `request.user` (see @CurrentUser()).
 *
 * Not @nestjs/passport's AuthGuard: it asks Passport for the strategy by name, in a registry
 * shared by the whole process, where the application created last wins. Two applications in one
 * process (a test suite booting two configurations) would both verify tokens with the last one's
 * secret and JWKS. This guard hands Passport its own application's strategy instead.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: JwtStrategy,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic === true) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<{ user?: Principal }>();
    return new Promise((resolve, reject) => {
      const settle = (error: unknown, user?: Principal | false) => {
        if (error instanceof Error) reject(error);
        else if (error || !user) reject(unauthorized());
        else {
          request.user = user;
          resolve(true);
        }
      };
      // A fresh object per request, as Passport itself makes for a strategy named in its
      // registry: it attaches this request's success/fail/error actions to the object it gets.
      const strategy = Object.create(this.strategy) as passport.Strategy;
      const authenticate = passport.authenticate(strategy, { session: false }, settle) as PassportMiddleware;
      authenticate(request, http.getResponse(), (error) => settle(error ?? unauthorized()));
    });
  }
}
