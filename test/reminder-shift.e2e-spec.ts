/**
 * A reminder that would fall on a day off moves to a working day on the safe side of its deadline, in both
 * programmes: before a deadline to the previous working day, after a deadline (overdue, missing) to the next one,
 * never onto or before the deadline. Easter and Ascension 2026 make the cases; each is seen as people see it, in
 * the mails that went out and the day they went out on.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { QualificationWorld } from './qualification-world.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';

/** Mails in the outbox: Berlin calendar day it was queued, template without programme, recipient. */
async function mails(t: TestApp, template: string): Promise<[string, string][]> {
  const rows: { payload: string; created_at: string }[] = await t.app
    .get(DataSource)
    .query(`SELECT payload, created_at FROM outbox WHERE kind = 'mail'`);
  return rows
    .map((row) => ({
      payload: JSON.parse(row.payload) as { to: { email: string }; template: string },
      day: DateTime.fromISO(row.created_at, { zone: 'Europe/Berlin' }).toISODate()!,
    }))
    .filter(({ payload }) => payload.template.endsWith(`/${template}`))
    .map(({ payload, day }) => [day, payload.to.email] as [string, string])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

const berlin = (wallTime: string) => DateTime.fromISO(wallTime, { zone: 'Europe/Berlin' }).toUTC().toISO()!;

describe('reminders move to a working day on the safe side of their deadline', () => {
  let workspace: string;
  let t: TestApp;

  afterEach(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  describe('contracts (Lower Saxony)', () => {
    beforeEach(async () => {
      workspace = makeWorkspace();
      t = await startApp({ workspace, now: berlin('2025-03-10T10:00') });
    });

    it('sends the overdue annual report reminder after Easter, not on the Thursday before the due Sunday', async () => {
      const land = {
        id: 'mk-lange',
        name: 'Petra Lange',
        email: 'petra.lange@mk.niedersachsen.example',
        language: 'de',
        partner: 'land',
      };
      const kommune = {
        id: 'lk-okafor',
        name: 'Sam Okafor',
        email: 'sam.okafor@celle.example',
        language: 'en',
        partner: 'kommune',
      };
      await t.http
        .get('/auth/me')
        .set(as('contract_admin', kommune.id, { partner: 'kommune' }))
        .expect(200);
      await t.http
        .post('/contracts')
        .set(as('contract_admin', land.id, { partner: 'land' }))
        .send({
          bildungsregion: 'Bildungsregion Celle',
          kommune: { name: 'Landkreis Celle', kind: 'landkreis' },
          steeringCommittee: 'Steuerungsgruppe Bildungsregion Celle',
          regionalOffice: 'Bildungsbüro Celle',
          startsOn: '2025-04-05',
          signedOn: '2025-03-10',
          reference: 'MK 31-2025/3',
          admins: [land, kommune],
        })
        .expect(201);

      // The first report is due on Easter Sunday, 5 April 2026; Good Friday and Easter Monday are holidays.
      await t.scheduler.advanceTo(berlin('2026-04-06T10:00'));
      expect(await mails(t, 'annual-report-overdue')).toEqual([]);
      // Four weeks before is Sunday 8 March: that reminder goes out on the Friday before.
      expect(await mails(t, 'annual-report-due')).toEqual([
        ['2026-03-06', land.email],
        ['2026-03-06', kommune.email],
      ]);

      await t.scheduler.advanceTo(berlin('2026-04-07T10:00'));
      expect(await mails(t, 'annual-report-overdue')).toEqual([
        ['2026-04-07', land.email],
        ['2026-04-07', kommune.email],
      ]);
    });
  });

  describe('tandem qualification (North Rhine-Westphalia)', () => {
    let world: QualificationWorld;

    beforeEach(async () => {
      workspace = makeWorkspace();
      t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
      world = new QualificationWorld(t);
    });

    it('asks for missing attendance after Easter and for an overdue reflection phase after Ascension Day', async () => {
      const group = await world.group('Gruppe Ostern 2026', [
        { module: 'tandem-team', days: ['2026-04-01', '2026-04-02'], hours: 16, place: 'Soest' },
        { module: 'regional-education-management', days: ['2026-05-20', '2026-05-21'], hours: 16, place: 'Soest' },
        { module: 'cooperation-interfaces', days: ['2026-06-15', '2026-06-16'], hours: 16, place: 'Dortmund' },
      ]);
      expect(group.reflectionPhases[0].dueOn).toBe('2026-05-13');
      const days = async (template: string) =>
        (await mails(t, template)).map(([day, email]) => [day, email.split('@')[1]]);
      const toBothModerators = (day: string) => [
        [day, 'institut.example.org'],
        [day, 'institut.example.org'],
      ];

      // The event's second day is Thursday 2 April; two days later is Holy Saturday, then Easter Sunday and Monday.
      await t.scheduler.advanceTo(berlin('2026-04-06T18:00'));
      expect(await days('attendance-missing')).toEqual([]);
      await t.scheduler.advanceTo(berlin('2026-04-07T10:00'));
      expect(await days('attendance-missing')).toEqual(toBothModerators('2026-04-07'));

      // The first reflection phase is due Wednesday 13 May; the day after is Ascension Day.
      await t.scheduler.advanceTo(berlin('2026-05-14T18:00'));
      expect(await days('reflection-overdue')).toEqual([]);
      await t.scheduler.advanceTo(berlin('2026-05-15T10:00'));
      expect(await days('reflection-overdue')).toEqual(toBothModerators('2026-05-15'));
    });
  });
});
