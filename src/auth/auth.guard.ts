import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { OutOfScope, Unauthenticated } from '../common/errors.js';
import { PUBLIC_ROUTE, ROUTE_PERMISSION } from './auth.decorators.js';
import { Authenticator } from './authenticator.js';
import { requirePermission, type PermissionName, type SignedInActor } from './policy.js';

export type SignedInRequest = Request & { actor?: SignedInActor };

/**
 * Runs before every route (APP_GUARD): a public route passes; any other needs a valid bearer token (401) and the
 * role its declared permission lists (403). A route that declares no permission is refused: closed by default.
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
    try {
      request.actor = await this.authenticator.authenticate(request.header('authorization'));
    } catch (error) {
      if (error instanceof Unauthenticated) context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="lotse"');
      throw error;
    }
    const permission = this.reflector.getAllAndOverride<PermissionName | undefined>(ROUTE_PERMISSION, targets);
    if (!permission) throw new OutOfScope('this route declares no permission, so nobody may use it', 'route-declares-permission', {});
    requirePermission(request.actor, permission);
    return true;
  }
}
