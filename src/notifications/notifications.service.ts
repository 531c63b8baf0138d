import { Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { MalformedRequest, NotFound, OutOfScope, RuleViolation } from '../common/errors.js';
import { OutboxDispatcher } from '../engine/outbox-dispatcher.js';
import type { OutboxRow } from '../engine/persistence/entities.js';
import { OutboxStore } from '../engine/persistence/outbox.store.js';
import type { Actor } from '../common/actor.js';
import { InstanceAccess } from '../auth/instance-access.js';
import type {
  ListNotificationsQuery,
  NotificationView,
  ResendDeadLettersBody,
  ResendDeadLettersResult,
} from './notifications.dto.js';

function view(row: OutboxRow): NotificationView {
  const payload = row.payload as { template?: unknown; to?: { email?: unknown } };
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    instanceId: row.instanceId,
    status: row.status,
    attempts: row.attempts,
    template: typeof payload.template === 'string' ? payload.template : null,
    recipient: typeof payload.to?.email === 'string' ? payload.to.email : null,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? row.nextAttemptAt : null,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

/** Delivery status of outbox messages, and re-sending a dead-lettered one. */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly outbox: OutboxStore,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly access: InstanceAccess,
    private readonly config: LotseConfig,
  ) {}

  async list(
    query: ListNotificationsQuery,
    actor: Actor,
  ): Promise<{ total: number; page: number; pageSize: number; items: NotificationView[] }> {
    if (query.instance) await this.requireInScope(actor, query.instance);
    const [rows, total] = await this.outbox.list({
      status: query.status,
      kind: query.kind,
      instanceId: query.instance,
      visible: await this.access.visibleTo(actor),
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return { total, page: query.page, pageSize: query.pageSize, items: rows.map(view) };
  }

  async get(id: number, actor: Actor): Promise<NotificationView> {
    return view(await this.load(id, actor));
  }

  /** Puts a dead-lettered message back in the queue with fresh attempts and starts a dispatch. */
  async resend(id: number, actor: Actor): Promise<NotificationView> {
    const current = await this.load(id, actor);
    const requeued = current.status === 'failed' ? await this.outbox.requeue(id, this.clock.now()) : null;
    if (!requeued) {
      throw new RuleViolation(
        'resend-only-failed',
        `notification ${id} is ${current.status}; only a failed (dead-lettered) notification can be re-sent`,
        { id, currentStatus: current.status },
      );
    }
    this.logger.log(`notification ${id} (${requeued.key}) re-queued by ${actor.role} ${actor.id}`);
    this.dispatcher.kick();
    return view(requeued);
  }

  /**
   * Puts every dead letter matching the filter back in the queue with fresh attempts, in one statement, and starts a
   * dispatch: after an outage longer than the retry period, one call instead of one per message.
   */
  async resendDeadLetters(body: ResendDeadLettersBody, actor: Actor): Promise<ResendDeadLettersResult> {
    if (body.instance) await this.requireInScope(actor, body.instance);
    const from = body.queuedFrom == null ? undefined : this.instant('queuedFrom', body.queuedFrom);
    const before = body.queuedBefore == null ? undefined : this.instant('queuedBefore', body.queuedBefore);
    if (from && before && from >= before) {
      throw new RuleViolation(
        'period-in-order',
        `queuedFrom (${body.queuedFrom}) must lie before queuedBefore (${body.queuedBefore})`,
        { queuedFrom: body.queuedFrom, queuedBefore: body.queuedBefore },
      );
    }
    const requeued = await this.outbox.requeueDeadLetters(
      { kind: body.kind, instanceId: body.instance, from, until: before },
      this.clock.now(),
    );
    this.logger.log(
      `${requeued} dead letter(s) re-queued by ${actor.role} ${actor.id} (filter ${JSON.stringify(body)})`,
    );
    if (requeued) this.dispatcher.kick();
    return { requeued };
  }

  /** A calendar day starts at 00:00 in the configured zone; 2026-02-30 is no day and is refused. */
  private instant(field: string, value: string): Date {
    const parsed =
      value.length === 10
        ? DateTime.fromISO(value, { zone: this.config.timeZone })
        : DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid)
      throw new MalformedRequest(`${field} ${JSON.stringify(value)} is no real day or instant`, 'request-schema', {
        field,
      });
    return parsed.toJSDate();
  }

  /** The message, if the caller may see the instance it belongs to (the roles are checked at the route). */
  private async load(id: number, actor: Actor): Promise<OutboxRow> {
    const row = await this.outbox.find(id);
    if (!row) throw new NotFound(`no notification ${id}`, 'notification-exists', { id });
    await this.requireInScope(actor, row.instanceId);
    return row;
  }

  private async requireInScope(actor: Actor, instanceId: string | null): Promise<void> {
    if (!(await this.access.mayRead(actor, instanceId))) {
      throw new OutOfScope(`the role ${actor.role} may not see the mail of this instance`, 'notification-in-scope', {
        instance: instanceId,
      });
    }
  }
}
