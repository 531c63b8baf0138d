import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enrolmentStatus, moduleTitle } from '../../workflows/tandem-qualification/model.js';
import type {
  CertificateRow,
  EnrolmentRow,
  EventRow,
  GroupPlaceRow,
  GroupRow,
  ReflectionPhaseRow,
} from './entities.js';
import { QualificationRepository } from './qualification.repository.js';

export function eventView(event: EventRow) {
  return {
    id: event.id,
    groupId: event.groupId,
    module: event.module,
    title: event.title,
    titleEn: event.titleEn,
    days: event.days,
    startTime: event.startTime,
    hours: event.hours,
    place: event.place,
    status: event.status,
    sequence: event.sequence,
    changedAt: event.changedAt,
    changeReason: event.changeReason,
    attendanceRecorded: event.attendanceRecordedAt !== null,
  };
}

export function phaseView(phase: ReflectionPhaseRow) {
  return {
    id: phase.id,
    afterEventId: phase.afterEventId,
    beforeEventId: phase.beforeEventId,
    dueOn: phase.dueOn,
    closed: phase.closedAt !== null,
    closedAt: phase.closedAt,
    closedBy: phase.closedBy,
  };
}

/** A module's title on a certificate, in the holder's language unless another is asked: as kept when it was issued. */
export function certificateModuleTitle(row: CertificateRow, module: string, language = row.language): string {
  return row.moduleTitles?.[module]?.[language] ?? moduleTitle(module, language);
}

/** The address that confirms a certificate by its code (printed on it, in its QR code, and in the mail). */
export function verificationUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl}/certificates/verify/${encodeURIComponent(code)}`;
}

export function certificateView(row: CertificateRow, publicBaseUrl: string) {
  return {
    id: row.id,
    personId: row.personId,
    name: row.personName,
    code: row.code,
    firstDay: row.firstDay,
    lastDay: row.lastDay,
    hours: row.hours,
    modules: row.modules.map((m) => certificateModuleTitle(row, m)),
    creditedModules: (row.creditedModules ?? []).map((m) => certificateModuleTitle(row, m)),
    issuedOn: row.issuedOn,
    language: row.language,
    verificationUrl: verificationUrl(publicBaseUrl, row.code),
  };
}

/**
 * What the API shows of enrolments and groups, read from the projections: through the reading connection, or
 * through a command's transaction (`em`) for the answer to that command.
 */
@Injectable()
export class QualificationViews {
  constructor(private readonly repository: QualificationRepository) {}

  async enrolment(id: string, em?: EntityManager) {
    const row = await this.repository.enrolment(id, em);
    return (await this.enrolments(row ? [row] : [], em))[0];
  }

  async enrolments(rows: EnrolmentRow[], em?: EntityManager) {
    const groups = new Map((await this.repository.groups(em)).map((g) => [g.id, g]));
    return Promise.all(
      rows.map(async (row) => {
        const group = row.groupId ? (groups.get(row.groupId) ?? null) : null;
        const [network, place] = await Promise.all([
          this.repository.network(row.networkId, em),
          this.repository.place(row.id, em),
        ]);
        return {
          id: row.id,
          status: enrolmentStatus(row.state, group?.state ?? null),
          state: row.state,
          districtId: row.districtId,
          tandemId: row.tandemId,
          network: network && { id: network.id, name: network.name },
          members: row.members.map((m) => ({
            id: m.personId,
            name: m.name,
            supervision: m.supervision,
            office: m.office,
          })),
          involvements: {
            staffCouncil: row.staffCouncilOn ? { on: row.staffCouncilOn, outcome: row.staffCouncilOutcome } : null,
            equalOpportunities: row.equalOpportunitiesOn,
          },
          group: group && { id: group.id, name: group.name },
          waitlistPosition: place?.status === 'waiting' && place.groupId === row.groupId ? place.position : null,
          creditedModules: row.creditedModules,
          predecessorId: row.predecessorId,
          successorTandemId: row.successorTandemId,
          instanceId: row.instanceId,
        };
      }),
    );
  }

  async group(group: GroupRow, em?: EntityManager) {
    const [moderatorTandem, events, phases, places] = await Promise.all([
      this.repository.moderatorTandem(group.moderatorTandemId, em),
      this.repository.events(group.id, em),
      this.repository.reflectionPhases(group.id, em),
      this.repository.places(group.id, em),
    ]);
    const moderators = moderatorTandem
      ? await this.repository.persons([moderatorTandem.firstMemberId, moderatorTandem.secondMemberId], em)
      : [];
    const enrolments = new Map((await this.repository.enrolments({ groupId: group.id }, em)).map((e) => [e.id, e]));
    const tandem = (place: GroupPlaceRow) => {
      const enrolment = enrolments.get(place.enrolmentId)!;
      return {
        enrolmentId: enrolment.id,
        tandemId: enrolment.tandemId,
        status: enrolmentStatus(enrolment.state, group.state),
        members: enrolment.members.map((m) => ({ id: m.personId, name: m.name })),
      };
    };
    return {
      id: group.id,
      name: group.name,
      capacity: group.capacity,
      state: group.state,
      instanceId: group.instanceId,
      moderatorTandemId: group.moderatorTandemId,
      moderators: moderators.map((m) => ({ id: m.id, name: m.name })),
      events: events.map(eventView),
      reflectionPhases: phases.map(phaseView),
      tandems: places.filter((p) => p.status === 'seated').map(tandem),
      waitingList: places.filter((p) => p.status === 'waiting').map(tandem),
    };
  }

  async groupById(id: string, em?: EntityManager) {
    return this.group((await this.repository.group(id, em))!, em);
  }
}
