import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import { Unauthenticated } from '../common/errors.js';
import { LOCAL_ISSUER, LocalTokens } from './local-tokens.js';
import { OidcTokens } from './oidc-tokens.js';
import type { SignedInActor } from './policy.js';
import { Principals } from './principals.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+)$/;

/**
 * Who sends a request, from its `Authorization: Bearer` header: an API token, a token Lotse signed (local sign-in),
 * or an access token of the configured OpenID Connect provider, told apart by prefix and issuer.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly local: LocalTokens,
    private readonly oidc: OidcTokens,
    private readonly apiTokens: ApiTokensService,
    private readonly principals: Principals,
  ) {}

  async authenticate(authorization: string | undefined): Promise<SignedInActor> {
    if (!authorization)
      throw new Unauthenticated('sign in and send the token as Authorization: Bearer <token>', 'signed-in');
    const token = BEARER.exec(authorization.trim())?.[1];
    if (!token) throw new Unauthenticated('the Authorization header must be "Bearer <token>"', 'signed-in');
    const actor = await this.verify(token);
    await this.principals.remember(actor);
    return actor;
  }

  private async verify(token: string): Promise<SignedInActor> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.apiTokens.authenticate(token);
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new Unauthenticated('the token is neither an API token nor a JWT', 'token-valid');
    }
    if (issuer === LOCAL_ISSUER) return this.local.verify(token);
    if (this.oidc.issuer && issuer?.replace(/\/$/, '') === this.oidc.issuer) return this.oidc.verify(token);
    throw new Unauthenticated('the token was issued by an issuer Lotse does not trust', 'token-issuer-trusted');
  }
}
