/** What every command of the qualification shares: refusing by a broken rule, the idempotency of a request. */
import type { BrokenRule } from '../../workflows/tandem-qualification/rules.js';
import { RuleViolation } from '../common/errors.js';
import type { InstanceSummary } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';

/** A broken rule becomes a 422 answer naming it; nothing of the command is stored. */
export function refuse(broken: BrokenRule | null): void {
  if (broken) throw new RuleViolation(broken.rule, broken.message, broken.details);
}

/**
 * The client's `Idempotency-Key` with what identifies its request: the action, its parameters and body, and the
 * caller. The same key for another request is refused (422 `idempotency-key-reused`).
 */
export function idempotent(key: string | undefined, actor: Actor, action: string, ...request: unknown[]): { key: string; request: unknown } | undefined {
  return key === undefined ? undefined : { key, request: [action, actor, ...request] };
}

export function contextOf<T>(instance: InstanceSummary): T {
  return instance.context as unknown as T;
}
