import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, str, text, uuid } from './columns.js';

const pk = { ...uuid('id'), isPrimary: true };

/** The five Bezirksregierungen of North Rhine-Westphalia, with an equal need until the institute sets it. */
export const NRW_DISTRICTS = [
  { id: 'arnsberg', name: 'Bezirksregierung Arnsberg' },
  { id: 'detmold', name: 'Bezirksregierung Detmold' },
  { id: 'duesseldorf', name: 'Bezirksregierung Düsseldorf' },
  { id: 'koeln', name: 'Bezirksregierung Köln' },
  { id: 'muenster', name: 'Bezirksregierung Münster' },
];

/** Tables of the tandem qualification (Programme A), and the five districts. Portable across SQLite and PostgreSQL. */
export class QualificationTables1764000000000 implements MigrationInterface {
  name = 'QualificationTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables: Table[] = [
      new Table({
        name: 'qual_districts',
        columns: [{ ...str('id', 20), isPrimary: true }, str('name', 100), int('need')],
      }),
      new Table({ name: 'qual_school_offices', columns: [pk, str('name', 200), str('district_id', 20)] }),
      new Table({ name: 'qual_networks', columns: [pk, str('name', 200), str('district_id', 20)] }),
      new Table({
        name: 'qual_persons',
        columns: [
          pk,
          str('name', 200),
          str('email', 200),
          str('language', 2),
          str('supervision', 10, true),
          str('district_id', 20, true),
          uuid('school_office_id', true),
          str('office', 200),
        ],
      }),
      new Table({
        name: 'qual_tandems',
        columns: [
          pk,
          uuid('network_id'),
          uuid('lower_member_id'),
          uuid('upper_member_id'),
          str('formed_at', 30),
          uuid('successor_id', true),
        ],
      }),
      new Table({ name: 'qual_moderator_tandems', columns: [pk, uuid('first_member_id'), uuid('second_member_id')] }),
      new Table({
        name: 'qual_groups',
        columns: [
          pk,
          str('name', 200),
          int('capacity'),
          uuid('moderator_tandem_id'),
          uuid('instance_id'),
          str('created_at', 30),
        ],
      }),
      new Table({
        name: 'qual_events',
        columns: [
          pk,
          uuid('group_id'),
          int('seq'),
          str('module', 100),
          text('days'),
          str('start_time', 5),
          int('hours'),
          str('place', 200),
          str('attendance_recorded_at', 30, true),
        ],
        indices: [new TableIndex({ name: 'idx_qual_events_group', columnNames: ['group_id', 'seq'] })],
      }),
      new Table({
        name: 'qual_reflection_phases',
        columns: [
          pk,
          uuid('group_id'),
          uuid('after_event_id'),
          uuid('before_event_id'),
          str('due_on', 10),
          str('closed_at', 30, true),
          str('closed_by', 200, true),
        ],
      }),
      new Table({
        name: 'qual_attendance',
        columns: [
          pk,
          uuid('event_id'),
          uuid('person_id'),
          { name: 'present', type: 'boolean' },
          str('recorded_at', 30),
          str('recorded_by', 200),
        ],
        indices: [
          new TableIndex({
            name: 'idx_qual_attendance_identity',
            columnNames: ['event_id', 'person_id'],
            isUnique: true,
          }),
        ],
      }),
      new Table({
        name: 'qual_evaluations',
        columns: [
          pk,
          uuid('event_id'),
          uuid('person_id'),
          int('rating'),
          text('comment', true),
          str('submitted_at', 30),
        ],
        indices: [
          new TableIndex({
            name: 'idx_qual_evaluations_identity',
            columnNames: ['event_id', 'person_id'],
            isUnique: true,
          }),
        ],
      }),
      new Table({
        name: 'qual_enrolments',
        columns: [
          pk,
          uuid('tandem_id'),
          uuid('network_id'),
          str('district_id', 20),
          uuid('instance_id'),
          uuid('group_id', true),
          str('waitlisted_at', 30, true),
          { name: 'waitlist_seq', type: 'integer', isNullable: true },
          str('staff_council_on', 10, true),
          str('equal_opportunities_on', 10, true),
          text('credited_modules'),
          uuid('predecessor_id', true),
          str('created_at', 30),
        ],
        indices: [new TableIndex({ name: 'idx_qual_enrolments_group', columnNames: ['group_id'] })],
      }),
      new Table({
        name: 'qual_certificates',
        columns: [
          pk,
          uuid('enrolment_id'),
          uuid('person_id'),
          { ...str('code', 20), isUnique: true },
          str('person_name', 200),
          str('language', 2),
          str('first_day', 10),
          str('last_day', 10),
          int('hours'),
          text('modules'),
          str('issued_on', 10),
        ],
      }),
      new Table({
        name: 'qual_exchanges',
        columns: [pk, str('held_on', 10), str('place', 200), str('created_at', 30)],
      }),
      new Table({
        name: 'qual_exchange_invitations',
        columns: [pk, uuid('exchange_id'), uuid('enrolment_id'), str('answer', 10), str('answered_at', 30, true)],
        indices: [
          new TableIndex({
            name: 'idx_qual_invitation_identity',
            columnNames: ['exchange_id', 'enrolment_id'],
            isUnique: true,
          }),
        ],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);
    for (const district of NRW_DISTRICTS) {
      await queryRunner.manager
        .createQueryBuilder()
        .insert()
        .into('qual_districts')
        .values({ ...district, need: 1 })
        .execute();
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'qual_exchange_invitations',
      'qual_exchanges',
      'qual_certificates',
      'qual_enrolments',
      'qual_evaluations',
      'qual_attendance',
      'qual_reflection_phases',
      'qual_events',
      'qual_groups',
      'qual_moderator_tandems',
      'qual_tandems',
      'qual_persons',
      'qual_networks',
      'qual_school_offices',
      'qual_districts',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
