import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../engine/clock.js';
import { NotFound, OutOfScope, RuleViolation, Unauthenticated } from '../common/errors.js';
import { AuthRepository } from './auth.repository.js';
import { ApiTokenRow } from './entities.js';
import type { SignedInActor } from './policy.js';
import { digestOf, newSecret } from './secrets.js';

export const API_TOKEN_PREFIX = 'lotse_api_';

export interface ApiTokenView {
  id: string;
  name: string;
  role: string;
  actorId: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

function view(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    actorId: row.actorId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * API tokens for machine integrations. A token acts as the person who created it, with that person's role and
 * scope, never more; it is shown once and stored as a digest; its creator revokes it.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: SignedInActor, name: string, expiresAt?: string): Promise<ApiTokenView & { token: string }> {
    if (actor.via !== 'person') {
      throw new OutOfScope(
        'an API token is created by a signed-in person, not by another API token',
        'api-token-by-person',
        {},
      );
    }
    const now = this.clock.now();
    if (expiresAt && new Date(expiresAt) <= now)
      throw new RuleViolation('api-token-expires-in-future', 'an API token expires in the future', { expiresAt });
    const token = newSecret(API_TOKEN_PREFIX);
    const row = Object.assign(new ApiTokenRow(), {
      id: randomUUID(),
      name,
      tokenHash: digestOf(token),
      role: actor.role,
      actorId: actor.id,
      partner: actor.partner ?? null,
      createdAt: now.toISOString(),
      expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
      revokedAt: null,
    });
    await this.repository.transaction(async (em) => {
      await em.insert(ApiTokenRow, row);
      await this.audit.record(em, actor, {
        action: 'api-token.created',
        subject: { type: 'api-token', id: row.id },
        personId: actor.id,
      });
    });
    return { ...view(row), token };
  }

  async list(actor: SignedInActor): Promise<ApiTokenView[]> {
    return (await this.repository.apiTokensOf(actor.role, actor.id)).map(view);
  }

  async revoke(actor: SignedInActor, id: string): Promise<ApiTokenView> {
    const row = await this.repository.apiToken(id);
    if (!row || row.actorId !== actor.id || row.role !== actor.role)
      throw new NotFound(`you have no API token ${id}`, 'api-token-exists', { id });
    if (!row.revokedAt) {
      row.revokedAt = this.clock.now().toISOString();
      await this.repository.transaction(async (em) => {
        await em.update(ApiTokenRow, { id }, { revokedAt: row.revokedAt });
        await this.audit.record(em, actor, {
          action: 'api-token.revoked',
          subject: { type: 'api-token', id },
          personId: actor.id,
        });
      });
    }
    return view(row);
  }

  async authenticate(token: string): Promise<SignedInActor> {
    const row = await this.repository.apiTokenByHash(digestOf(token));
    if (!row) throw new Unauthenticated('the API token is not known', 'token-valid');
    if (row.revokedAt) throw new Unauthenticated('the API token has been revoked', 'token-valid');
    if (row.expiresAt && new Date(row.expiresAt) <= this.clock.now())
      throw new Unauthenticated('the API token has expired', 'token-valid');
    return { id: row.actorId, role: row.role, ...(row.partner ? { partner: row.partner } : {}), via: 'api-token' };
  }
}
