import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../engine/workflow-engine.js';
import { MalformedRequest } from '../engine/errors.js';

export const ACTOR_ID_HEADER = 'x-actor-id';
export const ACTOR_ROLE_HEADER = 'x-actor-role';

/**
 * The caller, from the X-Actor-Id and X-Actor-Role headers. Authentication (a later issue) replaces the source of
 * these values, not their use: every service method takes the actor explicitly.
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request>();
  const id = request.header(ACTOR_ID_HEADER)?.trim();
  const role = request.header(ACTOR_ROLE_HEADER)?.trim();
  if (!id || !role) {
    throw new MalformedRequest(`headers ${ACTOR_ID_HEADER} and ${ACTOR_ROLE_HEADER} name the caller and are required`, 'actor-identified');
  }
  return { id, role };
});
