import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import { Clock } from '../engine/clock.js';
import { NotFound, OutOfScope } from '../common/errors.js';
import type { CalendarFeed } from '../qualification/calendar.js';
import { ParticipantsService } from '../qualification/participants.service.js';
import { AuthRepository } from './auth.repository.js';
import { CalendarSubscriptionRow } from './entities.js';
import type { SignedInActor } from './policy.js';
import { digestOf, newSecret } from './secrets.js';

const FEED_PREFIX = 'lotse_cal_';

export interface CalendarSubscriptionView {
  id: string;
  kind: 'person' | 'group';
  subjectId: string;
  createdAt: string;
  revokedAt: string | null;
}

function view(row: CalendarSubscriptionRow): CalendarSubscriptionView {
  return { id: row.id, kind: row.kind, subjectId: row.subjectId, createdAt: row.createdAt, revokedAt: row.revokedAt };
}

/**
 * Secret calendar feed URLs that a calendar application subscribes to without signing in: a participant's own
 * events, or a group's (for the institute and the group's moderators). The URL is the credential: shown once,
 * stored as a digest, revocable. A feed shows what its creator may see today, so it ends with the creator's access.
 */
@Injectable()
export class CalendarSubscriptionsService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: SignedInActor, groupId?: string): Promise<CalendarSubscriptionView & { path: string }> {
    let kind: 'person' | 'group';
    if (groupId) {
      kind = 'group';
      await this.participants.groupCalendar(actor, groupId);
    } else {
      if (actor.role !== 'participant') {
        throw new OutOfScope(
          "a personal feed shows a participant's own events; the institute and moderators subscribe to a group (groupId)",
          'calendar-feed-subject',
          { role: actor.role },
        );
      }
      kind = 'person';
      await this.participants.personCalendar(actor, actor.id);
    }
    const token = newSecret(FEED_PREFIX);
    const row = Object.assign(new CalendarSubscriptionRow(), {
      id: randomUUID(),
      tokenHash: digestOf(token),
      kind,
      subjectId: groupId ?? actor.id,
      ownerId: actor.id,
      ownerRole: actor.role,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    });
    await this.repository.transaction(async (em) => {
      await em.insert(CalendarSubscriptionRow, row);
      await this.audit.record(em, actor, {
        action: 'calendar-subscription.created',
        subject: { type: 'calendar-subscription', id: row.id },
        personId: actor.id,
        details: { kind },
      });
    });
    return { ...view(row), path: `/calendar/${token}.ics` };
  }

  async list(actor: SignedInActor): Promise<CalendarSubscriptionView[]> {
    return (await this.repository.subscriptionsOf(actor.role, actor.id)).map(view);
  }

  async revoke(actor: SignedInActor, id: string): Promise<CalendarSubscriptionView> {
    const row = await this.repository.subscription(id);
    if (!row || row.ownerId !== actor.id || row.ownerRole !== actor.role)
      throw new NotFound(`you have no calendar subscription ${id}`, 'calendar-subscription-exists', { id });
    if (!row.revokedAt) {
      row.revokedAt = this.clock.now().toISOString();
      await this.repository.transaction(async (em) => {
        await em.update(CalendarSubscriptionRow, { id }, { revokedAt: row.revokedAt });
        await this.audit.record(em, actor, {
          action: 'calendar-subscription.revoked',
          subject: { type: 'calendar-subscription', id },
          personId: actor.id,
        });
      });
    }
    return view(row);
  }

  /** The feed behind a secret URL; an unknown or revoked one, or one whose creator lost access, is 404. */
  async feed(file: string): Promise<CalendarFeed> {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const row = token.startsWith(FEED_PREFIX) ? await this.repository.subscriptionByHash(digestOf(token)) : null;
    const gone = new NotFound('no calendar feed at this address (revoked or never issued)', 'calendar-feed-known', {});
    if (!row) throw gone;
    const owner = { id: row.ownerId, role: row.ownerRole };
    try {
      return row.kind === 'group'
        ? await this.participants.groupCalendar(owner, row.subjectId)
        : await this.participants.personCalendar(owner, row.subjectId);
    } catch (error) {
      if (error instanceof OutOfScope || error instanceof NotFound) throw gone;
      throw error;
    }
  }
}
