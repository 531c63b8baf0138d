import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { LotseConfig } from '../../config/configuration.js';
import { dayOf } from '../../workflows/shared/calendar-day.js';
import { requireDistrict, requireTandemMember, scopeOf } from '../auth/policy.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { NotFound, refuse } from '../common/errors.js';
import { AuditLog } from '../audit/audit-log.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { Actor } from '../common/actor.js';
import { enrolmentEvent } from '../../workflows/tandem-qualification/machine.js';
import { ALUMNI_STATES, type EnrolmentContext } from '../../workflows/tandem-qualification/model.js';
import { checkExchange } from '../../workflows/tandem-qualification/rules.js';
import { contextOf, idempotent } from './commands.js';
import type { AnswerInvitationDto, ScheduleExchangeDto } from './dtos.js';
import { ExchangeRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';

/** The annual statewide exchange (Erfahrungsaustausch) of alumni tandems: scheduling, invitations and answers. */
@Injectable()
export class AlumniService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly engine: WorkflowEngine,
    private readonly config: LotseConfig,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Schedules this year's exchange and invites every tandem that completed the qualification, in one command. The
   * invitation mail goes out 8 weeks before (at once when that day has passed), a reminder 1 week before to those
   * who accepted. One exchange a year: the database refuses a second, whichever process schedules it.
   */
  async schedule(actor: Actor, body: ScheduleExchangeDto, key?: string) {
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'schedule-exchange', body),
      decide: async (command) => {
        const today = dayOf(command.now, this.config.timeZone);
        refuse(
          checkExchange(
            body.on,
            today,
            (await this.repository.exchanges()).map((x) => x.year),
          ),
        );
        const exchange = Object.assign(new ExchangeRow(), {
          id: randomUUID(),
          heldOn: body.on,
          year: body.on.slice(0, 4),
          place: body.place,
          createdAt: command.now.toISOString(),
        });
        command.write(async (em) => {
          try {
            await this.repository.insert(em, ExchangeRow, exchange);
            await this.audit.record(em, actor, {
              action: 'exchange.scheduled',
              subject: { type: 'exchange', id: exchange.id },
            });
          } catch (error) {
            if (isUniqueViolation(error, 'year')) refuse(checkExchange(body.on, today, [exchange.year]));
            throw error;
          }
        });
        // In the order of their instances, so two commands never wait for each other's enrolments crosswise.
        const alumni = (await this.repository.enrolmentsIn(ALUMNI_STATES)).sort((a, b) =>
          a.instanceId.localeCompare(b.instanceId),
        );
        for (const enrolment of alumni) {
          await command.send(
            enrolment.instanceId,
            enrolmentEvent({
              type: 'EXCHANGE_SCHEDULED',
              exchangeId: exchange.id,
              invitationId: randomUUID(),
              on: body.on,
              place: body.place,
              today,
            }),
          );
        }
        return exchange.id;
      },
      answer: async (em, exchangeId) => this.describe((await this.repository.exchange(exchangeId, em))!, em),
    });
  }

  async list(_actor: Actor) {
    return Promise.all((await this.repository.exchanges()).map((x) => this.describe(x)));
  }

  private async describe(exchange: ExchangeRow, em?: EntityManager) {
    const invitations = await this.repository.invitations({ exchangeId: exchange.id }, em);
    const count = (answer: string) => invitations.filter((i) => i.answer === answer).length;
    return {
      id: exchange.id,
      on: exchange.heldOn,
      place: exchange.place,
      invited: invitations.length,
      accepted: count('accepted'),
      declined: count('declined'),
      pending: count('pending'),
    };
  }

  /** A current member of the invited tandem (or its district) accepts or declines for the tandem. */
  async answer(actor: Actor, invitationId: string, body: AnswerInvitationDto, key?: string) {
    const scope = scopeOf(actor);
    const invitation = await this.repository.invitation(invitationId);
    if (!invitation)
      throw new NotFound(`no invitation ${invitationId}`, 'invitation-exists', { invitation: invitationId });
    const enrolment = (await this.repository.enrolment(invitation.enrolmentId))!;
    requireDistrict(scope, enrolment.districtId, 'the invited tandem');
    const answer = body.accept ? ('accepted' as const) : ('declined' as const);
    return this.engine.execute({
      actor,
      idempotency: idempotent(key, actor, 'answer-invitation', invitationId, body),
      decide: async (command) => {
        // The tandem's current members answer: a member who left no longer does.
        const { members } = contextOf<EnrolmentContext>(await command.instance(enrolment.instanceId));
        requireTandemMember(
          scope,
          members.map((m) => m.personId),
          invitationId,
        );
        await command.send(
          enrolment.instanceId,
          enrolmentEvent({
            type: 'EXCHANGE_ANSWERED',
            exchangeId: invitation.exchangeId,
            answer,
            answeredAt: command.now.toISOString(),
          }),
        );
        return { id: invitation.id, exchangeId: invitation.exchangeId, answer };
      },
    });
  }
}
