import passport from 'passport';

type VerifyCallback = (request: unknown, done: (error: unknown, user?: unknown) => void) => void;

/**
 * The smallest Passport strategy: hands the whole request to a verify callback (what
 * `passport-custom` does, without the dependency). @nestjs/passport's `PassportStrategy` mixin
 * supplies the callback, which calls the subclass's `validate(request)`.
 *
 * Why not passport-jwt: its verifier is jsonwebtoken, which cannot verify EdDSA, the algorithm
 * Better Auth's JWT plugin signs with by default. Verification is done with jose instead (see
 * TokenVerifier); Passport keeps the usual Nest shape (strategy + guard) around it.
 */
export class RequestStrategy extends passport.Strategy {
  constructor(readonly verifyRequest: VerifyCallback) {
    super();
  }

  override authenticate(this: passport.StrategyCreated<this>, request: unknown): void {
    this.verifyRequest(request, (error, user) => {
      if (error) this.error(error);
      else if (user) this.success(user);
      else this.fail(401);
    });
  }
}
