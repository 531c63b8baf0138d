import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblem } from '../common/problem.responses.js';
import { PERMISSIONS, type PermissionName } from './policy.js';

export const PUBLIC_ROUTE = 'lotse:public';
export const ROUTE_PERMISSION = 'lotse:permission';
export const SESSION_COOKIE_ROUTE = 'lotse:session-cookie';

/** The route answers without sign-in (health, docs, certificate verification, sign-in, calendar feeds by secret). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The route also accepts the web interface's session cookie (src/auth/session-cookie.ts) when no Authorization header
 * is sent: the pages under /app, and downloads a page links to (a certificate's PDF). A write it authenticates passes
 * the same-origin check.
 */
export const SessionCookie = () => SetMetadata(SESSION_COOKIE_ROUTE, true);

/**
 * The permission a route needs (see PERMISSIONS in policy.ts). Every non-public route declares one; the AuthGuard
 * refuses a route that declares none. Documents the bearer sign-in and what it refuses: no valid token (401), a role
 * or scope the route does not serve (403), an identity provider that cannot be asked (503).
 */
export const Allow = (permission: PermissionName) =>
  applyDecorators(
    SetMetadata(ROUTE_PERMISSION, permission),
    ApiBearerAuth(),
    ApiProblem(401),
    ApiProblem(403, `Roles allowed: ${PERMISSIONS[permission].roles.join(', ')}; and only within the caller's scope`),
    ApiProblem(503),
  );
