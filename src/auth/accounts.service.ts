import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { PartnerSide } from '../../workflows/contract-review/contract.js';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../engine/clock.js';
import { RuleViolation, Unauthenticated } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import { AuthRepository } from './auth.repository.js';
import { AccountRow } from './entities.js';
import { LocalTokens } from './local-tokens.js';
import type { Role } from './policy.js';
import { Principals } from './principals.js';

/** argon2id with the parameters OWASP recommends as a minimum (19 MiB, 2 passes, 1 lane): @node-rs/argon2's own defaults. */
const ARGON2ID = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Compared against when the user name is unknown, so an unknown name costs as long as a wrong password. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$atHwc9h8G9lkfrDvSpN/hA$pU9goM/k613LT6LuPzJxkZq0uv0NqSSv09XmmIKkB6g';

export interface NewAccount {
  username: string;
  password: string;
  role: Role;
  /** The actor id (see policy.ts): a district's `koeln/<clerk>`, a person's id, an administrator's id. */
  actorId: string;
  name: string;
  partner?: PartnerSide;
}

/** Local accounts, the embedded default: a user name and an argon2id password hash, signing in for a bearer token. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly tokens: LocalTokens,
    private readonly principals: Principals,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** Accounts are made from the command line (`npm run account`, the demo), which the audit log names as `by`. */
  async create(
    account: NewAccount,
    by: Actor = { id: 'command-line', role: 'system' },
  ): Promise<{ id: string; username: string }> {
    const username = account.username.trim().toLowerCase();
    if (account.password.length < 12)
      throw new RuleViolation('password-length', 'a password has at least 12 characters', {});
    if ((account.role === 'contract_admin') !== !!account.partner) {
      throw new RuleViolation(
        'contract-admin-partner',
        'a contract administrator, and only one, acts for a partner: land or kommune',
        { role: account.role },
      );
    }
    if (await this.repository.accountByUsername(username))
      throw new RuleViolation('username-unique', `the user name ${username} is taken`, { username });
    const row = Object.assign(new AccountRow(), {
      id: randomUUID(),
      username,
      passwordHash: await hash(account.password, ARGON2ID),
      role: account.role,
      actorId: account.actorId,
      partner: account.partner ?? null,
      name: account.name,
      createdAt: this.clock.now().toISOString(),
      disabledAt: null,
    });
    await this.repository.transaction(async (em) => {
      await em.insert(AccountRow, row);
      await this.audit.record(em, by, {
        action: 'account.created',
        subject: { type: 'account', id: row.id },
        personId: row.actorId,
        details: { role: row.role },
      });
    });
    await this.principals.remember({ id: row.actorId, role: row.role, partner: account.partner });
    return { id: row.id, username };
  }

  /** A bearer token for a user name and password; 401 names no reason beyond "wrong", so names cannot be probed. */
  async signIn(
    username: string,
    password: string,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; role: Role; actor_id: string }> {
    const account = await this.repository.accountByUsername(username.trim());
    const matches = await verify(account?.passwordHash ?? DUMMY_HASH, password);
    if (!account || !matches || account.disabledAt) {
      throw new Unauthenticated('user name or password is wrong', 'sign-in-credentials');
    }
    const actor = { id: account.actorId, role: account.role, ...(account.partner ? { partner: account.partner } : {}) };
    const { token, expiresAt } = await this.tokens.issue(actor);
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: Math.round((expiresAt.getTime() - this.clock.now().getTime()) / 1000),
      role: account.role,
      actor_id: account.actorId,
    };
  }
}
