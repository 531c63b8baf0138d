import { describe, expect, it } from '@jest/globals';
import { nextRetryDelay, type RetryPolicy } from './outbox-dispatcher.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The instants of every attempt of a message that never gets through, until it is dead-lettered. */
function attemptsOf(policy: RetryPolicy): number[] {
  const at = [0];
  for (let failures = 1; ; failures++) {
    const delay = nextRetryDelay(failures, policy);
    if (delay === null) return at;
    at.push(at[at.length - 1] + delay);
  }
}

describe('retrying an undeliverable message', () => {
  it('doubles the delay from the base up to the cap', () => {
    const policy = { baseMs: 30_000, maxDelayMs: HOUR, retryForMs: 72 * HOUR };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => nextRetryDelay(n, policy))).toEqual([
      30_000,
      MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      8 * MINUTE,
      16 * MINUTE,
      32 * MINUTE,
      HOUR,
      HOUR,
    ]);
  });

  it('keeps trying for at least the retry period (72 hours by default), then gives up', () => {
    const attempts = attemptsOf({ baseMs: 30_000, maxDelayMs: HOUR, retryForMs: 72 * HOUR });
    const last = attempts[attempts.length - 1];
    expect(last).toBeGreaterThanOrEqual(72 * HOUR);
    // Given up at the first failure after the period, not an hour-long delay later.
    expect(attempts[attempts.length - 2]).toBeLessThan(72 * HOUR);
    expect(attempts.length).toBeLessThan(90);
  });

  it('gives up at once with a zero period, and after 1 + 2 minutes with a three-minute period', () => {
    expect(nextRetryDelay(1, { baseMs: MINUTE, maxDelayMs: HOUR, retryForMs: 0 })).toBeNull();
    expect(attemptsOf({ baseMs: MINUTE, maxDelayMs: HOUR, retryForMs: 3 * MINUTE })).toEqual([0, MINUTE, 3 * MINUTE]);
  });
});
