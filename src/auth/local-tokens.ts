import { Injectable } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { LotseConfig } from '../../config/configuration.js';
import { PARTNER_SIDES } from '../../workflows/contract-review/contract.js';
import { Clock } from '../engine/clock.js';
import { AuthRepository } from './auth.repository.js';
import { SigningKeyRow } from './entities.js';
import { Unauthenticated } from '../common/errors.js';
import { isRole, type SignedInActor } from './policy.js';

/** Issuer and audience of the tokens Lotse signs itself. */
export const LOCAL_ISSUER = 'lotse';
export const LOCAL_AUDIENCE = 'lotse';
const ALGORITHM = 'EdDSA';
/** How many verified tokens a process remembers. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** The claims of a Lotse token: `sub` is the actor id, `role` its role, `partner` a contract administrator's side. */
export interface LocalClaims {
  sub: string;
  role: string;
  partner?: string;
  iat: number;
  exp: number;
}

/** Key id of a signing key: the first 16 characters of its public key's SHA-256, so a changed key is recognised. */
export function keyIdOf(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64url').slice(0, 16);
}

/**
 * Signs a compact JWS (EdDSA) synchronously with node:crypto; tokens are verified with `jose`. Used for sign-in
 * and, with a test key, by the test harness.
 */
export function signLocalToken(privateKey: KeyObject, claims: LocalClaims): string {
  const header = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT', kid: keyIdOf(privateKey) })).toString(
    'base64url',
  );
  const payload = Buffer.from(JSON.stringify({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, ...claims })).toString(
    'base64url',
  );
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * Lotse's own bearer tokens: signed with the configured key (`authSigningKey`) or, without one, with a key generated
 * once and kept in the database so that every process of an installation accepts every other's tokens.
 */
@Injectable()
export class LocalTokens {
  private key?: Promise<KeyObject>;
  private verifyingKey?: Promise<KeyObject>;
  /**
   * Tokens already verified, by token, oldest first: a signature check (EdDSA) costs more than the rest of a typical
   * request. Nothing here can go stale between processes: a Lotse token cannot be revoked, only expire, and the
   * expiry is checked on every use.
   */
  private readonly verified = new Map<string, { actor: SignedInActor; expiresAt: number }>();

  constructor(
    private readonly repository: AuthRepository,
    private readonly config: LotseConfig,
    private readonly clock: Clock,
  ) {}

  /** A token for the actor, valid for `authTokenMinutes`. */
  async issue(actor: Pick<SignedInActor, 'id' | 'role' | 'partner'>): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + this.config.authTokenMinutes * 60;
    const token = signLocalToken(await this.signingKey(), {
      sub: actor.id,
      role: actor.role,
      ...(actor.partner ? { partner: actor.partner } : {}),
      iat: now,
      exp,
    });
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<SignedInActor> {
    const now = this.clock.now().getTime();
    const known = this.verified.get(token);
    if (known && now < known.expiresAt) return { ...known.actor };
    const checked = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, checked);
    return { ...checked.actor };
  }

  /** Checks signature and claims; the answer holds until the token expires, as long as the key stays the same. */
  private async verifySignature(token: string): Promise<{ actor: SignedInActor; expiresAt: number }> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.publicKey(), {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw invalidToken(error);
    }
    const { sub, role, partner } = payload;
    if (typeof sub !== 'string' || !sub || sub.length > 200 || !isRole(role)) {
      throw new Unauthenticated('the token does not name a Lotse role and actor', 'token-valid');
    }
    const side = PARTNER_SIDES.find((p) => p === partner);
    return {
      actor: { id: sub, role, ...(role === 'contract_admin' && side ? { partner: side } : {}), via: 'person' },
      expiresAt: (payload.exp as number) * 1000,
    };
  }

  private publicKey(): Promise<KeyObject> {
    this.verifyingKey ??= this.signingKey().then(
      (key) => createPublicKey(key),
      (error) => {
        this.verifyingKey = undefined;
        throw error;
      },
    );
    return this.verifyingKey;
  }

  private signingKey(): Promise<KeyObject> {
    this.key ??= this.loadKey().catch((error) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async loadKey(): Promise<KeyObject> {
    if (this.config.authSigningKey) return createPrivateKey(this.config.authSigningKey);
    const stored = await this.repository.signingKey();
    if (stored) return createPrivateKey(stored.privateKey);
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // Two processes starting at once: the first insert wins, both use the stored key.
    const kept = await this.repository.storeSigningKey(
      Object.assign(new SigningKeyRow(), { id: 'local', privateKey: pem, createdAt: this.clock.now().toISOString() }),
    );
    return createPrivateKey(kept.privateKey);
  }
}

/** A refusal that says why without repeating the token. */
export function invalidToken(error: unknown): Unauthenticated {
  if (error instanceof joseErrors.JWTExpired)
    return new Unauthenticated('the token has expired; sign in again', 'token-valid');
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return new Unauthenticated(`the token was not issued for Lotse (${error.claim})`, 'token-valid');
  return new Unauthenticated('the token is not valid (signature, format or key)', 'token-valid');
}
