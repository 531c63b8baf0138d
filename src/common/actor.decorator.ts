import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SignedInRequest } from '../auth/auth.guard.js';
import type { SignedInActor } from '../auth/policy.js';

/**
 * The signed-in caller, as the AuthGuard established it from the bearer token (role and scope from the token's
 * claims). Every service method takes the actor explicitly.
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): SignedInActor => {
  const actor = context.switchToHttp().getRequest<SignedInRequest>().actor;
  // Only reachable on a public route, which must not ask for the caller.
  if (!actor) throw new Error('CurrentActor used on a route without sign-in');
  return actor;
});
