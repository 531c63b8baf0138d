/**
 * The tandem qualification's own tables. The lifecycle state of an enrolment or a group is not stored here: it is
 * the state of its workflow instance (`instance_id`), the single source of truth, also for timer-driven changes.
 * Days are YYYY-MM-DD, instants ISO strings, lists JSON text, as in the engine's tables.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Language } from '../../workflows/shared/mail.js';
import type { Supervision } from '../../workflows/tandem-qualification/model.js';

const json = {
  to: (value: unknown) => JSON.stringify(value ?? null),
  from: (value: string | null) => (value === null ? null : JSON.parse(value)),
};
const id = () => PrimaryColumn({ type: 'varchar', length: 36 });
const ref = (name: string, nullable = false) => Column({ name, type: 'varchar', length: 36, nullable });
const str = (length: number, name?: string, nullable = false) => Column({ ...(name ? { name } : {}), type: 'varchar', length, nullable });

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

@Entity('qual_moderator_tandems')
export class ModeratorTandemRow {
  @id() id!: string;
  @ref('first_member_id') firstMemberId!: string;
  @ref('second_member_id') secondMemberId!: string;
}

@Entity('qual_groups')
export class GroupRow {
  @id() id!: string;
  @str(200) name!: string;
  @Column({ type: 'integer' }) capacity!: number;
  @ref('moderator_tandem_id') moderatorTandemId!: string;
  @ref('instance_id') instanceId!: string;
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
  /** The module's title as the institute gave it; null for a core module scheduled without one (the decree's title). */
  @str(200, 'title', true) title!: string | null;
  @str(200, 'title_en', true) titleEn!: string | null;
  /** Raised on every change of the event (iCalendar SEQUENCE). */
  @Column({ type: 'integer', default: 0 }) sequence!: number;
  /** When the event was scheduled or last changed; set for every row (the migration filled in older ones). */
  @str(30, 'changed_at', true) changedAt!: string;
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

@Entity('qual_enrolments')
export class EnrolmentRow {
  @id() id!: string;
  @ref('tandem_id') tandemId!: string;
  @ref('network_id') networkId!: string;
  @str(20, 'district_id') districtId!: string;
  @ref('instance_id') instanceId!: string;
  @ref('group_id', true) groupId!: string | null;
  @str(30, 'waitlisted_at', true) waitlistedAt!: string | null;
  /** Orders the waiting list of a group: first come, first served (several may arrive in the same instant). */
  @Column({ name: 'waitlist_seq', type: 'integer', nullable: true }) waitlistSeq!: number | null;
  @str(10, 'staff_council_on', true) staffCouncilOn!: string | null;
  @str(10, 'equal_opportunities_on', true) equalOpportunitiesOn!: string | null;
  /** Modules that count as attended although a new member joined (exemption from re-formation). */
  @Column({ name: 'credited_modules', type: 'text', transformer: json }) creditedModules!: string[];
  @ref('predecessor_id', true) predecessorId!: string | null;
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
  /** The modules' titles when it was issued, per module key; null on certificates issued before titles were kept. */
  @Column({ name: 'module_titles', type: 'text', nullable: true, transformer: json }) moduleTitles!: Record<string, { de: string; en: string }> | null;
  @str(10, 'issued_on') issuedOn!: string;
}

@Entity('qual_exchanges')
export class ExchangeRow {
  @id() id!: string;
  @str(10, 'held_on') heldOn!: string;
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
  DistrictRow, SchoolOfficeRow, NetworkRow, PersonRow, TandemRow, ModeratorTandemRow, GroupRow, EventRow, ReflectionPhaseRow,
  AttendanceRow, EvaluationRow, EnrolmentRow, CertificateRow, ExchangeRow, ExchangeInvitationRow,
];
