import type { Refusal } from '../../workflows/shared/refusal.js';

/**
 * Domain errors: plain Error subclasses, free of HTTP. One exception filter maps them to problem+json.
 * `rule` names the rule a request broke, so a caller can tell refusals apart without parsing prose.
 */
export abstract class LotseError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  constructor(
    message: string,
    readonly rule?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed. */
export class MalformedRequest extends LotseError {
  readonly status = 400;
  readonly title = 'Malformed request';
}

/** 401: no valid sign-in came with the request. The message never repeats the token. */
export class Unauthenticated extends LotseError {
  readonly status = 401;
  readonly title = 'Sign-in required';
}

/** 403: the caller may not act on this object. */
export class OutOfScope extends LotseError {
  readonly status = 403;
  readonly title = 'Not in your scope';
}

/** 404 */
export class NotFound extends LotseError {
  readonly status = 404;
  readonly title = 'Not found';
}

/** 409: the instance's current state does not accept this event. */
export class EventNotAccepted extends LotseError {
  readonly status = 409;
  readonly title = 'Event not allowed in the current state';
  constructor(eventType: string, state: string, accepted: string[]) {
    super(
      `event ${eventType} is not allowed in state ${state}; allowed now: ${accepted.length ? accepted.join(', ') : 'none'}`,
      'event-allowed-in-state',
      { event: eventType, state, acceptedEvents: accepted },
    );
  }
}

/** 409: another writer changed the instance and retries did not resolve it. */
export class ConcurrentUpdate extends LotseError {
  readonly status = 409;
  readonly title = 'Concurrent update';
}

/** A refusal that always names its rule: the rule comes first. */
abstract class RuleRefusal extends LotseError {
  constructor(rule: string, message: string, details: Record<string, unknown> = {}) {
    super(message, rule, details);
  }
}

/** 422: a domain rule refuses the request. */
export class RuleViolation extends RuleRefusal {
  readonly status = 422;
  readonly title = 'Rule violated';
}

/** 429: too many requests of one kind from one client address. */
export class TooManyRequests extends LotseError {
  readonly status = 429;
  readonly title = 'Too many requests';
}

/** 409: the request conflicts with what is recorded (a contract terminated, an amendment already confirmed). */
export class RecordConflict extends RuleRefusal {
  readonly status = 409;
  readonly title = 'Conflicts with the contract record';
}

/**
 * 503: the database cannot take writes now (full disk, read-only file, I/O error, connection lost). Nothing of the
 * request was stored; the same request may be sent again once the fault clears.
 */
export class StorageUnavailable extends LotseError {
  readonly status = 503;
  readonly title = 'Storage unavailable';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'storage-unavailable', details);
  }
}

/** 503: the identity provider could not be asked for its keys. */
export class IdentityProviderUnavailable extends LotseError {
  readonly status = 503;
  readonly title = 'Identity provider unavailable';
}

/**
 * The longest `Idempotency-Key` a client may send (also the edge's header limit): the engine stores it behind its
 * scope (`<instance id>:<key>`, 36 + 1 + 128) in a column of 200.
 */
export const IDEMPOTENCY_KEY_MAX = 128;

/** 400: an `Idempotency-Key` header that cannot be a key (empty, too long, or not printable ASCII). */
export class MalformedIdempotencyKey extends MalformedRequest {
  constructor(key: string) {
    super(`Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters`, 'idempotency-key-format', {
      length: key.length,
    });
  }
}

/** The one way a rule's refusal becomes an answer (422, 409 or 403 naming the rule); nothing of the request is stored. */
export function refuse(refusal: Refusal): never;
export function refuse(refusal: Refusal | null): void;
export function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  if (refusal.status === 409) throw new RecordConflict(refusal.rule, refusal.message, refusal.details);
  if (refusal.status === 403) throw new OutOfScope(refusal.message, refusal.rule, refusal.details);
  throw new RuleViolation(refusal.rule, refusal.message, refusal.details);
}
