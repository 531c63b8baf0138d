import { Injectable } from '@nestjs/common';
import { DataSource, In, Like, type EntityManager } from 'typeorm';
import type { EventInput, ExchangeInput } from '../../workflows/evaluation/report.js';
import {
  AttendanceRow,
  EnrolmentRow,
  EvaluationRow,
  EventRow,
  ExchangeInvitationRow,
  ExchangeRow,
  GroupRow,
  TandemRow,
} from '../qualification/entities.js';
import { ExchangeEvaluationRow, MeetingRow } from './entities.js';

/** A comment counts when it says something; the report never carries its text. */
const commented = (comment: string | null) => !!comment?.trim();

/**
 * The only TypeORM user of the evaluation. It reads the qualification's tables (events, groups, attendance, the
 * events' evaluations, exchanges and their invitations) without writing them, and owns the exchange's evaluations and
 * the meetings.
 */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The events whose first day falls in `year`, each with its group, its attendance and its responses. */
  async eventsOfYear(year: number): Promise<EventInput[]> {
    const prefix = `${String(year).padStart(4, '0')}-`;
    // A cancelled event was not held, so nobody could evaluate it: it is not part of the year's report.
    const events = (await this.dataSource.getRepository(EventRow).find()).filter(
      (event) => event.days[0]?.startsWith(prefix) && event.status !== 'cancelled',
    );
    if (!events.length) return [];
    const ids = events.map((event) => event.id);
    const [groups, present, evaluations] = await Promise.all([
      this.dataSource.getRepository(GroupRow).findBy({ id: In([...new Set(events.map((event) => event.groupId))]) }),
      this.dataSource
        .getRepository(AttendanceRow)
        .find({ where: { eventId: In(ids), present: true }, select: { eventId: true } }),
      this.dataSource
        .getRepository(EvaluationRow)
        .find({ where: { eventId: In(ids) }, select: { eventId: true, rating: true, comment: true } }),
    ]);
    const groupName = new Map(groups.map((group) => [group.id, group.name]));
    return events.map((event) => ({
      eventId: event.id,
      module: event.module,
      title: event.title,
      titleEn: event.titleEn,
      groupId: event.groupId,
      groupName: groupName.get(event.groupId) ?? '',
      days: event.days,
      place: event.place,
      participants: event.attendanceRecordedAt ? present.filter((row) => row.eventId === event.id).length : null,
      responses: evaluations
        .filter((row) => row.eventId === event.id)
        .map((row) => ({ rating: row.rating, commented: commented(row.comment) })),
    }));
  }

  /** The exchanges held in `year`, each with its invitations and its responses. */
  async exchangesOfYear(year: number): Promise<ExchangeInput[]> {
    const exchanges = await this.dataSource
      .getRepository(ExchangeRow)
      .findBy({ heldOn: Like(`${String(year).padStart(4, '0')}-%`) });
    if (!exchanges.length) return [];
    const ids = exchanges.map((exchange) => exchange.id);
    const [invitations, evaluations] = await Promise.all([
      this.dataSource.getRepository(ExchangeInvitationRow).findBy({ exchangeId: In(ids) }),
      this.dataSource
        .getRepository(ExchangeEvaluationRow)
        .find({ where: { exchangeId: In(ids) }, select: { exchangeId: true, rating: true, comment: true } }),
    ]);
    return exchanges.map((exchange) => {
      const own = invitations.filter((invitation) => invitation.exchangeId === exchange.id);
      const accepted = own.filter((invitation) => invitation.answer === 'accepted').length;
      return {
        exchangeId: exchange.id,
        on: exchange.heldOn,
        place: exchange.place,
        invitedTandems: own.length,
        acceptedTandems: accepted,
        // A tandem is always its two members.
        participants: 2 * accepted,
        responses: evaluations
          .filter((row) => row.exchangeId === exchange.id)
          .map((row) => ({ rating: row.rating, commented: commented(row.comment) })),
      };
    });
  }

  exchange(id: string): Promise<ExchangeRow | null> {
    return this.dataSource.getRepository(ExchangeRow).findOneBy({ id });
  }

  /** The members of the tandems that accepted the exchange's invitation (the enrolment's tandem as it is now). */
  async membersOfAcceptingTandems(exchangeId: string): Promise<Set<string>> {
    const accepted = await this.dataSource
      .getRepository(ExchangeInvitationRow)
      .findBy({ exchangeId, answer: 'accepted' });
    if (!accepted.length) return new Set();
    const enrolments = await this.dataSource
      .getRepository(EnrolmentRow)
      .findBy({ id: In(accepted.map((invitation) => invitation.enrolmentId)) });
    const tandems = await this.dataSource
      .getRepository(TandemRow)
      .findBy({ id: In(enrolments.map((enrolment) => enrolment.tandemId)) });
    return new Set(tandems.flatMap((tandem) => [tandem.lowerMemberId, tandem.upperMemberId]));
  }

  exchangeEvaluations(exchangeId: string): Promise<ExchangeEvaluationRow[]> {
    return this.dataSource
      .getRepository(ExchangeEvaluationRow)
      .find({ where: { exchangeId }, order: { submittedAt: 'ASC', id: 'ASC' } });
  }

  exchangeEvaluation(exchangeId: string, personId: string): Promise<ExchangeEvaluationRow | null> {
    return this.dataSource.getRepository(ExchangeEvaluationRow).findOneBy({ exchangeId, personId });
  }

  async insertExchangeEvaluation(em: EntityManager, row: ExchangeEvaluationRow): Promise<void> {
    await em.insert(ExchangeEvaluationRow, row);
  }

  meeting(year: number): Promise<MeetingRow | null> {
    return this.dataSource.getRepository(MeetingRow).findOneBy({ year });
  }

  meetings(): Promise<MeetingRow[]> {
    return this.dataSource.getRepository(MeetingRow).find({ order: { year: 'ASC' } });
  }

  async insertMeeting(em: EntityManager, row: MeetingRow): Promise<void> {
    await em.insert(MeetingRow, row);
  }
}
