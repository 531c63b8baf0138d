/**
 * The qualification's tables as projections of its workflow instances: the engine rewrites them in the transaction
 * of every step of a group or an enrolment (its creation, a user's action, a timer), so they never lag the
 * workflow and are rebuilt from the journal by `engine.rebuildProjections`. Rewriting rather than patching keeps the
 * rows equal to the context however often it runs; ids of rows without one of their own are derived from what they
 * are (ids.ts), so a rebuild writes the same rows.
 */
import type { EntityManager } from 'typeorm';
import { attendanceId } from '../../workflows/tandem-qualification/ids.js';
import {
  ENDED_STATES,
  GROUP_WORKFLOW,
  PROGRAMME,
  type EnrolmentContext,
  type GroupContext,
} from '../../workflows/tandem-qualification/model.js';
import { oneEnrolmentTaken } from '../../workflows/tandem-qualification/rules.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { refuse } from '../common/errors.js';
import type { ProjectedInstance, Projection } from '../engine/projection.js';
import {
  AttendanceRow,
  CertificateRow,
  EnrolmentRow,
  EventRow,
  ExchangeInvitationRow,
  GroupPlaceRow,
  GroupRow,
  ReflectionPhaseRow,
} from './entities.js';

async function insert<T>(em: EntityManager, entity: new () => T, rows: Partial<T>[]): Promise<void> {
  if (rows.length) await em.insert(entity, rows as never);
}

async function projectGroup(em: EntityManager, instance: ProjectedInstance): Promise<void> {
  const context = instance.context as unknown as GroupContext;
  const groupId = context.groupId;
  await em.save(
    GroupRow,
    Object.assign(new GroupRow(), {
      id: groupId,
      name: context.name,
      capacity: context.capacity,
      moderatorTandemId: context.moderatorTandemId,
      instanceId: instance.id,
      state: instance.state,
      createdAt: instance.createdAt,
    }),
  );
  for (const table of [EventRow, ReflectionPhaseRow, AttendanceRow, GroupPlaceRow]) await em.delete(table, { groupId });
  const sheets = new Map(context.attendance.map((sheet) => [sheet.eventId, sheet]));
  await insert(
    em,
    EventRow,
    context.events.map((event, seq) => ({
      id: event.id,
      groupId,
      seq,
      module: event.module,
      title: event.title,
      titleEn: event.titleEn,
      days: event.days,
      startTime: event.startTime,
      hours: event.hours,
      place: event.place,
      attendanceRecordedAt: sheets.get(event.id)?.recordedAt ?? null,
      sequence: event.sequence,
      status: event.status,
      changedAt: event.changedAt,
      changeReason: event.changeReason,
    })),
  );
  await insert(
    em,
    ReflectionPhaseRow,
    context.reflections.map((phase) => ({
      id: phase.id,
      groupId,
      afterEventId: phase.afterEventId,
      beforeEventId: phase.beforeEventId,
      dueOn: phase.dueOn,
      closedAt: phase.closedAt,
      closedBy: phase.closedBy,
    })),
  );
  await insert(
    em,
    AttendanceRow,
    context.attendance.flatMap((sheet) =>
      sheet.entries.map((entry) => ({
        id: attendanceId(sheet.eventId, entry.personId),
        groupId,
        eventId: sheet.eventId,
        personId: entry.personId,
        present: entry.present,
        recordedAt: entry.recordedAt,
        recordedBy: entry.recordedBy,
      })),
    ),
  );
  await insert(em, GroupPlaceRow, [
    ...context.roster.map((seat, index) => ({
      enrolmentId: seat.enrolmentId,
      groupId,
      tandemId: seat.tandemId,
      status: 'seated' as const,
      position: index + 1,
      since: seat.since,
    })),
    ...context.waitingList.map((seat, index) => ({
      enrolmentId: seat.enrolmentId,
      groupId,
      tandemId: seat.tandemId,
      status: 'waiting' as const,
      position: index + 1,
      since: seat.since,
    })),
  ]);
}

async function projectEnrolment(em: EntityManager, instance: ProjectedInstance): Promise<void> {
  const context = instance.context as unknown as EnrolmentContext;
  const row = Object.assign(new EnrolmentRow(), {
    id: context.enrolmentId,
    tandemId: context.tandemId,
    openTandemId: ENDED_STATES.includes(instance.state) ? null : context.tandemId,
    networkId: context.networkId,
    districtId: context.districtId,
    instanceId: instance.id,
    state: instance.state,
    groupId: context.groupId,
    members: context.members,
    staffCouncilOn: context.staffCouncil?.on ?? null,
    staffCouncilOutcome: context.staffCouncil?.outcome ?? null,
    equalOpportunitiesOn: context.equalOpportunities?.on ?? null,
    creditedModules: context.creditedModules,
    predecessorId: context.predecessorId,
    successorTandemId: context.successorTandemId,
    createdAt: instance.createdAt,
  });
  try {
    await em.save(EnrolmentRow, row);
  } catch (error) {
    // Two registrations of one tandem at once (in two processes, say): the one that commits second is refused here.
    if (isUniqueViolation(error, 'open_tandem_id')) {
      refuse(oneEnrolmentTaken(context.tandemId));
    }
    throw error;
  }
  const enrolmentId = context.enrolmentId;
  await em.delete(CertificateRow, { enrolmentId });
  await em.delete(ExchangeInvitationRow, { enrolmentId });
  await insert(
    em,
    CertificateRow,
    context.certificates.map((c) => ({
      id: c.certificateId,
      enrolmentId,
      personId: c.personId,
      code: c.code,
      personName: c.personName,
      language: c.language,
      firstDay: c.firstDay,
      lastDay: c.lastDay,
      hours: c.hours,
      modules: c.modules,
      creditedModules: c.creditedModules,
      moduleTitles: c.moduleTitles,
      issuedOn: c.issuedOn,
    })),
  );
  await insert(
    em,
    ExchangeInvitationRow,
    context.exchanges.map((x) => ({
      id: x.invitationId,
      exchangeId: x.exchangeId,
      enrolmentId,
      answer: x.answer ?? ('pending' as const),
      answeredAt: x.answeredAt,
    })),
  );
}

export const groupProjection: Projection = { definition: GROUP_WORKFLOW, project: projectGroup };
export const enrolmentProjection: Projection = { definition: PROGRAMME, project: projectEnrolment };
