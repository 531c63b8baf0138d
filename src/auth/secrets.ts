import { createHash, randomBytes } from 'node:crypto';

/**
 * A new secret for an API token or a calendar feed: 32 random bytes, base64url, behind a prefix that says what it
 * is (so a leaked one is recognised by secret scanners and people alike).
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** How a secret is stored and looked up: its SHA-256, hex. */
export function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
