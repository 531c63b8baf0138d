import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { day, int, str, text, uuid } from './columns.js';

/**
 * The tandem qualification's tables become projections of its workflow instances (issue 12), and record what
 * issue 13 asks for: a group's state and places (seats and waiting list), an event's revision, status and the
 * reason of its last change, the staff council's outcome, an enrolment's state and members, credited modules on
 * certificates, one exchange a year, and who appointed a moderator tandem.
 *
 * "Only once" rules held in the database, so that they hold across processes: one running enrolment per tandem
 * (`open_tandem_id` unique) and one exchange per year (`year` unique); capacity and one curriculum per group are
 * kept by the group instance's optimistic lock.
 *
 * Qualification instances of workflow version 1 (written before this change, by `npm run demo`) cannot be carried
 * over: version 1 copied the group's schedule into every enrolment and kept places in tables beside the workflow.
 * The migration refuses such a database rather than run it with tables that no longer follow their instances.
 */
export class QualificationProjections1765200000000 implements MigrationInterface {
  name = 'QualificationProjections1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [{ n }] = await queryRunner.query(
      "SELECT COUNT(*) AS n FROM workflow_instances WHERE definition IN ('tandem-qualification', 'qualification-group') AND definition_version = 1",
    );
    if (Number(n) > 0) {
      throw new Error(
        `this database holds ${n} tandem qualification instance(s) of workflow version 1, which cannot be carried over to version 2` +
          ' (the group now owns schedule, attendance and places); it was made by `npm run demo`: delete the database file and load the demo again',
      );
    }
    await queryRunner.addColumn('qual_groups', new TableColumn({ ...str('state', 30), default: "'forming'" }));
    // The event's revision (sequence, changed_at) and titles came with EventRevisionsAndTitles1764300000000.
    await queryRunner.addColumns('qual_events', [
      new TableColumn({ ...str('status', 10), default: "'scheduled'" }),
      new TableColumn(text('change_reason', true)),
    ]);
    await queryRunner.addColumn('qual_attendance', new TableColumn(uuid('group_id', true)));

    await queryRunner.dropColumn('qual_enrolments', 'waitlisted_at');
    await queryRunner.dropColumn('qual_enrolments', 'waitlist_seq');
    await queryRunner.addColumns('qual_enrolments', [
      new TableColumn({ ...str('state', 30), default: "'nominated'" }),
      new TableColumn(uuid('open_tandem_id', true)),
      new TableColumn({ ...text('members'), default: "'[]'" }),
      new TableColumn(str('staff_council_outcome', 20, true)),
      new TableColumn(uuid('successor_tandem_id', true)),
    ]);
    await queryRunner.createIndex(
      'qual_enrolments',
      new TableIndex({ name: 'idx_qual_enrolments_open_tandem', columnNames: ['open_tandem_id'], isUnique: true }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'qual_group_places',
        columns: [
          { ...uuid('enrolment_id'), isPrimary: true },
          uuid('group_id'),
          uuid('tandem_id'),
          str('status', 10),
          int('position'),
          str('since', 30),
        ],
        indices: [
          new TableIndex({ name: 'idx_qual_group_places_group', columnNames: ['group_id', 'status', 'position'] }),
        ],
      }),
    );
    await queryRunner.addColumn('qual_certificates', new TableColumn(text('credited_modules', true)));
    await queryRunner.addColumn('qual_exchanges', new TableColumn(str('year', 4, true)));
    await queryRunner.query('UPDATE qual_exchanges SET year = SUBSTR(held_on, 1, 4)');
    await queryRunner.createIndex(
      'qual_exchanges',
      new TableIndex({ name: 'idx_qual_exchanges_year', columnNames: ['year'], isUnique: true }),
    );
    await queryRunner.addColumns('qual_moderator_tandems', [
      new TableColumn(str('appointed_by', 200, true)),
      new TableColumn(day('appointed_on', true)),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('qual_moderator_tandems', ['appointed_by', 'appointed_on']);
    await queryRunner.dropIndex('qual_exchanges', 'idx_qual_exchanges_year');
    await queryRunner.dropColumn('qual_exchanges', 'year');
    await queryRunner.dropColumn('qual_certificates', 'credited_modules');
    await queryRunner.dropTable('qual_group_places');
    await queryRunner.dropIndex('qual_enrolments', 'idx_qual_enrolments_open_tandem');
    await queryRunner.dropColumns('qual_enrolments', [
      'state',
      'open_tandem_id',
      'members',
      'staff_council_outcome',
      'successor_tandem_id',
    ]);
    await queryRunner.addColumns('qual_enrolments', [
      new TableColumn(str('waitlisted_at', 30, true)),
      new TableColumn({ name: 'waitlist_seq', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.dropColumn('qual_attendance', 'group_id');
    await queryRunner.dropColumns('qual_events', ['status', 'change_reason']);
    await queryRunner.dropColumn('qual_groups', 'state');
  }
}
