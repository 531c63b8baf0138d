import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LotseConfig } from '../../config/configuration.js';
import { addDays } from '../../workflows/shared/calendar-day.js';
import { Clock } from '../engine/clock.js';
import { resolveDueAt } from '../engine/due-at.js';
import { RuleViolation } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import { AuditRow } from './audit.entities.js';
import { AuditRepository } from './audit.repository.js';

/** One thing to write down. `personId` is the person it is about; `details` never carry personal data. */
export interface AuditEntry {
  action: string;
  subject?: { type: string; id: string };
  personId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditView {
  id: number;
  at: string;
  actor: { id: string; role: string };
  action: string;
  subject: { type: string; id: string | null } | null;
  personId: string | null;
  details: Record<string, unknown>;
}

function view(row: AuditRow): AuditView {
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actorId, role: row.actorRole },
    action: row.action,
    subject: row.subjectType ? { type: row.subjectType, id: row.subjectId } : null,
    personId: row.personId,
    details: row.details,
  };
}

/**
 * Writes the audit log: a plain-data write records its row in the same transaction as the write itself (so there
 * is never one without the other), a read of someone else's personal data records one row per person shown.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  private rows(actor: Actor, entries: AuditEntry[]): AuditRow[] {
    const at = this.clock.now().toISOString();
    return entries.map((entry) =>
      Object.assign(new AuditRow(), {
        at,
        actorId: actor.id,
        actorRole: actor.role,
        action: entry.action,
        subjectType: entry.subject?.type ?? null,
        subjectId: entry.subject?.id ?? null,
        personId: entry.personId ?? null,
        details: entry.details ?? {},
      }),
    );
  }

  /** Records entries inside the caller's transaction. */
  record(em: EntityManager, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
    return this.repository.insert(em, this.rows(actor, Array.isArray(entries) ? entries : [entries]));
  }

  /** Records that `actor` was shown personal data of these persons (itself left out) through `route`. */
  async recordReads(
    actor: Actor,
    route: string,
    personIds: Iterable<string>,
    action = 'personal-data.read',
  ): Promise<number> {
    const others = [...new Set(personIds)].filter((id) => id && id !== actor.id);
    await this.repository.insertAlone(
      this.rows(
        actor,
        others.map((personId) => ({ action, personId, details: { route } })),
      ),
    );
    return others.length;
  }

  /**
   * The log for the ministry, oldest first: about a person or done by them, within calendar days `from`..`to`
   * (both included, days in TIME_ZONE), of one action.
   */
  async list(query: { person?: string; from?: string; to?: string; action?: string; page: number; pageSize: number }) {
    if (query.from && query.to && query.from > query.to) {
      throw new RuleViolation(
        'audit-period-in-order',
        `the period starts (${query.from}) after it ends (${query.to})`,
        { from: query.from, to: query.to },
      );
    }
    const [rows, total] = await this.repository.list({
      person: query.person,
      action: query.action,
      from: query.from ? resolveDueAt(query.from, this.config.timeZone).toISOString() : undefined,
      until: query.to ? resolveDueAt(addDays(query.to, 1), this.config.timeZone).toISOString() : undefined,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return { total, page: query.page, pageSize: query.pageSize, items: rows.map(view) };
  }

  async about(personId: string): Promise<AuditView[]> {
    return (await this.repository.about(personId)).map(view);
  }
}
