import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../engine/clock.js';
import { StorageUnavailable } from '../engine/errors.js';
import { AuthRepository } from './auth.repository.js';
import { PrincipalRow } from './entities.js';
import type { SignedInActor } from './policy.js';

/**
 * The directory of everyone who has signed in (role, actor id, partner). A per-process memo saves the lookup on
 * every request; the table is the truth, so another process merely writes the same row once more. While the
 * database takes no writes (a full disk), a caller is recorded on a later request: its reads go on meanwhile.
 */
@Injectable()
export class Principals {
  private readonly logger = new Logger(Principals.name);
  private readonly seen = new Set<string>();

  constructor(
    private readonly repository: AuthRepository,
    private readonly clock: Clock,
  ) {}

  async remember(actor: Pick<SignedInActor, 'id' | 'role' | 'partner'>): Promise<void> {
    const key = JSON.stringify([actor.role, actor.id, actor.partner ?? null]);
    if (this.seen.has(key)) return;
    try {
      await this.repository.rememberPrincipal(Object.assign(new PrincipalRow(), {
        role: actor.role, actorId: actor.id, partner: actor.partner ?? null, firstSeenAt: this.clock.now().toISOString(),
      }));
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      this.logger.warn(`${actor.role} ${actor.id} not recorded as signed in yet: ${error.message}`);
      return;
    }
    this.seen.add(key);
  }
}
