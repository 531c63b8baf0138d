import { Injectable } from '@nestjs/common';
import type { GroupContext, ScheduledEvent } from '../../workflows/tandem-qualification/model.js';
import type { Attendance } from '../../workflows/tandem-qualification/rules.js';
import type { CommandScope } from '../engine/workflow-engine.js';
import { contextOf } from './commands.js';
import { QualificationRepository } from './qualification.repository.js';

export interface TandemAttendance {
  /** The tandem's own group. */
  group: GroupContext;
  /** The events of its own group (cancelled ones included). */
  own: ScheduledEvent[];
  /** Every recorded presence or absence of the persons, in their own group and in make-ups in other groups. */
  attendance: Attendance[];
}

/**
 * Attendance of a tandem's members as the groups hold it: their own group and every group in which they made up an
 * event. The groups are read through the command, so a command that decides on attendance (a certificate, credited
 * modules) is decided again if any of them records attendance meanwhile.
 */
@Injectable()
export class AttendanceGatherer {
  constructor(private readonly repository: QualificationRepository) {}

  async of(command: CommandScope, ownGroupId: string, personIds: string[]): Promise<TandemAttendance> {
    // The projection says where to look; the instances say what holds.
    const elsewhere = new Set((await this.repository.attendanceOf(personIds)).map((a) => a.groupId));
    elsewhere.delete(ownGroupId);
    const groups: GroupContext[] = [];
    for (const groupId of [ownGroupId, ...[...elsewhere].sort()]) {
      const row = (await this.repository.group(groupId))!;
      groups.push(contextOf<GroupContext>(await command.instance(row.instanceId)));
    }
    const attendance = groups.flatMap((group) =>
      group.attendance.flatMap((sheet) => {
        const event = group.events.find((e) => e.id === sheet.eventId)!;
        return sheet.entries
          .filter((entry) => personIds.includes(entry.personId))
          .map((entry) => ({
            id: event.id,
            module: event.module,
            hours: event.hours,
            days: event.days,
            personId: entry.personId,
            present: entry.present,
          }));
      }),
    );
    return { group: groups[0], own: groups[0].events, attendance };
  }
}
