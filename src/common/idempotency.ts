import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { IDEMPOTENCY_KEY_HEADER } from './request-guard.js';

/** Documents the optional header once (a `@Headers()` parameter would declare it a second time, as required). */
export const IdempotencyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A repeat of the same request under the same key returns the first answer and writes nothing; another request under a used key is refused (422 idempotency-key-reused)',
  });

/** The client's Idempotency-Key header, if it sent one. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext) =>
  context.switchToHttp().getRequest<Request>().header(IDEMPOTENCY_KEY_HEADER),
);
