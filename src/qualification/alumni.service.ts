import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { Clock } from '../engine/clock.js';
import { NotFound, RuleViolation } from '../engine/errors.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import { WorkflowEngine, type Actor } from '../engine/workflow-engine.js';
import { ALUMNI_STATES } from '../../workflows/tandem-qualification/model.js';
import type { AnswerInvitationDto, ScheduleExchangeDto } from './dtos.js';
import { ExchangeInvitationRow, ExchangeRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { requireDistrict, requireTandemMember, scopeOf } from '../auth/policy.js';
import { enrolmentEvent } from './workflow-events.js';

/** The annual statewide exchange (Erfahrungsaustausch) of alumni tandems: scheduling, invitations and answers. */
@Injectable()
export class AlumniService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly engine: WorkflowEngine,
    private readonly writes: WriteSerializer,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  /**
   * Schedules this year's exchange and invites every tandem that completed the qualification. The invitation mail
   * goes out 8 weeks before (at once when that day has passed), a reminder 1 week before to those who accepted.
   */
  async schedule(actor: Actor, body: ScheduleExchangeDto) {
    const today = this.clock.today(this.config.timeZone);
    if (body.on <= today) throw new RuleViolation('exchange-in-future', 'an exchange is scheduled for a day in the future', { on: body.on, today });
    const year = body.on.slice(0, 4);
    if ((await this.repository.exchanges()).some((x) => x.heldOn.startsWith(year))) {
      throw new RuleViolation('exchange-once-a-year', `the exchange of ${year} is already scheduled`, { year });
    }
    const exchange = Object.assign(new ExchangeRow(), { id: randomUUID(), heldOn: body.on, place: body.place, createdAt: this.clock.now().toISOString() });
    await this.writes.transaction((em) => this.repository.insert(em, ExchangeRow, exchange));
    const alumni = (await this.repository.enrolments()).filter((e) => ALUMNI_STATES.includes(e.state));
    for (const enrolment of alumni) {
      const invitation = Object.assign(new ExchangeInvitationRow(), { id: randomUUID(), exchangeId: exchange.id, enrolmentId: enrolment.id, answer: 'pending' as const, answeredAt: null });
      await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'EXCHANGE_SCHEDULED', exchangeId: exchange.id, invitationId: invitation.id, on: body.on, place: body.place, today }), actor, undefined,
        (em) => this.repository.insert(em, ExchangeInvitationRow, invitation));
    }
    return this.describe(exchange);
  }

  async list(_actor: Actor) {
    return Promise.all((await this.repository.exchanges()).map((x) => this.describe(x)));
  }

  private async describe(exchange: ExchangeRow) {
    const invitations = await this.repository.invitations({ exchangeId: exchange.id });
    const count = (answer: string) => invitations.filter((i) => i.answer === answer).length;
    return { id: exchange.id, on: exchange.heldOn, place: exchange.place, invited: invitations.length, accepted: count('accepted'), declined: count('declined'), pending: count('pending') };
  }

  /** A member of the invited tandem (or its district) accepts or declines for the tandem. */
  async answer(actor: Actor, invitationId: string, body: AnswerInvitationDto) {
    const scope = scopeOf(actor);
    const invitation = await this.repository.invitation(invitationId);
    if (!invitation) throw new NotFound(`no invitation ${invitationId}`, 'invitation-exists', { invitation: invitationId });
    const enrolment = (await this.repository.enrolment(invitation.enrolmentId))!;
    const tandem = (await this.repository.tandem(enrolment.tandemId))!;
    requireTandemMember(scope, [tandem.lowerMemberId, tandem.upperMemberId], invitationId);
    requireDistrict(scope, enrolment.districtId, 'the invited tandem');
    const answer = body.accept ? 'accepted' as const : 'declined' as const;
    await this.engine.send(enrolment.instanceId, enrolmentEvent({ type: 'EXCHANGE_ANSWERED', exchangeId: invitation.exchangeId, answer }), actor, undefined,
      (em) => this.repository.update(em, ExchangeInvitationRow, invitation.id, { answer, answeredAt: this.clock.now().toISOString() }));
    return { id: invitation.id, exchangeId: invitation.exchangeId, answer };
  }
}
