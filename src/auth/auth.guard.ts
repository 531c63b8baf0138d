import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { OutOfScope, Unauthenticated } from '../common/errors.js';
import { PUBLIC_ROUTE, ROUTE_PERMISSION, SESSION_COOKIE_ROUTE } from './auth.decorators.js';
import { Authenticator } from './authenticator.js';
import { requirePermission, type PermissionName, type SignedInActor } from './policy.js';
import { requireSameOrigin, sessionToken } from './session-cookie.js';

export type SignedInRequest = Request & { actor?: SignedInActor };

/**
 * Runs before every route (APP_GUARD): a public route passes; any other needs a valid bearer token (401) and the
 * role its declared permission lists (403). A route that declares no permission is refused: closed by default.
 * A route that declares `@SessionCookie()` takes the token from the web session's cookie when no Authorization
 * header is sent; a write so authenticated must come from a page of the same origin (403 `csrf-same-origin`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const header = request.header('authorization');
    const cookie =
      header === undefined && this.reflector.getAllAndOverride<boolean>(SESSION_COOKIE_ROUTE, targets)
        ? sessionToken(request)
        : undefined;
    try {
      request.actor = await this.authenticator.authenticate(cookie ? `Bearer ${cookie}` : header);
    } catch (error) {
      if (error instanceof Unauthenticated)
        context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="lotse"');
      throw error;
    }
    if (cookie) requireSameOrigin(request);
    const permission = this.reflector.getAllAndOverride<PermissionName | undefined>(ROUTE_PERMISSION, targets);
    if (!permission)
      throw new OutOfScope('this route declares no permission, so nobody may use it', 'route-declares-permission', {});
    requirePermission(request.actor, permission);
    return true;
  }
}
