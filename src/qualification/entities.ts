/**
 * The tandem qualification's tables. The directory (districts, Schulämter, networks, persons, tandems, moderator
 * tandems), evaluations and exchanges are the programme's own rows, written inside the command that changes them.
 * Groups with their events, reflection phases, attendance and places, and enrolments with their certificates and
 * exchange invitations are projections of their workflow instances (`instance_id`): the engine rewrites them in the
 * transaction of every step (src/qualification/projections.ts), so they never lag the workflow and can be rebuilt
 * from its journal. Days are YYYY-MM-DD, instants ISO strings, lists JSON text, as in the engine's tables.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Language } from '../../workflows/shared/mail.js';
import type { CouncilOutcome, EventStatus, Member, Supervision } from '../../workflows/tandem-qualification/model.js';

const json = {
  to: (value: unknown) => JSON.stringify(value ?? null),
  from: (value: string | null) => (value === null ? null : JSON.parse(value)),
};
const id = () => PrimaryColumn({ type: 'varchar', length: 36 });
const ref = (name: string, nullable = false) => Column({ name, type: 'varchar', length: 36, nullable });
const str = (length: number, name?: string, nullable = false) =>
  Column({ ...(name ? { name } : {}), type: 'varchar', length, nullable });

/** One of the five Bezirksregierungen; `id` is its code (arnsberg, detmold, duesseldorf, koeln, muenster). */
@Entity('qual_districts')
export class DistrictRow {
  @PrimaryColumn({ type: 'varchar', length: 20 }) id!: string;
  @str(100) name!: string;
  /** Relative need for seats, set by the institute; seats are allocated in proportion to it. */
  @Column({ type: 'integer' }) need!: number;
}

/** A Schulamt (lower school supervision), in exactly one district. */
@Entity('qual_school_offices')
export class SchoolOfficeRow {
  @id() id!: string;
  @str(200) name!: string;
  @str(20, 'district_id') districtId!: string;
}

/** A Regionales Bildungsnetzwerk, in exactly one district. */
@Entity('qual_networks')
export class NetworkRow {
  @id() id!: string;
  @str(200) name!: string;
  @str(20, 'district_id') districtId!: string;
}

@Entity('qual_persons')
export class PersonRow {
  @id() id!: string;
  @str(200) name!: string;
  @str(200) email!: string;
  @str(2) language!: Language;
  /** Null for persons outside school supervision (e.g. moderators from the institute). */
  @str(10, 'supervision', true) supervision!: Supervision | null;
  @str(20, 'district_id', true) districtId!: string | null;
  /** The Schulamt of a lower-supervision official. */
  @ref('school_office_id', true) schoolOfficeId!: string | null;
  /** The office as it appears on a certificate, e.g. "Schulamt für die Stadt Dortmund". */
  @str(200) office!: string;
}

@Entity('qual_tandems')
export class TandemRow {
  @id() id!: string;
  @ref('network_id') networkId!: string;
  @ref('lower_member_id') lowerMemberId!: string;
  @ref('upper_member_id') upperMemberId!: string;
  @str(30, 'formed_at') formedAt!: string;
  /** Set when a member changed: the tandem lives on as its successor. */
  @ref('successor_id', true) successorId!: string | null;
}

/** Appointed by the ministry (decree section 4); the institute assigns it to groups. */
@Entity('qual_moderator_tandems')
export class ModeratorTandemRow {
  @id() id!: string;
  @ref('first_member_id') firstMemberId!: string;
  @ref('second_member_id') secondMemberId!: string;
  @str(200, 'appointed_by', true) appointedBy!: string | null;
  @str(10, 'appointed_on', true) appointedOn!: string | null;
}

@Entity('qual_groups')
export class GroupRow {
  @id() id!: string;
  @str(200) name!: string;
  @Column({ type: 'integer' }) capacity!: number;
  @ref('moderator_tandem_id') moderatorTandemId!: string;
  @ref('instance_id') instanceId!: string;
  /** The group instance's state: `forming` until its first event begins, then `running`. */
  @str(30) state!: string;
  @str(30, 'created_at') createdAt!: string;
}

@Entity('qual_events')
@Index('idx_qual_events_group', ['groupId', 'seq'])
export class EventRow {
  @id() id!: string;
  @ref('group_id') groupId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @str(100) module!: string;
  @Column({ type: 'text', transformer: json }) days!: string[];
  @str(5, 'start_time') startTime!: string;
  @Column({ type: 'integer' }) hours!: number;
  @str(200) place!: string;
  @str(30, 'attendance_recorded_at', true) attendanceRecordedAt!: string | null;
  /** The module's titles in German and English, as certificates, calendars and messages show them. */
  @str(200, 'title', true) title!: string;
  @str(200, 'title_en', true) titleEn!: string;
  /** Raised on every change of the event (iCalendar SEQUENCE). */
  @Column({ type: 'integer', default: 0 }) sequence!: number;
  @str(10) status!: EventStatus;
  /** When the event was scheduled or last changed (DTSTAMP and LAST-MODIFIED of its calendar entries). */
  @str(30, 'changed_at', true) changedAt!: string;
  @Column({ name: 'change_reason', type: 'text', nullable: true }) changeReason!: string | null;
}

@Entity('qual_reflection_phases')
export class ReflectionPhaseRow {
  @id() id!: string;
  @ref('group_id') groupId!: string;
  @ref('after_event_id') afterEventId!: string;
  @ref('before_event_id') beforeEventId!: string;
  @str(10, 'due_on') dueOn!: string;
  @str(30, 'closed_at', true) closedAt!: string | null;
  @str(200, 'closed_by', true) closedBy!: string | null;
}

