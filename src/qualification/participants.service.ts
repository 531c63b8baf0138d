import { Injectable } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { requireGroupMember, requireSelf, scopeOf } from '../auth/policy.js';
import { NotFound } from '../common/errors.js';
import type { Actor } from '../common/actor.js';
import { enrolmentStatus } from '../../workflows/tandem-qualification/model.js';
import { calendarFeed, type CalendarFeed } from './calendar.js';
import type { EnrolmentRow, EventRow } from './entities.js';
import { QualificationRepository } from './qualification.repository.js';
import { certificateModuleTitle, eventView } from './views.js';

/** What a participant sees: own schedule (with make-ups), open tasks, certificates, and calendar feeds. */
@Injectable()
export class ParticipantsService {
  constructor(
    private readonly repository: QualificationRepository,
    private readonly config: LotseConfig,
  ) {}

  /** A participant sees itself; the institute and the ministry see anyone. */
  private async personFor(actor: Actor, personId: string) {
    requireSelf(scopeOf(actor), personId);
    const person = await this.repository.person(personId);
    if (!person) throw new NotFound(`no person ${personId}`, 'person-exists', { person: personId });
    return person;
  }

  /** The enrolments the person is a current member of, newest first (a re-formed tandem has an older, ended one). */
  private async enrolmentsOf(personId: string): Promise<EnrolmentRow[]> {
    const tandems = await this.repository.tandemsOf(personId);
    const enrolments = (await Promise.all(tandems.map((t) => this.repository.enrolments({ tandemId: t.id })))).flat();
    return enrolments
      .filter((e) => e.members.some((m) => m.personId === personId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Events of the person's group plus make-up events in other groups the person attended, in date order. */
  private async eventsOf(personId: string) {
    const current = (await this.enrolmentsOf(personId)).find(
      (e) => e.groupId && e.state !== 'withdrawn' && e.state !== 'reformed' && e.state !== 'waitlisted',
    );
    const own = current?.groupId ? await this.repository.events(current.groupId) : [];
    const attendance = await this.repository.attendanceOf([personId]);
    const makeUps = await this.repository.eventsByIds(
      attendance.map((a) => a.id).filter((id) => !own.some((e) => e.id === id)),
    );
    const groups = new Map((await this.repository.groups()).map((g) => [g.id, g.name]));
    return [...own, ...makeUps]
      .sort((a, b) => a.days[0].localeCompare(b.days[0]))
      .map((e: EventRow) => ({
        ...eventView(e),
        groupName: groups.get(e.groupId) ?? '',
        makeUp: !own.includes(e),
        attended: attendance.find((a) => a.id === e.id)?.present ?? null,
      }));
  }

  async schedule(actor: Actor, personId: string) {
    const person = await this.personFor(actor, personId);
    const enrolment = (await this.enrolmentsOf(personId))[0];
    const group = enrolment?.groupId ? await this.repository.group(enrolment.groupId) : null;
    return {
      person: { id: person.id, name: person.name },
      enrolment: enrolment
        ? { id: enrolment.id, status: enrolmentStatus(enrolment.state, group?.state ?? null) }
        : null,
      events: (await this.eventsOf(personId)).map((e) => ({
        ...e,
        title: person.language === 'en' ? e.titleEn : e.title,
      })),
    };
  }

  /** Open reflection phases of the person's group and unanswered exchange invitations. */
  async tasks(actor: Actor, personId: string) {
    await this.personFor(actor, personId);
    const enrolment = (await this.enrolmentsOf(personId)).find((e) => e.state === 'placed' || e.state === 'alumni');
    const reflections =
      enrolment?.groupId && enrolment.state === 'placed'
        ? (await this.repository.reflectionPhases(enrolment.groupId))
            .filter((p) => !p.closedAt)
            .map((p) => ({ kind: 'reflection', id: p.id, dueOn: p.dueOn }))
        : [];
    const invitations = enrolment ? await this.repository.invitations({ enrolmentId: enrolment.id }) : [];
    const exchanges = await Promise.all(
      invitations
        .filter((i) => i.answer === 'pending')
        .map(async (i) => {
          const exchange = await this.repository.exchange(i.exchangeId);
          return { kind: 'exchange-answer', id: i.id, dueOn: exchange?.heldOn ?? null, place: exchange?.place ?? null };
        }),
    );
    return [...reflections, ...exchanges];
  }

  async certificates(actor: Actor, personId: string) {
    await this.personFor(actor, personId);
    return (await this.repository.certificatesOfPerson(personId)).map((c) => ({
      id: c.id,
      code: c.code,
      issuedOn: c.issuedOn,
      hours: c.hours,
      firstDay: c.firstDay,
      lastDay: c.lastDay,
      modules: c.modules.map((m) => certificateModuleTitle(c, m)),
      creditedModules: (c.creditedModules ?? []).map((m) => certificateModuleTitle(c, m)),
      pdf: `/certificates/${c.id}/pdf`,
    }));
  }

  async personCalendar(actor: Actor, personId: string): Promise<CalendarFeed> {
    const person = await this.personFor(actor, personId);
    return calendarFeed(`Tandem-Qualifizierung – ${person.name}`, await this.eventsOf(personId), this.config.timeZone);
  }

  /** The group's events: for the institute and the ministry, its moderators and the members of its seated tandems. */
  async groupCalendar(actor: Actor, groupId: string): Promise<CalendarFeed> {
    const scope = scopeOf(actor);
    const group = await this.repository.group(groupId);
    if (!group) throw new NotFound(`no qualification group ${groupId}`, 'group-exists', { group: groupId });
    if (scope.role === 'moderator' || scope.role === 'participant') {
      const moderators = await this.repository.moderatorTandem(group.moderatorTandemId);
      const seated = new Set(
        (await this.repository.places(groupId)).filter((p) => p.status === 'seated').map((p) => p.enrolmentId),
      );
      const members = (await this.repository.enrolments({ groupId }))
        .filter((e) => seated.has(e.id))
        .flatMap((e) => e.members.map((m) => m.personId));
      requireGroupMember(scope, group, [moderators?.firstMemberId, moderators?.secondMemberId], members);
    }
    const events = (await this.repository.events(groupId)).map((e) => ({ ...eventView(e), groupName: group.name }));
    return calendarFeed(`Tandem-Qualifizierung – ${group.name}`, events, this.config.timeZone);
  }
}
