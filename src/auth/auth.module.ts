import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { JwtStrategy } from './jwt.strategy.js';
import { MeController } from './me.controller.js';
import { TokenVerifier } from './token-verifier.js';

/** Bearer-token authentication for every route not marked @Public(): JwtAuthGuard → JwtStrategy → TokenVerifier. */
@Module({
  controllers: [MeController],
  providers: [TokenVerifier, JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }],
})
export class AuthModule {}
