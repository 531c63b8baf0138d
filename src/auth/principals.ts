import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../engine/clock.js';
import { AuthRepository } from './auth.repository.js';
import { PrincipalRow } from './entities.js';
import type { SignedInActor } from './policy.js';

/**
 * The directory of everyone who has signed in (role, actor id, partner). A per-process memo saves the lookup on
 * every request; the table is the truth, so another process merely writes the same row once more. Remembering is
 * not what the caller asked for: a database that refuses writes (full disk, read-only file) must not fail a read,
 * so a failed write is logged and tried again on the caller's next request.
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
    const known = await this.repository.principal(actor.role as never, actor.id);
    if (!known || known.partner !== (actor.partner ?? null)) {
      try {
        await this.repository.rememberPrincipal(
          Object.assign(new PrincipalRow(), {
            role: actor.role,
            actorId: actor.id,
            partner: actor.partner ?? null,
            firstSeenAt: this.clock.now().toISOString(),
          }),
        );
      } catch (error) {
        this.logger.warn(`could not remember ${actor.role} ${actor.id} as signed in: ${(error as Error).message}`);
        return;
      }
    }
    this.seen.add(key);
  }
}
