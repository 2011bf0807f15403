import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { MeController } from './me.controller.js';
import { TokenVerifier } from './token-verifier.js';

/** Bearer-token authentication for every route not marked @Public(). See TokenVerifier. */
@Module({
  imports: [PassportModule.register({ session: false })],
  controllers: [MeController],
  providers: [TokenVerifier, JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }],
  exports: [TokenVerifier],
})
export class AuthModule {}
