import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { LotseConfig } from '../../config/configuration.js';
import { ApiProblem } from '../common/problem.responses.js';
import { Clock } from '../engine/clock.js';
import { TooManyRequests } from '../common/errors.js';

/** The limited kinds of request, each counted per client address and minute (limits from configuration). */
export type RateLimit = 'sign-in' | 'verification';
const RATE_LIMIT = 'lotse:rate-limit';
const WINDOW_MS = 60_000;
/** Above this many tracked addresses, expired windows are dropped before a new one is added. */
const PRUNE_AT = 10_000;

/**
 * Fixed one-minute windows per (kind, client address), counted in this process and timed by the Clock. With several
 * processes each allows the limit, which is enough to slow down guessing passwords or verification codes.
 */
@Injectable()
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly config: LotseConfig,
    private readonly clock: Clock,
  ) {}

  /** Counts one request; returns the seconds to wait when it is over the limit, else null. */
  take(kind: RateLimit, client: string): number | null {
    const now = this.clock.now().getTime();
    const key = `${kind} ${client}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size >= PRUNE_AT) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > this.limitOf(kind) ? Math.ceil((window.start + WINDOW_MS - now) / 1000) : null;
  }

  limitOf(kind: RateLimit): number {
    return kind === 'sign-in' ? this.config.signInLimitPerMinute : this.config.verifyLimitPerMinute;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(key);
  }
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const kind = this.reflector.get<RateLimit | undefined>(RATE_LIMIT, context.getHandler());
    if (!kind) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const wait = this.limiter.take(kind, request.ip ?? request.socket.remoteAddress ?? 'unknown');
    if (wait === null) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
    const limit = this.limiter.limitOf(kind);
    throw new TooManyRequests(
      `too many requests from this address: at most ${limit} a minute; try again in ${wait} s`,
      'rate-limit',
      { limit, retryAfterSeconds: wait },
    );
  }
}

/** Counts the route's requests against one limit (429 problem+json with Retry-After beyond it). */
export const RateLimited = (kind: RateLimit) =>
  applyDecorators(SetMetadata(RATE_LIMIT, kind), UseGuards(RateLimitGuard), ApiProblem(429));
