/**
 * The lists clerks keep elsewhere, as files: enrolments, attendance, deadlines and certificates as CSV (German
 * Excel: BOM, `;`, DD.MM.YYYY) and XLSX (real date cells), each in the scope of the caller. The files are read back
 * as a clerk's spreadsheet would read them (csv-parse, exceljs) and checked row by row.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { readPdf } from './support/pdf.js';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const LAND = {
  id: 'mk-lange',
  name: 'Petra Lange',
  email: 'petra.lange@mk.niedersachsen.example',
  language: 'de',
  partner: 'land',
} as const;
const KOMMUNE = {
  id: 'lk-heide',
  name: 'Sam Okafor',
  email: 'sam.okafor@heidekreis.example',
  language: 'de',
  partner: 'kommune',
} as const;
const admin = (a: { id: string; partner: 'land' | 'kommune' }) => as('contract_admin', a.id, { partner: a.partner });

describe('exports: CSV and XLSX of the lists clerks keep', () => {
  let workspace: string;
  let t: TestApp;
  let world: QualificationWorld;
  let g1: Awaited<ReturnType<QualificationWorld['group']>>;
  let g2: Awaited<ReturnType<QualificationWorld['group']>>;
  let a: Enrolment; // koeln, attends everything
  let b: Enrolment; // koeln, upper member misses the first event
  let c: Enrolment; // muenster, in the other group
  let d: Enrolment; // koeln, nominated only

  beforeAll(async () => {
    workspace = makeWorkspace();
    t = await startApp({ workspace, now: '2026-01-05T09:00:00Z' });
    world = new QualificationWorld(t);
    g1 = await world.group('Gruppe Rheinland');
    g2 = await world.group('Gruppe Westfalen');
    a = await world.registered('koeln');
    b = await world.registered('koeln');
    c = await world.registered('muenster');
    d = await world.nominate(await world.tandem('koeln'));
    await world.place(a, g1.id);
    await world.place(b, g1.id);
    await world.place(c, g2.id);
    await t.http.get('/auth/me').set(admin(KOMMUNE)).expect(200);
    await t.http
      .post('/contracts')
      .set(admin(LAND))
      .send({
        bildungsregion: 'Bildungsregion Heidekreis',
        kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
        steeringCommittee: 'Lenkungsgruppe Heidekreis',
        regionalOffice: 'Bildungsbüro Heidekreis',
        startsOn: '2025-03-01',
        signedOn: '2025-02-10',
        reference: 'MK 31-Heide',
        admins: [LAND, KOMMUNE],
      })
      .expect(201);
    await t.scheduler.advanceTo('2026-03-03T15:00:00Z');
    await world.attendance(g1.events[0].id, g1.moderators[0], [a.lower.id, a.upper.id, b.lower.id], [b.upper.id]);
  });

  afterAll(async () => {
    await t.close();
    removeWorkspace(workspace);
  });

  async function download(path: string, headers: Record<string, string>) {
    const response = await t.anonymous
      .get(path)
      .set(headers)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body.toString()}`);
    return {
      body: response.body as Buffer,
      type: response.headers['content-type'],
      disposition: response.headers['content-disposition'],
    };
  }

  async function csv(path: string, headers: Record<string, string>): Promise<string[][]> {
    const file = await download(path, headers);
    expect(file.type).toBe('text/csv; charset=utf-8');
    expect(file.disposition).toMatch(/^attachment; filename="[a-z]+\.csv"$/);
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.body.toString('utf8')).toContain('\r\n');
    return parse(file.body, { delimiter: ';', bom: true, relaxColumnCount: false });
  }

  async function xlsx(path: string, headers: Record<string, string>): Promise<unknown[][]> {
    const file = await download(path, headers);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toMatch(/^attachment; filename="[a-z]+\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }

  it('enrolments: a district gets its own, the institute all; days as DD.MM.YYYY in CSV and date cells in XLSX', async () => {
    const koeln = await csv('/exports/enrolments.csv', as('district', 'koeln/m.schmidt'));
    expect(koeln[0]).toEqual([
      'Bezirksregierung',
      'Bildungsnetzwerk',
      'Untere Schulaufsicht',
      'Obere Schulaufsicht',
      'Status',
      'Gruppe',
      'Wartelistenplatz',
      'Personalrat beteiligt am',
      'Personalrat: Ergebnis',
      'Gleichstellungsbeauftragte beteiligt am',
    ]);
    expect(koeln.slice(1).map((r) => [r[2], r[3], r[4], r[5], r[7], r[8], r[9]])).toEqual([
      [
        a.lower.name,
        a.upper.name,
        'in der Qualifizierung',
        'Gruppe Rheinland',
        '05.01.2026',
        'Zustimmung',
        '05.01.2026',
      ],
      [
        b.lower.name,
        b.upper.name,
        'in der Qualifizierung',
        'Gruppe Rheinland',
        '05.01.2026',
        'Zustimmung',
        '05.01.2026',
      ],
      [d.lower.name, d.upper.name, 'nominiert', '', '', '', ''],
    ]);
    expect(koeln.slice(1).every((r) => r[0] === 'Bezirksregierung Köln')).toBe(true);

    const all = await xlsx('/exports/enrolments.xlsx', INSTITUTE);
    expect(all).toHaveLength(1 + 4);
    const rowOfC = all.find((r) => r[2] === c.lower.name)!;
    expect(rowOfC[0]).toBe('Bezirksregierung Münster');
    expect(rowOfC[7]).toEqual(new Date('2026-01-05T00:00:00Z'));
    // A district cannot reach the other areas' list through the institute's filters: there are none to pass.
    await t.http.get('/exports/enrolments.csv').set(as('participant', a.lower.id)).expect(403);
  });

  it('attendance: each seated tandem against each event; a moderator sees only its own group', async () => {
    const rows = await csv('/exports/attendance.csv', as('moderator', g1.moderators[1]));
    expect(rows[0]).toEqual([
      'Gruppe',
      'Modul',
      'Erster Tag',
      'Letzter Tag',
      'Ort',
      'Mitglied untere Schulaufsicht',
      'anwesend?',
      'Mitglied obere Schulaufsicht',
      'anwesend?',
      'Zählt für das Tandem',
    ]);
    const body = rows.slice(1);
    expect(body).toHaveLength(2 * 4);
    expect(new Set(body.map((r) => r[0]))).toEqual(new Set(['Gruppe Rheinland']));
    expect(body.slice(0, 2)).toEqual([
      [
        'Gruppe Rheinland',
        'Das Tandem als Team',
        '02.03.2026',
        '03.03.2026',
        'Soest',
        a.lower.name,
        'anwesend',
        a.upper.name,
        'anwesend',
        'ja',
      ],
      [
        'Gruppe Rheinland',
        'Das Tandem als Team',
        '02.03.2026',
        '03.03.2026',
        'Soest',
        b.lower.name,
        'anwesend',
        b.upper.name,
        'abwesend',
        'nein',
      ],
    ]);
    expect(body[2]).toEqual([
      'Gruppe Rheinland',
      'Grundlagen des regionalen Bildungsmanagements',
      '20.04.2026',
      '21.04.2026',
      'Soest',
      a.lower.name,
      '',
      a.upper.name,
      '',
      'noch nicht erfasst',
    ]);
    expect(body[7][1]).toBe('Datengestützte Steuerung');

    const institute = await xlsx(`/exports/attendance.xlsx?groupId=${g2.id}`, INSTITUTE);
    expect(institute.slice(1).map((r) => [r[0], r[5]])).toEqual(Array(4).fill(['Gruppe Westfalen', c.lower.name]));
    expect(institute[1][2]).toEqual(new Date('2026-03-02T00:00:00Z'));

    const other = await t.http
      .get(`/exports/attendance.csv?groupId=${g2.id}`)
      .set(as('moderator', g1.moderators[0]))
      .expect(403);
    expect(other.body.rule).toBe('moderator-own-groups');
    await t.http.get('/exports/attendance.csv?groupId=nope').set(INSTITUTE).expect(400);
    await t.http.get('/exports/attendance.pdf').set(INSTITUTE).expect(400);
  });

  it("prints a group's roster and an event's sign-in sheet: every seated member, the event's title, days and place, a signature field per day", async () => {
    const sheet = await download(`/events/${g1.events[1].id}/sign-in-sheet.pdf`, as('moderator', g1.moderators[0]));
    expect(sheet.type).toBe('application/pdf');
    expect(sheet.disposition).toBe('attachment; filename="unterschriftenliste-2026-04-20.pdf"');
    const read = await readPdf(sheet.body);
    if (process.env.LOTSE_PRINT_OUT) writeFileSync(`${process.env.LOTSE_PRINT_OUT}-sheet.pdf`, sheet.body);
    expect(read.pages).toHaveLength(1);
    const text = read.pages[0];
    for (const expected of [
      'Unterschriftenliste',
      'Gruppe Rheinland',
      'Grundlagen des regionalen Bildungsmanagements',
      'Mo., 20.04.2026 und Di., 21.04.2026, jeweils ab 09:00 Uhr',
      'Ort',
      'Soest',
      a.lower.name,
      a.upper.name,
      b.lower.name,
      b.upper.name,
      'Moderation',
      'Seite 1 von 1',
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
    // A signature column per day of the event.
    expect(text.match(/Unterschrift(?!enliste)/g)).toHaveLength(2);
    // Only the group's own tandems: Münster's tandem sits in the other group.
    expect(text).not.toContain(c.lower.name);
    expect(read.fonts.every((f) => f.embedded)).toBe(true);

    const roster = await download(`/groups/${g1.id}/roster.pdf`, INSTITUTE);
    if (process.env.LOTSE_PRINT_OUT) writeFileSync(`${process.env.LOTSE_PRINT_OUT}-roster.pdf`, roster.body);
    const rosterText = (await readPdf(roster.body)).pages.join('\n');
    for (const expected of [
      'Teilnehmendenliste',
      'Gruppe Rheinland',
      a.lower.name,
      'untere Schulaufsicht',
      b.upper.name,
      'obere Schulaufsicht',
      'Bezirksregierung Köln',
      'Datengestützte Steuerung',
      'Mo., 14.09.2026 und Di., 15.09.2026',
      'Dortmund',
    ]) {
      expect({ expected, found: rosterText.includes(expected) }).toEqual({ expected, found: true });
    }

    const other = await t.http
      .get(`/events/${g2.events[0].id}/sign-in-sheet.pdf`)
      .set(as('moderator', g1.moderators[0]))
      .expect(403);
    expect(other.body.rule).toBe('moderator-own-groups');
    await t.http.get(`/groups/${g1.id}/roster.pdf`).set(as('participant', a.lower.id)).expect(403);
    const unknown = await t.http
      .get('/events/00000000-0000-4000-8000-000000000000/sign-in-sheet.pdf')
      .set(INSTITUTE)
      .expect(404);
    expect(unknown.body.rule).toBe('event-exists');
  });

  it('deadlines: both programmes for the ministry, the contracts for their administrator, the own group for a moderator', async () => {
    // The day after the first event: Westfalen's moderators have not recorded its attendance yet.
    await t.scheduler.advanceTo('2026-03-04T09:00:00Z');
    const ministry = await csv('/exports/deadlines.csv', as('ministry', 'msb'));
    expect(ministry[0]).toEqual(['Fällig am', 'Programm', 'Frist', 'Betrifft', 'Überfällig', 'Hinweis']);
    const programmes = new Set(ministry.slice(1).map((r) => r[1]));
    expect(programmes).toEqual(new Set(['Tandem-Qualifizierung NRW', 'Bildungsregion Niedersachsen']));
    const days = ministry.slice(1).map((r) => r[0].split('.').reverse().join('-'));
    expect(days).toEqual([...days].sort());

    const land = await csv('/exports/deadlines.csv', admin(LAND));
    expect(land.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual(
      [
        ['01.03.2026', 'Jahresbericht der Geschäftsstelle', 'Bildungsregion Heidekreis', 'nein'],
        ['30.06.2027', 'Letzter Tag für eine Kündigung', 'Bildungsregion Heidekreis', 'nein'],
        ['31.12.2027', 'Letzter Tag für eine Kündigung', 'Bildungsregion Heidekreis', 'nein'],
        ['01.03.2028', 'Evaluation und Wirkungsüberprüfung', 'Bildungsregion Heidekreis', 'nein'],
        ['01.03.2028', 'Überprüfung der Kooperation', 'Bildungsregion Heidekreis', 'nein'],
      ].map((row, i) => (i === 0 ? [row[0], row[1], row[2], 'ja'] : row)),
    );
    expect(land.filter((r) => r[2] === 'Letzter Tag für eine Kündigung').map((r) => r[5])).toEqual([
      'Kündigung (wirksam zum 31.12.2027)',
      'Kündigung (wirksam zum 30.06.2028)',
    ]);

    const moderator = await xlsx('/exports/deadlines.xlsx', as('moderator', g2.moderators[0]));
    const kinds = moderator.slice(1).map((r) => [r[2], r[3]]);
    expect(kinds).toContainEqual(['Anwesenheit nicht erfasst', 'Gruppe Westfalen: Das Tandem als Team']);
    expect(kinds).toContainEqual(['Reflexionsphase fällig', 'Gruppe Westfalen']);
    expect(kinds.every(([, concerns]) => String(concerns).startsWith('Gruppe Westfalen'))).toBe(true);
    expect(moderator[1][0]).toEqual(new Date('2026-03-03T00:00:00Z'));
    await t.http.get('/exports/deadlines.csv').set(as('district', 'koeln')).expect(403);
  });

  it('certificates: every certificate issued, with its code and verification address', async () => {
    const everyone = [a.lower.id, a.upper.id, b.lower.id, b.upper.id];
    for (const event of g1.events.slice(1)) {
      await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T14:00:00Z`);
      await world.attendance(event.id, g1.moderators[0], everyone);
    }
    await t.scheduler.advanceTo('2026-09-21T10:00:00Z');
    const issued = await world.ok('post', `/enrolments/${a.enrolmentId}/certificates`, INSTITUTE);
    await t.http.post(`/enrolments/${b.enrolmentId}/certificates`).set(INSTITUTE).expect(422);

    const rows = await csv('/exports/certificates.csv', INSTITUTE);
    expect(rows[0]).toEqual([
      'Name',
      'Bezirksregierung',
      'Bildungsnetzwerk',
      'Erster Tag',
      'Letzter Tag',
      'Stunden',
      'Module',
      'Ausgestellt am',
      'Prüfcode',
      'Prüfadresse',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([a.lower.name, a.upper.name].sort());
    const lower = rows.find((r) => r[0] === a.lower.name)!;
    const code = issued.find((x: { personId: string }) => x.personId === a.lower.id).code;
    expect(lower).toEqual([
      a.lower.name,
      'Bezirksregierung Köln',
      expect.stringMatching(/^Bildungsnetzwerk /),
      '02.03.2026',
      '15.09.2026',
      '64',
      'Das Tandem als Team, Grundlagen des regionalen Bildungsmanagements, Kooperations- und Schnittstellenmanagement, Datengestützte Steuerung',
      '21.09.2026',
      code,
      `http://localhost:3000/certificates/verify/${code}`,
    ]);
    const sheet = await xlsx('/exports/certificates.xlsx', as('ministry', 'msb'));
    expect(sheet[1][5]).toBe(64);
    expect(sheet[1][7]).toEqual(new Date('2026-09-21T00:00:00Z'));
    await t.http.get('/exports/certificates.csv').set(as('moderator', g1.moderators[0])).expect(403);
  });
});
