import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { as, type TestApp } from './support/harness.js';
import { eachTestOnApp } from './support/each-test.js';
import { CURRICULUM, INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

/** Mails in the outbox as a person would notice them: recipient, template, Berlin calendar day. */
async function mails(t: TestApp, recipients?: string[]): Promise<[string, string, string][]> {
  const rows: { payload: string; created_at: string }[] = await t.app
    .get(DataSource)
    .query(`SELECT payload, created_at FROM outbox WHERE kind = 'mail'`);
  return rows
    .map((row) => {
      const payload = JSON.parse(row.payload) as { to: { email: string }; template: string };
      const day = DateTime.fromISO(row.created_at, { zone: 'Europe/Berlin' }).toISODate()!;
      return [payload.to.email, payload.template.replace('tandem-qualification/', ''), day] as [string, string, string];
    })
    .filter(([email]) => !recipients || recipients.includes(email))
    .sort((a, b) => a[2].localeCompare(b[2]) || a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
}

describe('tandem qualification: a year of one group', () => {
  let t: TestApp;
  let world: QualificationWorld;

  eachTestOnApp({ now: '2026-01-05T09:00:00Z' }, (app) => {
    t = app;
    world = new QualificationWorld(t);
  });

  it("takes 8 tandems through every event to certificates and invites them to the next year's exchange", async () => {
    const districts = ['arnsberg', 'detmold', 'duesseldorf', 'koeln', 'muenster', 'arnsberg', 'koeln', 'duesseldorf'];
    const tandems: Enrolment[] = [];
    for (const [i, district] of districts.entries())
      tandems.push(await world.registered(district, i === 0 ? ['de', 'en'] : ['de', 'de']));
    const group = await world.group('Gruppe Ruhr 2026');
    expect(group.reflectionPhases.map((p) => p.dueOn)).toEqual(['2026-04-13', '2026-06-01', '2026-09-07']);
    for (const tandem of tandems) expect((await world.place(tandem, group.id)).status).toBe('placed');

    // Koeln sees its own two tandems, placed, and nobody else's.
    const koeln = await world.ok('get', '/enrolments', as('district', 'koeln'));
    expect(koeln.map((e: { status: string; districtId: string }) => [e.districtId, e.status])).toEqual([
      ['koeln', 'placed'],
      ['koeln', 'placed'],
    ]);

    const [moderator] = group.moderators;
    const everyone = tandems.flatMap((x) => [x.lower.id, x.upper.id]);
    for (const [index, event] of group.events.entries()) {
      await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T14:00:00Z`);
      await world.attendance(event.id, moderator, everyone);
      if (index === 0) {
        await world.ok('post', `/events/${event.id}/evaluations`, as('participant', tandems[0].lower.id), {
          rating: 5,
          comment: 'Sehr hilfreich für unsere Rollenklärung.',
        });
        await world.ok('post', `/events/${event.id}/evaluations`, as('participant', tandems[1].upper.id), {
          rating: 4,
        });
        await t.http
          .post(`/events/${event.id}/evaluations`)
          .set(as('participant', tandems[1].upper.id))
          .send({ rating: 1 })
          .expect(422);
      }
      const phase = group.reflectionPhases[index];
      if (phase) {
        await t.scheduler.advanceTo(`${phase.dueOn}T12:00:00Z`);
        await world.ok('post', `/reflection-phases/${phase.id}/closure`, as('moderator', moderator));
      }
    }
    expect(await world.status(tandems[0])).toBe('in_qualification');
    const { evaluation } = await world.ok('get', '/overview', as('ministry', 'msb'));
    expect(evaluation).toEqual([
      { year: '2026', module: 'tandem-team', title: 'Das Tandem als Team', responses: 2, averageRating: 4.5 },
    ]);

    await t.scheduler.advanceTo('2026-09-21T10:00:00Z');
    for (const tandem of tandems) {
      const certificates = await world.ok('post', `/enrolments/${tandem.enrolmentId}/certificates`, INSTITUTE);
      expect(certificates).toHaveLength(2);
      expect(certificates[0]).toMatchObject({
        hours: 64,
        firstDay: '2026-03-02',
        lastDay: '2026-09-15',
        issuedOn: '2026-09-21',
      });
    }
    expect(await world.status(tandems[0])).toBe('completed');

    // The certificate: a PDF for its holder, verifiable by its code without contact data.
    const own = await world.ok(
      'get',
      `/persons/${tandems[0].upper.id}/certificates`,
      as('participant', tandems[0].upper.id),
    );
    const pdf = await t.http
      .get(own[0].pdf)
      .set(as('participant', tandems[0].upper.id))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    await t.http.get(own[0].pdf).set(as('participant', tandems[1].upper.id)).expect(403);
    const verified = await t.http.get(`/certificates/verify/${own[0].code}`).expect(200);
    expect(verified.body).toMatchObject({
      valid: true,
      name: tandems[0].upper.name,
      hours: 64,
      issuedOn: '2026-09-21',
      issuer: 'Beauftragte Institution der Tandem-Qualifizierung NRW',
    });
    expect(JSON.stringify(verified.body)).not.toContain('@');
    await t.http.get('/certificates/verify/AAAA-BBBB-CCCC').expect(404);

    // Next year's exchange, scheduled in November: invitations go out 8 weeks before.
    await t.scheduler.advanceTo('2026-11-02T09:00:00Z');
    const exchange = await world.ok('post', '/exchanges', INSTITUTE, { on: '2027-06-10', place: 'Düsseldorf' });
    expect(exchange).toMatchObject({ invited: 8, pending: 8 });
    await t.scheduler.advanceTo('2027-04-16T00:00:00Z');
    const invitations = (await mails(t)).filter(([, template]) => template === 'exchange-invitation');
    expect(invitations).toHaveLength(16);
    expect(new Set(invitations.map(([, , day]) => day))).toEqual(new Set(['2027-04-15']));

    // The first tandem accepts and is reminded a week before; the others are not.
    const tasks = await world.ok(
      'get',
      `/persons/${tandems[0].lower.id}/tasks`,
      as('participant', tandems[0].lower.id),
    );
    const answer = tasks.find((task: { kind: string }) => task.kind === 'exchange-answer');
    await world.ok('post', `/exchange-invitations/${answer.id}/answer`, as('participant', tandems[0].lower.id), {
      accept: true,
    });
    await t.scheduler.advanceTo('2027-06-11T00:00:00Z');
    expect(
      (await mails(t))
        .filter(([, template]) => template === 'exchange-reminder')
        .map(([email]) => email)
        .sort(),
    ).toEqual([tandems[0].lower.email, tandems[0].upper.email].sort());

    // One year of one tandem's mail, day by day (weekends and NRW holidays move a reminder to the working day before:
    // Easter Monday 2026-04-06 and Whit Monday 2026-05-25 land on 2 April and 22 May).
    const { lower, upper } = tandems[0];
    const expected = (email: string): [string, string, string][] => [
      [email, 'event-upcoming', '2026-02-16'],
      [email, 'event-upcoming', '2026-02-27'],
      [email, 'event-upcoming', '2026-04-02'],
      [email, 'reflection-due', '2026-04-02'],
      [email, 'event-upcoming', '2026-04-17'],
      [email, 'event-upcoming', '2026-05-22'],
      [email, 'reflection-due', '2026-05-22'],
      [email, 'event-upcoming', '2026-06-05'],
      [email, 'event-upcoming', '2026-08-31'],
      [email, 'reflection-due', '2026-08-31'],
      [email, 'event-upcoming', '2026-09-11'],
      [email, 'certificate-issued', '2026-09-21'],
      [email, 'exchange-invitation', '2027-04-15'],
      [email, 'exchange-reminder', '2027-06-03'],
    ];
    const sortedExpected = [...expected(lower.email), ...expected(upper.email)].sort(
      (a, b) => a[2].localeCompare(b[2]) || a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]),
    );
    expect(await mails(t, [lower.email, upper.email])).toEqual(sortedExpected);

    // Every message went out (as .eml files here): German for the lower member, English for the upper one, event
    // reminders with the appointment attached.
    const statuses: { status: string }[] = await t.app
      .get(DataSource)
      .query(`SELECT DISTINCT status FROM outbox WHERE kind = 'mail'`);
    expect(statuses.map((s) => s.status)).toEqual(['sent']);
    const firstReminder = async (email: string) => {
      const [row]: { key: string }[] = await t.app
        .get(DataSource)
        .query('SELECT key FROM outbox WHERE key LIKE ?', [
          `%:reminder:event-upcoming:${group.events[0].id}:-P14D:${email}`,
        ]);
      return readFileSync(
        join(t.config.outboxDir, `${createHash('sha256').update(row.key).digest('hex')}.eml`),
        'utf8',
      );
    };
    const german = await firstReminder(lower.email);
    expect(german).toContain('Content-Language: de');
    expect(german).toContain('Subject: =?UTF-8?Q?Demn=C3=A4chst=3A_Das_Tandem_als_Team?=');
    expect(german).toContain('Date: Mon, 16 Feb 2026 07:00:00 +0000');
    expect(german).toContain('filename=termin.ics');
    expect(await firstReminder(upper.email)).toContain('Subject: Upcoming: The tandem as a team');

    // The moderators heard of each event twice and of nothing overdue: attendance and reflections were on time.
    const moderatorMails = (await mails(t)).filter(([email]) => email.includes('@institut.'));
    expect(new Set(moderatorMails.map(([, template]) => template))).toEqual(new Set(['event-upcoming']));
    expect(moderatorMails).toHaveLength(2 * 2 * CURRICULUM.length);
  });

  it('reminds the moderators of unrecorded attendance and an overdue reflection phase until they act', async () => {
    const tandem = await world.registered('koeln');
    const group = await world.group('Gruppe Köln-Bonn');
    await world.place(tandem, group.id);
    const late = async () =>
      (await mails(t)).filter(([, template]) => template === 'attendance-missing' || template === 'reflection-overdue');

    // Event 1 ends Tuesday 3 March; nobody records attendance until the following Monday.
    await t.scheduler.advanceTo('2026-03-09T10:00:00Z');
    expect((await late()).map(([, template, day]) => [template, day])).toEqual([
      ['attendance-missing', '2026-03-05'],
      ['attendance-missing', '2026-03-05'],
    ]);
    await world.attendance(group.events[0].id, group.moderators[0], [tandem.lower.id, tandem.upper.id]);

    // The first reflection phase (due Monday 13 April) is closed only on 20 April: one overdue reminder, the day after.
    await t.scheduler.advanceTo('2026-04-20T10:00:00Z');
    await world.ok(
      'post',
      `/reflection-phases/${group.reflectionPhases[0].id}/closure`,
      as('moderator', group.moderators[1]),
    );
    await t.http
      .post(`/reflection-phases/${group.reflectionPhases[0].id}/closure`)
      .set(as('moderator', group.moderators[1]))
      .expect(422);
    await t.scheduler.advanceTo('2026-04-21T15:00:00Z');
    await world.attendance(group.events[1].id, group.moderators[0], [tandem.lower.id, tandem.upper.id]);
    await t.scheduler.advanceTo('2026-04-24T10:00:00Z');
    expect((await late()).map(([, template, day]) => [template, day])).toEqual([
      ['attendance-missing', '2026-03-05'],
      ['attendance-missing', '2026-03-05'],
      ['reflection-overdue', '2026-04-14'],
      ['reflection-overdue', '2026-04-14'],
    ]);
    // Nothing reached the tandem: these reminders are the moderators' alone.
    expect(
      (await mails(t, [tandem.lower.email, tandem.upper.email])).filter(
        ([, template]) => template.endsWith('overdue') || template.endsWith('missing'),
      ),
    ).toEqual([]);
  });

  it('gives each person and the group an iCalendar feed with one entry per event day', async () => {
    const tandem = await world.registered('detmold');
    const group = await world.group('Gruppe Lippe');
    await world.place(tandem, group.id);
    const feed = await t.http
      .get(`/persons/${tandem.lower.id}/calendar.ics`)
      .set(as('participant', tandem.lower.id))
      .expect(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.text.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    // 09:00 in Berlin, with the zone's VTIMEZONE in the feed (test/calendars.e2e-spec.ts reads it with ical.js).
    expect(feed.text).toContain('DTSTART;TZID=Europe/Berlin:20260302T090000');
    expect(feed.text).toContain('LOCATION:Soest');
    const groupFeed = await t.http
      .get(`/groups/${group.id}/calendar.ics`)
      .set(as('moderator', group.moderators[0]))
      .expect(200);
    expect(groupFeed.text.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    await t.http
      .get(`/groups/${group.id}/calendar.ics`)
      .set(as('participant', (await world.registered('koeln')).lower.id))
      .expect(403);
  });
});
