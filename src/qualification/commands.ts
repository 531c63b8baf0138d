/** What every command of the qualification shares: the idempotency of a request, the context of an instance. */
import type { InstanceSummary } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';

/**
 * The client's `Idempotency-Key` with what identifies its request: the action, its parameters and body, and the
 * caller. The same key for another request is refused (422 `idempotency-key-reused`).
 */
export function idempotent(
  key: string | undefined,
  actor: Actor,
  action: string,
  ...request: unknown[]
): { key: string; request: unknown } | undefined {
  return key === undefined ? undefined : { key, request: [action, actor, ...request] };
}

export function contextOf<T>(instance: InstanceSummary): T {
  return instance.context as unknown as T;
}