@Entity('qual_attendance')
@Index('idx_qual_attendance_identity', ['eventId', 'personId'], { unique: true })
export class AttendanceRow {
  @id() id!: string;
  /** The group whose event it is (which is not always the person's own group: make-ups). */
  @ref('group_id', true) groupId!: string;
  @ref('event_id') eventId!: string;
  @ref('person_id') personId!: string;
  @Column({ type: 'boolean' }) present!: boolean;
  @str(30, 'recorded_at') recordedAt!: string;
  @str(200, 'recorded_by') recordedBy!: string;
}

@Entity('qual_evaluations')
@Index('idx_qual_evaluations_identity', ['eventId', 'personId'], { unique: true })
export class EvaluationRow {
  @id() id!: string;
  @ref('event_id') eventId!: string;
  @ref('person_id') personId!: string;
  /** 1 (poor) to 5 (very good). */
  @Column({ type: 'integer' }) rating!: number;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @str(30, 'submitted_at') submittedAt!: string;
}

/** A tandem's seat in a group, or its place on the group's waiting list. */
@Entity('qual_group_places')
export class GroupPlaceRow {
  @PrimaryColumn({ name: 'enrolment_id', type: 'varchar', length: 36 }) enrolmentId!: string;
  @ref('group_id') groupId!: string;
  @ref('tandem_id') tandemId!: string;
  @str(10) status!: 'seated' | 'waiting';
  /** 1, 2, … in the order seats were taken, or on the waiting list. */
  @Column({ type: 'integer' }) position!: number;
  @str(30) since!: string;
}

@Entity('qual_enrolments')
@Index('idx_qual_enrolments_open_tandem', ['openTandemId'], { unique: true })
export class EnrolmentRow {
  @id() id!: string;
  @ref('tandem_id') tandemId!: string;
  /** The tandem while the enrolment has not ended; unique, so a tandem has one running enrolment, whichever process registers it. */
  @ref('open_tandem_id', true) openTandemId!: string | null;
  @ref('network_id') networkId!: string;
  @str(20, 'district_id') districtId!: string;
  @ref('instance_id') instanceId!: string;
  /** The enrolment instance's state. */
  @str(30) state!: string;
  @ref('group_id', true) groupId!: string | null;
  @Column({ type: 'text', transformer: json }) members!: Member[];
  @str(10, 'staff_council_on', true) staffCouncilOn!: string | null;
  @str(20, 'staff_council_outcome', true) staffCouncilOutcome!: CouncilOutcome | null;
  @str(10, 'equal_opportunities_on', true) equalOpportunitiesOn!: string | null;
  /** Modules that count as attended although a new member joined (exemption from re-formation). */
  @Column({ name: 'credited_modules', type: 'text', transformer: json }) creditedModules!: string[];
  @ref('predecessor_id', true) predecessorId!: string | null;
  @ref('successor_tandem_id', true) successorTandemId!: string | null;
  @str(30, 'created_at') createdAt!: string;
}

@Entity('qual_certificates')
export class CertificateRow {
  @id() id!: string;
  @ref('enrolment_id') enrolmentId!: string;
  @ref('person_id') personId!: string;
  /** Printed on the certificate; confirms it at GET /certificates/verify/{code}. */
  @Column({ type: 'varchar', length: 20, unique: true }) code!: string;
  @str(200, 'person_name') personName!: string;
  @str(2) language!: Language;
  @str(10, 'first_day') firstDay!: string;
  @str(10, 'last_day') lastDay!: string;
  @Column({ type: 'integer' }) hours!: number;
  @Column({ type: 'text', transformer: json }) modules!: string[];
  /** Those of `modules` the holder did not attend: credited to the tandem from before a member change. */
  @Column({ name: 'credited_modules', type: 'text', nullable: true, transformer: json }) creditedModules!: string[];
  /** The modules' titles when it was issued, per module key. */
  @Column({ name: 'module_titles', type: 'text', nullable: true, transformer: json }) moduleTitles!: Record<
    string,
    { de: string; en: string }
  >;
  @str(10, 'issued_on') issuedOn!: string;
}

@Entity('qual_exchanges')
export class ExchangeRow {
  @id() id!: string;
  @str(10, 'held_on') heldOn!: string;
  /** Unique: one exchange a year, whichever process schedules it. */
  @Column({ type: 'varchar', length: 4, unique: true }) year!: string;
  @str(200) place!: string;
  @str(30, 'created_at') createdAt!: string;
}

@Entity('qual_exchange_invitations')
@Index('idx_qual_invitation_identity', ['exchangeId', 'enrolmentId'], { unique: true })
export class ExchangeInvitationRow {
  @id() id!: string;
  @ref('exchange_id') exchangeId!: string;
  @ref('enrolment_id') enrolmentId!: string;
  @str(10) answer!: 'pending' | 'accepted' | 'declined';
  @str(30, 'answered_at', true) answeredAt!: string | null;
}

export const QUALIFICATION_ENTITIES = [
  DistrictRow,
  SchoolOfficeRow,
  NetworkRow,
  PersonRow,
  TandemRow,
  ModeratorTandemRow,
  GroupRow,
  EventRow,
  ReflectionPhaseRow,
  AttendanceRow,
  EvaluationRow,
  GroupPlaceRow,
  EnrolmentRow,
  CertificateRow,
  ExchangeRow,
  ExchangeInvitationRow,
];
