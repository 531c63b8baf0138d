import { describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { writeCalendar } from './icalendar.js';

/** Parses with ical.js, as calendar applications built on it do, and makes the file's VTIMEZONEs known to it. */
function parse(ics: string): ICAL.Component {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar;
}

const day1 = {
  uid: 'e1-1@lotse',
  title: 'Das Tandem als Team (Tag 1/2)',
  start: '2026-03-02T09:00',
  end: '2026-03-02T17:00',
  location: 'Soest',
  changedAt: '2026-01-05T09:00:00.000Z',
};

describe('iCalendar writer', () => {
  it('writes a calendar without appointments that still has a component (its VTIMEZONE) and a name', () => {
    const calendar = parse(
      writeCalendar({ name: 'Tandem-Qualifizierung – Gruppe Lippe', timeZone: 'Europe/Berlin', events: [] }),
    );
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone']);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Tandem-Qualifizierung – Gruppe Lippe');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
  });

  it('writes local wall times with the zone, which ical.js turns into the right instants in winter and summer', () => {
    const summer = { ...day1, uid: 'e2-1@lotse', start: '2026-06-08T09:00', end: '2026-06-08T17:00' };
    const calendar = parse(writeCalendar({ timeZone: 'Europe/Berlin', events: [day1, summer] }));
    const [winterEvent, summerEvent] = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    expect(winterEvent.startDate.zone.tzid).toBe('Europe/Berlin');
    expect(winterEvent.startDate.toJSDate().toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(winterEvent.endDate.toJSDate().toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(summerEvent.startDate.toJSDate().toISOString()).toBe('2026-06-08T07:00:00.000Z');
  });

  it('stamps an appointment with the time it last changed, not the time of writing, so the same data gives the same bytes', () => {
    const first = writeCalendar({ timeZone: 'Europe/Berlin', events: [day1] });
    expect(writeCalendar({ timeZone: 'Europe/Berlin', events: [day1] })).toBe(first);
    const event = parse(first).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-01-05T09:00:00Z');
    expect(event.getFirstPropertyValue('last-modified')!.toString()).toBe('2026-01-05T09:00:00Z');
    expect(event.getFirstPropertyValue('sequence')).toBe(0);
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('writes a changed appointment with its raised SEQUENCE and a cancelled one as STATUS:CANCELLED', () => {
    const moved = { ...day1, sequence: 2, changedAt: '2026-02-10T13:30:00.000Z' };
    const cancelled = { ...day1, uid: 'e1-2@lotse', sequence: 3, cancelled: true };
    const [movedEvent, cancelledEvent] = parse(
      writeCalendar({ timeZone: 'Europe/Berlin', events: [moved, cancelled] }),
    ).getAllSubcomponents('vevent');
    expect(movedEvent.getFirstPropertyValue('sequence')).toBe(2);
    expect(movedEvent.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-02-10T13:30:00Z');
    expect(cancelledEvent.getFirstPropertyValue('sequence')).toBe(3);
    expect(cancelledEvent.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('escapes text and folds long lines without splitting a character, and ical.js reads it back as written', () => {
    const title =
      'Kooperations- und Schnittstellenmanagement; Teil 1, mit Ayşe Yıldız-Łukasiewicz und Jörg Weiß \\ Gäste\nzweite Zeile';
    const ics = writeCalendar({
      name: 'Grüße, Straße; Ölpreis',
      timeZone: 'Europe/Berlin',
      events: [{ ...day1, title, description: 'ż'.repeat(100) }],
    });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const calendar = parse(ics);
    const event = calendar.getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('summary')).toBe(title);
    expect(event.getFirstPropertyValue('description')).toBe('ż'.repeat(100));
    // ical.js keeps NAME (RFC 7986) and X- properties raw; their type is TEXT (RFC 5545 3.8.8.2), read as such here.
    const asText = (raw: unknown) => ICAL.design.defaultSet.value.text.fromICAL!(String(raw));
    expect(asText(calendar.getFirstPropertyValue('name'))).toBe('Grüße, Straße; Ölpreis');
    expect(asText(calendar.getFirstPropertyValue('x-wr-calname'))).toBe('Grüße, Straße; Ölpreis');
  });

  it('writes a calendar day as an all-day entry whose DTEND is the day after the last day', () => {
    const event = new ICAL.Event(
      parse(
        writeCalendar({
          timeZone: 'Europe/Berlin',
          events: [
            {
              uid: 'x@lotse',
              title: 'Erfahrungsaustausch',
              start: '2027-06-10',
              end: '2027-06-11',
              changedAt: '2027-01-10T08:00:00Z',
            },
          ],
        }),
      ).getFirstSubcomponent('vevent')!,
    );
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2027-06-10');
    expect(event.endDate.toString()).toBe('2027-06-12');
  });

  it('marks a file sent by mail METHOD:PUBLISH, and a feed without METHOD', () => {
    expect(
      parse(writeCalendar({ timeZone: 'Europe/Berlin', method: 'PUBLISH', events: [day1] })).getFirstPropertyValue(
        'method',
      ),
    ).toBe('PUBLISH');
    expect(
      parse(writeCalendar({ timeZone: 'Europe/Berlin', events: [day1] })).getFirstPropertyValue('method'),
    ).toBeNull();
  });
});
