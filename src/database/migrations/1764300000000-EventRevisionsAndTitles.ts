import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, str, text } from './columns.js';

/**
 * What calendars and certificates need of an event: its module's title (German and English, so further modules
 * than the three core ones are not shown by their key), and its revision: a SEQUENCE raised on every change and
 * the time of the last change (DTSTAMP, LAST-MODIFIED). Events scheduled before get their group's creation time,
 * which is stable, so their calendar entries do not change with every fetch. Certificates keep the titles of their
 * modules as they were when issued.
 */
export class EventRevisionsAndTitles1764300000000 implements MigrationInterface {
  name = 'EventRevisionsAndTitles1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('qual_events', [
      new TableColumn(str('title', 200, true)),
      new TableColumn(str('title_en', 200, true)),
      new TableColumn({ ...int('sequence'), default: 0 }),
      new TableColumn(str('changed_at', 30, true)),
    ]);
    await queryRunner.query(
      'UPDATE qual_events SET changed_at = (SELECT g.created_at FROM qual_groups g WHERE g.id = qual_events.group_id) WHERE changed_at IS NULL',
    );
    await queryRunner.addColumn('qual_certificates', new TableColumn(text('module_titles', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('qual_certificates', 'module_titles');
    for (const column of ['changed_at', 'sequence', 'title_en', 'title'])
      await queryRunner.dropColumn('qual_events', column);
  }
}
