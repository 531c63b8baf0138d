import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { FakeClock } from '../src/engine/clock.js';
import type { Recipient } from '../workflows/shared/mail.js';
import { as, makeWorkspace, removeWorkspace } from './support/harness.js';
import { startMailApp } from './support/mail-app.js';
import type { TestApp } from './support/harness.js';
import type { CourseEvent } from './support/mail-course.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink.js';

const petra: Recipient = {
  name: 'Petra Lang',
  email: 'petra.lang@schule.example',
  language: 'de',
  role: 'participant',
};
const john: Recipient = { name: 'John Reed', email: 'john.reed@schule.example', language: 'en', role: 'moderator' };
const karl: Recipient = { name: 'Karl Busch', email: 'karl.busch@bezreg.example', language: 'de', role: 'district' };

const modul1: CourseEvent = { id: 'm1', title: 'Modul 1', on: '2026-03-26', location: 'Soest' };
const modul2: CourseEvent = { id: 'm2', title: 'Modul 2', on: '2026-04-20', location: 'Soest' };
const modul3: CourseEvent = { id: 'm3', title: 'Modul 3', on: '2026-06-06', location: 'Münster' };
const modul4: CourseEvent = { id: 'm4', title: 'Modul 4', on: '2026-11-03', location: 'Köln' };

/** When a message was sent by the fake clock (its Date header), to whom, about what. */
function received(mail: ReceivedMail): [string, string, string] {
  return [
    DateTime.fromRFC2822(mail.headers.date).toUTC().toISO({ suppressMilliseconds: true })!,
    mail.recipients.join(','),
    mail.subject,
  ];
}

