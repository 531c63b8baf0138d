import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { PERMISSIONS, type PermissionName } from './policy.js';

export const PUBLIC_ROUTE = 'lotse:public';
export const ROUTE_PERMISSION = 'lotse:permission';

/** The route answers without sign-in (health, docs, certificate verification, sign-in, calendar feeds by secret). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The permission a route needs (see PERMISSIONS in policy.ts). Every non-public route declares one; the AuthGuard
 * refuses a route that declares none.
 */
export const Allow = (permission: PermissionName) => applyDecorators(
  SetMetadata(ROUTE_PERMISSION, permission),
  ApiBearerAuth(),
  ApiUnauthorizedResponse({ description: 'No valid bearer token (application/problem+json)' }),
  ApiForbiddenResponse({ description: `Roles allowed: ${PERMISSIONS[permission].roles.join(', ')}; and only within the caller's scope (application/problem+json)` }),
);
