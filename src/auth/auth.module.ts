import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ContractsModule } from '../contracts/contracts.module.js';
import { EngineModule } from '../engine/engine.module.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { Authenticator } from './authenticator.js';
import { InstanceAccess } from './instance-access.js';
import { LocalTokens } from './local-tokens.js';
import { OidcTokens } from './oidc-tokens.js';
import { Principals } from './principals.js';
import { RateLimiter } from './rate-limit.js';

/**
 * Sign-in: local accounts and Lotse's own tokens, the Land's OpenID Connect provider, API tokens; the guard that
 * every route passes, and the rate limits of sign-in and certificate verification.
 */
@Global()
@Module({
  imports: [EngineModule, ContractsModule],
  controllers: [AuthController],
  providers: [
    AuthRepository,
    InstanceAccess,
    RateLimiter,
    LocalTokens,
    OidcTokens,
    ApiTokensService,
    Principals,
    AccountsService,
    Authenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [
    AuthRepository,
    AccountsService,
    Principals,
    LocalTokens,
    InstanceAccess,
    RateLimiter,
    Authenticator,
    OidcTokens,
  ],
})
export class AuthModule {}
