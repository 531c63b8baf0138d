/**
 * Calendars as a calendar application keeps them in sync: the subscribed feeds and the .ics attached to reminders,
 * read with ical.js, the parser many calendar applications use. A subscription asks again and again; the answer
 * must not change until the events do (same bytes, same ETag, 304), and a file imported from a reminder must be the
 * same entries as the feed's, or the calendar shows every day twice.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { INSTITUTE, QualificationWorld } from './qualification-world.js';

function parse(ics: string): ICAL.Component {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar;
}

const events = (calendar: ICAL.Component) => calendar.getAllSubcomponents('vevent');

describe('calendar feeds and the appointments attached to reminders', () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;
  let world: QualificationWorld;

  beforeEach(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z', config: { smtpUrl: sink.url } });
    world = new QualificationWorld(t);
  });

  afterEach(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  it('serves a feed ical.js reads: one entry per event day at the right instant, every module by its title, stamped when it was scheduled', async () => {
    const tandem = await world.registered('detmold');
    const group = await world.group('Gruppe Lippe');
    await world.place(tandem, group.id);
    await t.scheduler.advanceTo('2026-01-20T10:00:00Z');

    const feed = await t.http
      .get(`/persons/${tandem.lower.id}/calendar.ics`)
      .set(as('participant', tandem.lower.id))
      .expect(200);
    const calendar = parse(feed.text);
    const entries = events(calendar).map((c) => new ICAL.Event(c));
    expect(entries).toHaveLength(8);
    expect(new Set(entries.map((e) => e.uid)).size).toBe(8);
    expect(entries.map((e) => e.summary)).toEqual([
      'Das Tandem als Team (Tag 1/2) – Tandem-Qualifizierung',
      'Das Tandem als Team (Tag 2/2) – Tandem-Qualifizierung',
      'Grundlagen des regionalen Bildungsmanagements (Tag 1/2) – Tandem-Qualifizierung',
      'Grundlagen des regionalen Bildungsmanagements (Tag 2/2) – Tandem-Qualifizierung',
      'Kooperations- und Schnittstellenmanagement (Tag 1/2) – Tandem-Qualifizierung',
      'Kooperations- und Schnittstellenmanagement (Tag 2/2) – Tandem-Qualifizierung',
      'Datengestützte Steuerung (Tag 1/2) – Tandem-Qualifizierung',
      'Datengestützte Steuerung (Tag 2/2) – Tandem-Qualifizierung',
    ]);
    // 09:00 to 17:00 in Berlin: UTC+1 in March, UTC+2 in September.
    expect([entries[0].startDate.toJSDate().toISOString(), entries[0].endDate.toJSDate().toISOString()]).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-02T16:00:00.000Z',
    ]);
    expect(entries[7].startDate.toJSDate().toISOString()).toBe('2026-09-15T07:00:00.000Z');
    // Stamped with the time the curriculum was set, not with the time of the request two weeks later.
    for (const entry of events(calendar)) {
      expect(entry.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-01-05T09:00:00Z');
      expect(entry.getFirstPropertyValue('last-modified')!.toString()).toBe('2026-01-05T09:00:00Z');
      expect(entry.getFirstPropertyValue('sequence')).toBe(0);
      expect(entry.getFirstPropertyValue('status')).toBe('CONFIRMED');
    }
    expect(feed.text).not.toContain('data-informed-steering');
  });

  it('answers an unchanged feed with the same bytes and ETag, 304 when asked with it, and a new ETag once events join', async () => {
    const tandem = await world.registered('detmold');
    const group = await world.group('Gruppe Lippe');
    const feed = () => t.http.get(`/persons/${tandem.lower.id}/calendar.ics`).set(as('participant', tandem.lower.id));

    // Not placed yet: an empty calendar, still a valid one (its VTIMEZONE is a component) with its name.
    const empty = await feed().expect(200);
    const emptyCalendar = parse(empty.text);
    expect(emptyCalendar.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone']);
    expect(emptyCalendar.getFirstPropertyValue('x-wr-calname')).toBe(`Tandem-Qualifizierung – ${tandem.lower.name}`);
    expect(empty.headers.etag).toMatch(/^"[\w-]+"$/);

    await world.place(tandem, group.id);
    const first = await feed().expect(200);
    expect(first.headers.etag).not.toBe(empty.headers.etag);
    await feed().set('If-None-Match', empty.headers.etag).expect(200);

    // A day later nothing changed: same bytes, same tag; asked with it (also as a weak tag or in a list): 304, no body.
    await t.scheduler.advanceTo('2026-01-06T12:00:00Z');
    const again = await feed().expect(200);
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    for (const asked of [first.headers.etag, `W/${first.headers.etag}`, `"something-else", ${first.headers.etag}`]) {
      const notModified = await feed().set('If-None-Match', asked).expect(304);
      expect(notModified.text ?? '').toBe('');
      expect(notModified.headers.etag).toBe(first.headers.etag);
    }
    expect(first.headers['cache-control']).toBe('private, no-cache');

    // The group's feed behaves the same; a group without a curriculum yet is an empty, valid calendar.
    const groupFeed = await t.http
      .get(`/groups/${group.id}/calendar.ics`)
      .set(as('moderator', group.moderators[0]))
      .expect(200);
    await t.http
      .get(`/groups/${group.id}/calendar.ics`)
      .set(as('moderator', group.moderators[0]))
      .set('If-None-Match', groupFeed.headers.etag)
      .expect(304);
    const unscheduled = await world.group('Gruppe Sauerland', []);
    const emptyGroup = parse(
      (await t.http.get(`/groups/${unscheduled.id}/calendar.ics`).set(INSTITUTE).expect(200)).text,
    );
    expect(events(emptyGroup)).toHaveLength(0);
    expect(emptyGroup.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
  });

  it('attaches to an event reminder the very entries of the feed, so importing it next to the subscription doubles nothing', async () => {
    const tandem = await world.registered('detmold');
    const group = await world.group('Gruppe Lippe');
    await world.place(tandem, group.id);
    const feed = parse(
      (await t.http.get(`/persons/${tandem.lower.id}/calendar.ics`).set(as('participant', tandem.lower.id)).expect(200))
        .text,
    );

    // The first event (2 and 3 March) is announced 14 days ahead.
    await t.scheduler.advanceTo('2026-02-16T12:00:00Z');
    const reminder = sink.messages.find(
      (m) => m.recipients.includes(tandem.lower.email) && m.subject === 'Demnächst: Das Tandem als Team',
    );
    expect(reminder).toBeDefined();
    const mail = await simpleParser(reminder!.raw);
    const ics = mail.attachments.find((a) => a.filename === 'termin.ics');
    expect(ics?.contentType).toBe('text/calendar');
    const attached = parse(ics!.content.toString('utf8'));
    expect(attached.getFirstPropertyValue('method')).toBe('PUBLISH');

    // One entry per day, each exactly the feed's entry with the same UID: UID, DTSTAMP, SEQUENCE, times, text.
    const attachedEntries = events(attached);
    expect(attachedEntries).toHaveLength(2);
    const feedEntries = new Map(events(feed).map((c) => [c.getFirstPropertyValue('uid'), c.toString()]));
    for (const entry of attachedEntries)
      expect(entry.toString()).toBe(feedEntries.get(entry.getFirstPropertyValue('uid')));
  });
});