describe('reminders and mail over a real SMTP server', () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;
  const clock = () => new FakeClock('2026-03-02T09:00:00Z');

  async function startCourse(
    events: CourseEvent[] = [modul1],
    course = 'Tandemqualifizierung Gruppe 3',
  ): Promise<string> {
    const created = await t.http
      .post('/instances')
      .set(as('institute'))
      .send({
        definition: 'mail-course',
        input: { course, members: [petra, john, karl], events },
      })
      .expect(201);
    return created.body.id as string;
  }

  async function notifications(query: string): Promise<{
    total: number;
    items: { id: number; status: string; attempts: number; lastError: string | null; recipient: string }[];
  }> {
    return (await t.http.get(`/notifications?${query}`).set(as('institute')).expect(200)).body;
  }

  beforeEach(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    t = await startMailApp({
      workspace,
      clock: clock(),
      config: { smtpUrl: sink.url, outboxRetryForHours: 3 / 60, outboxRetryBaseMs: 60_000 },
    });
  });

  afterEach(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  it("sends each reminder in the person's language with HTML, plain text, an .ics and a Message-ID from its key", async () => {
    const id = await startCourse();
    await t.scheduler.advanceTo('2026-03-12T12:00:00Z');

    expect(sink.messages.map(received)).toEqual([
      ['2026-03-12T07:00:00Z', 'petra.lang@schule.example', 'Erinnerung: Modul 1 am 26.03.2026'],
      ['2026-03-12T07:00:00Z', 'john.reed@schule.example', 'Reminder: Modul 1 on 2026-03-26'],
    ]);
    const [german, english] = sink.messages;
    expect(german.from).toBe('lotse@localhost');
    expect(german.headers.from).toBe('Lotse <lotse@localhost>');
    expect(german.headers.to).toBe('Petra Lang <petra.lang@schule.example>');
    expect(german.text).toBe(
      'Tandemqualifizierung Gruppe 3: „Modul 1“ findet am 26.03.2026 in Soest statt. Der Termin hängt an.',
    );
    expect(german.html).toContain('<html lang="de">');
    expect(german.html.replace(/\r\n/g, '\n')).toContain(
      '<body>\n<p>Tandemqualifizierung Gruppe 3: <strong>Modul 1</strong> findet am 26.03.2026 in Soest statt.</p>\n</body>',
    );
    expect(english.html).toContain('<html lang="en">');
    expect(english.text).toContain('"Modul 1" takes place on 2026-03-26 in Soest');
    const key = `${id}:reminder:event-upcoming:m1:-P14D:petra.lang@schule.example`;
    // On the sender's domain (MAIL_FROM is lotse@localhost here).
    expect(german.messageId).toBe(`<${createHash('sha256').update(key).digest('hex')}@localhost>`);

    expect(german.attachments).toHaveLength(1);
    const ics = german.attachments[0];
    expect(ics).toMatchObject({ contentType: 'text/calendar', filename: 'termin.ics' });
    // 09:00 to 16:00 in Berlin, written with the zone's TZID (its VTIMEZONE is part of the file).
    for (const line of [
      'BEGIN:VCALENDAR',
      'TZID:Europe/Berlin',
      'UID:m1@lotse.test',
      'SUMMARY:Modul 1',
      'DTSTART;TZID=Europe/Berlin:20260326T090000',
      'DTEND;TZID=Europe/Berlin:20260326T160000',
      'LOCATION:Soest',
    ]) {
      expect(ics.content).toContain(line);
    }

    const listed = await notifications(`instance=${id}&status=sent`);
    expect(listed.total).toBe(2);
    expect(listed.items.map((n) => [n.recipient, n.attempts])).toEqual([
      ['petra.lang@schule.example', 0],
      ['john.reed@schule.example', 0],
    ]);
  });

  it('sends exactly the expected reminders over a year: working days of NRW, a moved event moves its pending reminder', async () => {
    const id = await startCourse([modul1, modul2, modul3, modul4]);
    await t.scheduler.advanceTo('2026-05-25T10:00:00Z');
    await t.http
      .post(`/instances/${id}/events`)
      .set(as('institute'))
      .send({ type: 'RESCHEDULE', payload: { eventId: 'm3', on: '2026-06-12' } })
      .expect(200);
    await t.scheduler.advanceTo('2027-01-01T00:00:00Z');

    const both = (at: string, german: string, english: string) => [
      [at, 'petra.lang@schule.example', german],
      [at, 'john.reed@schule.example', english],
    ];
    expect(sink.messages.map(received)).toEqual([
      ...both('2026-03-12T07:00:00Z', 'Erinnerung: Modul 1 am 26.03.2026', 'Reminder: Modul 1 on 2026-03-26'),
      ...both('2026-03-24T07:00:00Z', 'Erinnerung: Modul 1 am 26.03.2026', 'Reminder: Modul 1 on 2026-03-26'),
      // 6 April is Easter Monday; 5 and 4 April a weekend; 3 April Good Friday.
      ...both('2026-04-02T06:00:00Z', 'Erinnerung: Modul 2 am 20.04.2026', 'Reminder: Modul 2 on 2026-04-20'),
      // 18 April is a Saturday.
      ...both('2026-04-17T06:00:00Z', 'Erinnerung: Modul 2 am 20.04.2026', 'Reminder: Modul 2 on 2026-04-20'),
      // 23 May is a Saturday.
      ...both('2026-05-22T06:00:00Z', 'Erinnerung: Modul 3 am 06.06.2026', 'Reminder: Modul 3 on 2026-06-06'),
      // Modul 3 moved to 12 June on 25 May: its 14-day reminder went out already and is not repeated (one per key
      // and person, ever); the 2-day reminder follows the new date (it would have been 3 June, Corpus Christi eve).
      ...both('2026-06-10T06:00:00Z', 'Erinnerung: Modul 3 am 12.06.2026', 'Reminder: Modul 3 on 2026-06-12'),
      ...both('2026-10-20T06:00:00Z', 'Erinnerung: Modul 4 am 03.11.2026', 'Reminder: Modul 4 on 2026-11-03'),
      // 1 November is a Sunday and All Saints' Day, 31 October a Saturday; winter time again: UTC+1.
      ...both('2026-10-30T07:00:00Z', 'Erinnerung: Modul 4 am 03.11.2026', 'Reminder: Modul 4 on 2026-11-03'),
    ]);
    expect(sink.duplicates()).toBe(0);
  });

  it('sends nothing once the course is closed', async () => {
    const id = await startCourse([modul1, modul2]);
    await t.scheduler.advanceTo('2026-03-13T00:00:00Z');
    await t.http.post(`/instances/${id}/events`).set(as('institute')).send({ type: 'CLOSE' }).expect(200);
    await t.scheduler.advanceTo('2026-12-31T00:00:00Z');
    expect(sink.messages).toHaveLength(2);
  });

  it('retries while the SMTP server is down and delivers exactly once when it is back', async () => {
    await startCourse();
    await sink.stop();
    await t.scheduler.advanceTo('2026-03-12T07:00:00Z');
    const pending = await notifications('status=pending');
    expect(pending.items.map((n) => n.attempts)).toEqual([1, 1]);
    expect(pending.items[0].lastError).toMatch(/ECONNREFUSED/);

    await sink.start();
    // The first retry waits outboxRetryBaseMs (one minute); a tick before that sends nothing.
    await t.scheduler.advanceTo('2026-03-12T07:00:30Z');
    expect(sink.messages).toHaveLength(0);
    await t.scheduler.advanceTo('2026-03-12T07:01:00Z');
    expect(sink.messages).toHaveLength(2);
    await t.scheduler.advanceTo('2026-03-13T00:00:00Z');
    expect(sink.messages.map((mail) => mail.recipients[0])).toEqual([
      'petra.lang@schule.example',
      'john.reed@schule.example',
    ]);
    expect(sink.duplicates()).toBe(0);
    expect((await notifications('status=sent')).total).toBe(2);
  });

  it('retries a temporary refusal (451) and delivers once', async () => {
    await startCourse();
    sink.refuseNext(1, 451);
    await t.scheduler.advanceTo('2026-03-12T07:00:00Z');
    expect(sink.messages).toHaveLength(1);
    expect((await notifications('status=pending')).items.map((n) => [n.attempts, n.lastError])).toEqual([
      [1, expect.stringMatching(/451/)],
    ]);
    await t.scheduler.advanceTo('2026-03-12T07:01:00Z');
    expect(sink.messages.map((mail) => mail.recipients[0]).sort()).toEqual([
      'john.reed@schule.example',
      'petra.lang@schule.example',
    ]);
    expect(sink.duplicates()).toBe(0);
  });

  it('dead-letters once retried for outboxRetryForHours (here 3 minutes: after 1 and 2 more), lists it under status=failed and re-sends it on request', async () => {
    const id = await startCourse();
    await sink.stop();
    await t.scheduler.advanceTo('2026-03-12T07:00:00Z');
    await t.scheduler.advanceTo('2026-03-12T07:01:00Z');
    expect((await notifications('status=failed')).total).toBe(0);
    await t.scheduler.advanceTo('2026-03-12T07:03:00Z');
    expect((await notifications('status=failed')).total).toBe(2);
    await t.scheduler.advanceTo('2026-03-20T00:00:00Z');

    const failed = await notifications('status=failed&kind=mail');
    expect(failed.total).toBe(2);
    expect(failed.items.map((n) => [n.recipient, n.status, n.attempts])).toEqual([
      ['petra.lang@schule.example', 'failed', 3],
      ['john.reed@schule.example', 'failed', 3],
    ]);
    expect(failed.items[0].lastError).toMatch(/ECONNREFUSED/);
    const paged = await notifications(`status=failed&instance=${id}&page=2&pageSize=1`);
    expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.items.map((n) => n.recipient)).toEqual(['john.reed@schule.example']);

    await sink.start();
    const target = failed.items[0].id;
    const refused = await t.http.post(`/notifications/${target}/resend`).set(as('participant')).expect(403);
    expect(refused.body.rule).toBe('notifications-role');
    // Whom mail went to is for the programme's operators only.
    expect((await t.http.get('/notifications?status=failed').set(as('participant')).expect(403)).body.rule).toBe(
      'notifications-role',
    );
    expect((await t.http.get(`/notifications/${target}`).set(as('moderator')).expect(403)).body.rule).toBe(
      'notifications-role',
    );
    expect((await t.http.get(`/notifications/${target}`).set(as('institute')).expect(200)).body.status).toBe('failed');

    const resent = await t.http.post(`/notifications/${target}/resend`).set(as('institute')).expect(200);
    expect(resent.body).toMatchObject({ id: target, status: 'pending', attempts: 0 });
    await t.scheduler.tick();
    expect(sink.messages.map((mail) => mail.recipients[0])).toEqual(['petra.lang@schule.example']);
    expect((await notifications('status=failed')).total).toBe(1);

    const again = await t.http.post(`/notifications/${target}/resend`).set(as('institute')).expect(422);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ rule: 'resend-only-failed', status: 422, currentStatus: 'sent' });
    expect((await t.http.get(`/notifications/${target}`).set(as('institute')).expect(200)).body.status).toBe('sent');
  });

  it('dead-letters at once what no retry can deliver: an unknown template, a permanent SMTP refusal (550)', async () => {
    const id = await startCourse([]);
    await t.http
      .post(`/instances/${id}/events`)
      .set(as('institute'))
      .send({ type: 'NOTIFY', payload: { key: 'typo', template: 'mail-course/no-such-template', to: petra } })
      .expect(200);
    await t.scheduler.tick();
    sink.refuseNext(1, 550);
    await t.http
      .post(`/instances/${id}/events`)
      .set(as('institute'))
      .send({ type: 'NOTIFY', payload: { key: 'refused', template: 'mail-course/notice', to: john } })
      .expect(200);
    await t.scheduler.tick();

    const failed = await notifications('status=failed');
    expect(failed.items.map((n) => [n.recipient, n.attempts])).toEqual([
      ['petra.lang@schule.example', 1],
      ['john.reed@schule.example', 1],
    ]);
    expect(failed.items[0].lastError).toBe('unknown message template mail-course/no-such-template');
    expect(failed.items[1].lastError).toMatch(/^SMTP 550/);
    expect(sink.messages).toHaveLength(0);
  });

  it('refuses bad queries and unknown notifications with problem+json, changing nothing', async () => {
    const badStatus = await t.http.get('/notifications?status=lost').set(as('institute')).expect(400);
    expect(badStatus.headers['content-type']).toContain('application/problem+json');
    expect(badStatus.body.detail).toContain('status must be one of pending, sending, sent, failed');
    await t.http.get('/notifications?instance=not-a-uuid').set(as('institute')).expect(400);
    await t.http.get('/notifications?pageSize=501').set(as('institute')).expect(400);
    await t.http.get('/notifications?colour=red').set(as('institute')).expect(400);
    const unknown = await t.http.post('/notifications/999/resend').set(as('institute')).expect(404);
    expect(unknown.body).toMatchObject({ rule: 'notification-exists', status: 404 });
    await t.http.get('/notifications/abc').set(as('institute')).expect(400);
    await t.anonymous.post('/notifications/1/resend').expect(401);
    await t.anonymous.get('/notifications').expect(401);
    expect((await notifications('')).total).toBe(0);
  });

  it('after downtime, one tick sends every overdue reminder once, oldest first', async () => {
    await startCourse([modul1, modul2]);
    await startCourse([modul2], 'Tandemqualifizierung Gruppe 4');
    await t.close();

    // Down from 2 March to 18 April: five reminder dates passed.
    t.clock.set('2026-04-18T10:00:00Z');
    t = await startMailApp({ workspace, clock: t.clock, config: { smtpUrl: sink.url } });
    await t.scheduler.tick();
    expect(
      sink.messages.map((mail) => [
        mail.headers['x-lotse-template'],
        mail.recipients[0],
        mail.subject.replace(/^Erinnerung: |^Reminder: /, ''),
      ]),
    ).toEqual([
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 1 am 26.03.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 1 on 2026-03-26'],
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 1 am 26.03.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 1 on 2026-03-26'],
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 2 am 20.04.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 2 on 2026-04-20'],
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 2 am 20.04.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 2 on 2026-04-20'],
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 2 am 20.04.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 2 on 2026-04-20'],
      ['mail-course/event-upcoming', 'petra.lang@schule.example', 'Modul 2 am 20.04.2026'],
      ['mail-course/event-upcoming', 'john.reed@schule.example', 'Modul 2 on 2026-04-20'],
    ]);
    // Sent in the order they came due (12 Mar, 24 Mar, 2 Apr twice, 17 Apr twice), each once.
    const sentOrder = (await notifications('status=sent&pageSize=500')).items.map((n) => n.id);
    expect(sentOrder).toEqual([...sentOrder].sort((a, b) => a - b));
    await t.scheduler.tick();
    expect(sink.messages).toHaveLength(12);
    expect(sink.duplicates()).toBe(0);
  });
});

