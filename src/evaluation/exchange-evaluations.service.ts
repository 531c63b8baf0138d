import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LotseConfig } from '../../config/configuration.js';
import { figuresOf } from '../../workflows/evaluation/report.js';
import {
  checkExchangeEvaluationByAttendee,
  checkExchangeEvaluationDay,
  checkExchangeEvaluationOnce,
} from '../../workflows/tandem-qualification/rules.js';
import { Clock } from '../engine/clock.js';
import { NotFound, refuse } from '../common/errors.js';
import { WriteSerializer } from '../engine/persistence/write-serializer.js';
import type { Actor } from '../common/actor.js';
import type { EvaluateExchangeDto } from './dtos.js';
import { ExchangeEvaluationRow } from './entities.js';
import { EvaluationRepository } from './evaluation.repository.js';

/**
 * The annual exchange is evaluated like every event: by those who took part, once each, on the same 1-to-5 scale, so
 * the ministry's report can set the two side by side. Lotse keeps no attendance list of the exchange; who took part
 * is read from the invitations: the members of the tandems that accepted. They evaluate from the day it is held.
 */
@Injectable()
export class ExchangeEvaluationsService {
  constructor(
    private readonly repository: EvaluationRepository,
    private readonly writes: WriteSerializer,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
  ) {}

  async evaluate(actor: Actor, exchangeId: string, body: EvaluateExchangeDto) {
    const exchange = await this.repository.exchange(exchangeId);
    if (!exchange) throw new NotFound(`no exchange ${exchangeId}`, 'exchange-exists', { exchange: exchangeId });
    refuse(
      checkExchangeEvaluationByAttendee(
        (await this.repository.membersOfAcceptingTandems(exchangeId)).has(actor.id),
        exchangeId,
      ),
    );
    refuse(checkExchangeEvaluationDay(exchange.heldOn, this.clock.today(this.config.timeZone)));
    refuse(checkExchangeEvaluationOnce(!!(await this.repository.exchangeEvaluation(exchangeId, actor.id)), exchangeId));
    const row = Object.assign(new ExchangeEvaluationRow(), {
      id: randomUUID(),
      exchangeId,
      personId: actor.id,
      rating: body.rating,
      comment: body.comment?.trim() || null,
      submittedAt: this.clock.now().toISOString(),
    });
    try {
      await this.writes.transaction((em) => this.repository.insertExchangeEvaluation(em, row));
    } catch (error) {
      // The same person's second request at the same moment: the unique index kept the first.
      refuse(
        checkExchangeEvaluationOnce(!!(await this.repository.exchangeEvaluation(exchangeId, actor.id)), exchangeId),
      );
      throw error;
    }
    return { exchangeId, rating: row.rating, comment: row.comment };
  }

  /** Anonymous results: the figures of the report, and the comments without who wrote them. */
  async results(_actor: Actor, exchangeId: string) {
    const exchange = await this.repository.exchange(exchangeId);
    if (!exchange) throw new NotFound(`no exchange ${exchangeId}`, 'exchange-exists', { exchange: exchangeId });
    const rows = await this.repository.exchangeEvaluations(exchangeId);
    return {
      exchangeId,
      on: exchange.heldOn,
      place: exchange.place,
      ...figuresOf(rows.map((r) => ({ rating: r.rating, commented: !!r.comment }))),
      commentTexts: rows.map((r) => r.comment).filter((comment): comment is string => !!comment),
    };
  }
}
