/**
 * Sign-in and subscription tables. Secrets are never stored: passwords as argon2id hashes, API tokens and calendar
 * feed tokens as SHA-256 digests (they are 256-bit random values, so a fast digest suffices). Instants are ISO strings.
 */
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PartnerSide } from '../../workflows/contract-review/contract.js';
import type { Role } from './policy.js';

const str = (length: number, name?: string, nullable = false) =>
  Column({ ...(name ? { name } : {}), type: 'varchar', length, nullable });

/** The key that signs Lotse's own tokens when no key is configured: generated once, shared by every process. */
@Entity('auth_signing_keys')
export class SigningKeyRow {
  @PrimaryColumn({ type: 'varchar', length: 20 }) id!: string;
  @Column({ name: 'private_key', type: 'text' }) privateKey!: string;
  @str(30, 'created_at') createdAt!: string;
}

/** A local account (the embedded default when no identity provider is configured). */
@Entity('auth_accounts')
export class AccountRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  /** Lower case; unique. */
  @str(100) username!: string;
  @str(200, 'password_hash') passwordHash!: string;
  @str(20) role!: Role;
  @str(200, 'actor_id') actorId!: string;
  @str(10, 'partner', true) partner!: PartnerSide | null;
  @str(200) name!: string;
  @str(30, 'created_at') createdAt!: string;
  @str(30, 'disabled_at', true) disabledAt!: string | null;
}

/**
 * Everyone who has signed in, by actor id and role: the directory that lets a contract name only administrators the
 * partners themselves brought in (their identity provider or local accounts vouch for them).
 */
@Entity('auth_principals')
export class PrincipalRow {
  @PrimaryColumn({ type: 'varchar', length: 20 }) role!: Role;
  @PrimaryColumn({ name: 'actor_id', type: 'varchar', length: 200 }) actorId!: string;
  @str(10, 'partner', true) partner!: PartnerSide | null;
  @str(30, 'first_seen_at') firstSeenAt!: string;
}

/** A token for a machine integration: acts as the person who created it, until revoked or expired. */
@Entity('auth_api_tokens')
export class ApiTokenRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @str(100) name!: string;
  @str(64, 'token_hash') tokenHash!: string;
  @str(20) role!: Role;
  @str(200, 'actor_id') actorId!: string;
  @str(10, 'partner', true) partner!: PartnerSide | null;
  @str(30, 'created_at') createdAt!: string;
  @str(30, 'expires_at', true) expiresAt!: string | null;
  @str(30, 'revoked_at', true) revokedAt!: string | null;
}

/** A secret calendar feed URL: a person's own events, or a group's. */
@Entity('calendar_subscriptions')
export class CalendarSubscriptionRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @str(64, 'token_hash') tokenHash!: string;
  @str(10) kind!: 'person' | 'group';
  @str(36, 'subject_id') subjectId!: string;
  /** Who created it; the feed shows what this actor may see, so a moderator who leaves a group loses its feed. */
  @str(200, 'owner_id') ownerId!: string;
  @str(20, 'owner_role') ownerRole!: Role;
  @str(30, 'created_at') createdAt!: string;
  @str(30, 'revoked_at', true) revokedAt!: string | null;
}

export const AUTH_ENTITIES = [SigningKeyRow, AccountRow, PrincipalRow, ApiTokenRow, CalendarSubscriptionRow];