describe('mail without SMTP_URL', () => {
  let workspace: string;
  let t: TestApp;

  beforeEach(async () => {
    workspace = makeWorkspace();
    t = await startMailApp({ workspace, clock: new FakeClock('2026-03-02T09:00:00Z') });
  });

  afterEach(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  it('writes each message as <sha256 of its outbox key>.eml under outboxDir, so a retry overwrites its own file', async () => {
    const created = await t.http
      .post('/instances')
      .set(as('institute'))
      .send({
        definition: 'mail-course',
        input: { course: 'Gruppe 3', members: [petra, john], events: [modul1] },
      })
      .expect(201);
    await t.scheduler.advanceTo('2026-03-12T07:00:00Z');
    const outbox = join(workspace, 'outbox');
    const hash = (recipient: string) =>
      createHash('sha256').update(`${created.body.id}:reminder:event-upcoming:m1:-P14D:${recipient}`).digest('hex');
    const files = readdirSync(outbox).sort();
    expect(files).toEqual(
      [`${hash('john.reed@schule.example')}.eml`, `${hash('petra.lang@schule.example')}.eml`].sort(),
    );
    const eml = readFileSync(join(outbox, `${hash('petra.lang@schule.example')}.eml`), 'utf8');
    expect(eml.replace(/\r\n\s+/g, ' ')).toContain(`Message-ID: <${hash('petra.lang@schule.example')}@localhost>`);
    expect(eml).toContain('To: Petra Lang <petra.lang@schule.example>');
    expect(eml).toContain('Content-Type: text/calendar');
    expect(eml).toContain('Content-Type: text/html');
    expect((await t.http.get('/notifications?status=sent').set(as('institute')).expect(200)).body.total).toBe(2);
  });
});
