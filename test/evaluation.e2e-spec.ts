/**
 * Quality assurance as the decree asks it (section II.5): every event and the annual exchange evaluated, a yearly
 * report for the ministry (JSON, CSV as German Excel reads it, PDF), and the ministry's yearly meeting with reminders
 * before it, sent on NRW working days with the report attached. One world on the fake clock through 2026 and 2027:
 * two groups, five tandems, the exchange of 2026; every figure of the report is worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { as, makeWorkspace, removeWorkspace, startApp, type TestApp } from './support/harness.js';
import { readPdf } from './support/pdf.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { CURRICULUM, INSTITUTE, QualificationWorld, type Enrolment } from './qualification-world.js';

const BASE = 'https://lotse.example.org';
const MINISTRY = as('ministry', 'msb');
const JANA = { name: 'Dr. Jana Küpper', email: 'jana.kuepper@msb.nrw.example', language: 'de' };
const TOM = { name: 'Tom Baker', email: 'tom.baker@msb.nrw.example', language: 'en' };
const MEETING_TEMPLATE = 'evaluation-meeting/meeting-upcoming';

/** The second group meets a week later, in Köln; its first event's place holds a quote and a semicolon. */
const CURRICULUM_RHEINLAND = [
  { module: 'tandem-team', days: ['2026-03-09', '2026-03-10'], hours: 16, place: 'Köln, "Haus am Dom"; Raum 2' },
  { module: 'regional-education-management', days: ['2026-04-27', '2026-04-28'], hours: 16, place: 'Köln' },
  { module: 'cooperation-interfaces', days: ['2026-06-15', '2026-06-16'], hours: 16, place: 'Köln' },
  {
    module: 'data-informed-steering',
    title: 'Datengestützte Steuerung',
    titleEn: 'Data-informed steering',
    days: ['2026-09-21', '2026-09-22'],
    hours: 16,
    place: 'Köln',
  },
];

/** Every table a refused request could touch. */
const TABLES = [
  'workflow_instances',
  'journal',
  'timers',
  'outbox',
  'eval_meetings',
  'eval_exchange_evaluations',
  'qual_evaluations',
];

describe("evaluation: the yearly report and the ministry's meeting", () => {
  let workspace: string;
  let sink: SmtpSink;
  let t: TestApp;
  let world: QualificationWorld;
  let a: Enrolment;
  let b: Enrolment;
  let c: Enrolment;
  let d: Enrolment;
  let e: Enrolment;
  let exchangeId: string;
  let muenster: Awaited<ReturnType<QualificationWorld['group']>>;
  let rheinland: Awaited<ReturnType<QualificationWorld['group']>>;

  const start = (clock?: TestApp['clock']) =>
    startApp({
      workspace,
      ...(clock ? { clock } : { now: '2026-01-05T09:00:00Z' }),
      config: { smtpUrl: sink.url, publicBaseUrl: BASE },
    });

  async function stored(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES)
      counts[table] = Number((await t.app.get(DataSource).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return counts;
  }

  /** Expects the request to be refused with `status` and `rule`, changing nothing. */
  async function refused(
    method: 'get' | 'put' | 'post' | 'delete',
    path: string,
    headers: Record<string, string>,
    body: object | undefined,
    status: number,
    rule: string,
  ) {
    const before = await stored();
    const request = t.anonymous[method](path).set(headers);
    const response = await (body ? request.send(body) : request);
    expect({ path, status: response.status, rule: response.body.rule, type: response.headers['content-type'] }).toEqual(
      { path, status, rule, type: expect.stringContaining('application/problem+json') },
    );
    expect(await stored()).toEqual(before);
    return response.body;
  }

  async function download(path: string, headers = MINISTRY) {
    return t.anonymous
      .get(path)
      .set(headers)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
  }

  const evaluate = (eventId: string, person: { id: string }, rating: number, comment?: string) =>
    world.ok('post', `/events/${eventId}/evaluations`, as('participant', person.id), {
      rating,
      ...(comment ? { comment } : {}),
    });

  async function meetingMails(): Promise<{ to: string; day: string; time: string; mail: ParsedMail }[]> {
    const raw = sink.messages.filter((m) => m.headers['x-lotse-template'] === MEETING_TEMPLATE);
    const parsed = await Promise.all(
      raw.map(async (m) => {
        const mail = await simpleParser(m.raw);
        const sent = DateTime.fromJSDate(mail.date!, { zone: 'Europe/Berlin' });
        return { to: m.recipients[0], day: sent.toISODate()!, time: sent.toFormat('HH:mm'), mail };
      }),
    );
    return parsed.sort((x, y) => x.day.localeCompare(y.day) || x.to.localeCompare(y.to));
  }

  beforeAll(async () => {
    workspace = makeWorkspace();
    sink = await startSmtpSink();
    t = await start();
    world = new QualificationWorld(t);
    muenster = await world.group('Gruppe Münsterland', CURRICULUM);
    rheinland = await world.group('Gruppe Rheinland', CURRICULUM_RHEINLAND);
    [a, b, c] = [
      await world.registered('muenster'),
      await world.registered('detmold'),
      await world.registered('arnsberg'),
    ];
    [d, e] = [await world.registered('koeln'), await world.registered('duesseldorf')];
    for (const x of [a, b, c]) await world.place(x, muenster.id);
    for (const x of [d, e]) await world.place(x, rheinland.id);

    const members = (...tandems: Enrolment[]) => tandems.flatMap((x) => [x.lower.id, x.upper.id]);
    const events = [
      ...muenster.events.map((event, index) => ({ event, index, group: muenster })),
      ...rheinland.events.map((event, index) => ({ event, index, group: rheinland })),
    ].sort((x, y) => x.event.days[0].localeCompare(y.event.days[0]));
    for (const { event, index, group } of events) {
      await t.scheduler.advanceTo(`${event.days[event.days.length - 1]}T14:00:00Z`);
      // The Rheinland group's last event stays without attendance: nobody can evaluate it, and its tandems go on.
      if (group === rheinland && index === 3) continue;
      await world.attendance(event.id, group.moderators[0], group === muenster ? members(a, b, c) : members(d, e));
    }
    const [m1, m2, , m4] = muenster.events;
    await evaluate(m1.id, a.lower, 5, 'Sehr hilfreich für unsere Rollenklärung; „Tandem“ gestärkt.');
    await evaluate(m1.id, a.upper, 4);
    await evaluate(m1.id, b.lower, 4);
    await evaluate(m1.id, b.upper, 3, 'Zu wenig Zeit für Übungen');
    await evaluate(rheinland.events[0].id, d.lower, 2);
    await evaluate(rheinland.events[0].id, d.upper, 5, 'Gut');
    await evaluate(m2.id, c.lower, 3, '   ');
    await evaluate(m4.id, a.lower, 5);
    await evaluate(m4.id, c.upper, 5, 'Praxisnah');

    await t.scheduler.advanceTo('2026-09-23T10:00:00Z');
    for (const x of [a, b, c]) await world.ok('post', `/enrolments/${x.enrolmentId}/certificates`, INSTITUTE);
    exchangeId = (await world.ok('post', '/exchanges', INSTITUTE, { on: '2026-11-26', place: 'Düsseldorf' })).id;
    const invitation = async (x: Enrolment) =>
      (await world.ok('get', `/persons/${x.lower.id}/tasks`, as('participant', x.lower.id))).find(
        (task: { kind: string }) => task.kind === 'exchange-answer',
      ).id as string;
    await world.ok('post', `/exchange-invitations/${await invitation(a)}/answer`, as('participant', a.lower.id), {
      accept: true,
    });
    await world.ok('post', `/exchange-invitations/${await invitation(b)}/answer`, as('participant', b.upper.id), {
      accept: true,
    });
    await world.ok('post', `/exchange-invitations/${await invitation(c)}/answer`, as('participant', c.lower.id), {
      accept: false,
    });
  }, 240_000);

  afterAll(async () => {
    await t.close();
    await sink.stop();
    removeWorkspace(workspace);
  });

  it('evaluates the annual exchange: members of tandems that accepted, from its day on, once each', async () => {
    await t.scheduler.advanceTo('2026-11-25T12:00:00Z');
    const path = `/exchanges/${exchangeId}/evaluations`;
    await refused('post', path, as('participant', b.upper.id), { rating: 4 }, 422, 'evaluation-after-exchange');

    await t.scheduler.advanceTo('2026-11-26T16:00:00Z');
    await world.ok('post', path, as('participant', a.lower.id), { rating: 4 });
    await world.ok('post', path, as('participant', a.upper.id), {
      rating: 2,
      comment: 'Mehr Austausch zwischen den Bezirken',
    });
    await world.ok('post', path, as('participant', b.lower.id), { rating: 5 });
    // The tandem that declined, a tandem never invited, the same person twice, another role, an unknown exchange.
    await refused('post', path, as('participant', c.lower.id), { rating: 5 }, 403, 'evaluation-by-attendee');
    await refused('post', path, as('participant', d.lower.id), { rating: 5 }, 403, 'evaluation-by-attendee');
    await refused('post', path, as('participant', a.upper.id), { rating: 5 }, 422, 'evaluation-once');
    await refused('post', path, INSTITUTE, { rating: 5 }, 403, 'role-may-act');
    await refused('post', path, as('participant', a.lower.id), { rating: 6 }, 400, 'request-schema');
    await refused(
      'post',
      '/exchanges/7d9f2c44-5b0e-4c1e-9a7e-3f1d2b6c8a90/evaluations',
      as('participant', a.lower.id),
      { rating: 5 },
      404,
      'exchange-exists',
    );

    const results = await world.ok('get', path, INSTITUTE);
    expect(results).toEqual({
      exchangeId,
      on: '2026-11-26',
      place: 'Düsseldorf',
      responses: 3,
      meanRating: 3.67,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 },
      comments: 1,
      commentTexts: ['Mehr Austausch zwischen den Bezirken'],
    });
    expect(JSON.stringify(results)).not.toContain(a.upper.id);
    await refused('get', path, as('participant', a.lower.id), undefined, 403, 'role-may-act');
  });

  it('reports 2026 per module and event, the exchange included, to the ministry only', async () => {
    const report = await world.ok('get', '/evaluation/reports/2026', MINISTRY);
    const dist = (...n: number[]) => Object.fromEntries(n.map((count, i) => [String(i + 1), count]));
    expect(report.year).toBe(2026);
    expect(report.asOf).toBe('2026-11-26');
    expect(report.total).toEqual({
      events: 8,
      exchanges: 1,
      responses: 12,
      meanRating: 3.92,
      distribution: dist(0, 2, 2, 3, 5),
      comments: 5,
    });
    expect(
      report.modules.map((m: Record<string, unknown>) => [
        m.module,
        m.title,
        m.responses,
        m.meanRating,
        m.distribution,
        m.comments,
      ]),
    ).toEqual([
      ['tandem-team', 'Das Tandem als Team', 6, 3.83, dist(0, 1, 1, 2, 2), 3],
      ['regional-education-management', 'Grundlagen des regionalen Bildungsmanagements', 1, 3, dist(0, 0, 1, 0, 0), 0],
      ['cooperation-interfaces', 'Kooperations- und Schnittstellenmanagement', 0, null, dist(0, 0, 0, 0, 0), 0],
      ['data-informed-steering', 'Datengestützte Steuerung', 2, 5, dist(0, 0, 0, 0, 2), 1],
    ]);
    const events = report.modules.flatMap((m: { events: Record<string, unknown>[] }) =>
      m.events.map((x) => [x.groupName, x.days, x.participants, x.responses, x.meanRating, x.comments]),
    );
    expect(events).toEqual([
      ['Gruppe Münsterland', ['2026-03-02', '2026-03-03'], 6, 4, 4, 2],
      ['Gruppe Rheinland', ['2026-03-09', '2026-03-10'], 4, 2, 3.5, 1],
      ['Gruppe Münsterland', ['2026-04-20', '2026-04-21'], 6, 1, 3, 0],
      ['Gruppe Rheinland', ['2026-04-27', '2026-04-28'], 4, 0, null, 0],
      ['Gruppe Münsterland', ['2026-06-08', '2026-06-09'], 6, 0, null, 0],
      ['Gruppe Rheinland', ['2026-06-15', '2026-06-16'], 4, 0, null, 0],
      ['Gruppe Münsterland', ['2026-09-14', '2026-09-15'], 6, 2, 5, 1],
      ['Gruppe Rheinland', ['2026-09-21', '2026-09-22'], null, 0, null, 0],
    ]);
    expect(report.exchanges).toEqual([
      {
        exchangeId,
        on: '2026-11-26',
        place: 'Düsseldorf',
        invitedTandems: 3,
        acceptedTandems: 2,
        participants: 4,
        responses: 3,
        meanRating: 3.67,
        distribution: dist(0, 1, 0, 1, 1),
        comments: 1,
      },
    ]);
    // Anonymous: no person, no comment text.
    const text = JSON.stringify(report);
    for (const person of [a, b, c, d].flatMap((x) => [x.lower, x.upper])) expect(text).not.toContain(person.id);
    expect(text).not.toContain('Praxisnah');

    const empty = await world.ok('get', '/evaluation/reports/2025', MINISTRY);
    expect(empty).toMatchObject({
      year: 2025,
      modules: [],
      exchanges: [],
      total: { events: 0, responses: 0, meanRating: null },
    });

    for (const role of [
      INSTITUTE,
      as('district', 'koeln'),
      as('moderator', muenster.moderators[0]),
      as('participant', a.lower.id),
    ]) {
      for (const format of ['', '.csv', '.pdf'])
        await refused('get', `/evaluation/reports/2026${format}`, role, undefined, 403, 'role-may-act');
    }
    for (const year of ['abcd', '20261', '26', '0000'])
      await refused('get', `/evaluation/reports/${year}`, MINISTRY, undefined, 400, 'request-schema');
    await refused('get', '/evaluation/reports/2026.csv?lang=fr', MINISTRY, undefined, 400, 'request-schema');
  });

  it('gives the report as CSV for German Excel: BOM, semicolons, decimal comma, quoted where needed; read back it says the same', async () => {
    const response = await download('/evaluation/reports/2026.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="evaluationsbericht-2026.csv"');
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = bytes.toString('utf8');
    expect(content.split('\r\n')).toHaveLength(16);
    expect(content.endsWith('\r\n')).toBe(true);
    expect(content).toContain('"Köln, ""Haus am Dom""; Raum 2"');
    const rows: string[][] = parse(content, { delimiter: ';', bom: true });
    expect(rows[0]).toEqual([
      'Jahr',
      'Ebene',
      'Modul',
      'Titel',
      'Gruppe',
      'Tage',
      'Ort',
      'Eingeladene Tandems',
      'Zusagen',
      'Teilnehmende',
      'Rückmeldungen',
      'Mittelwert',
      'Bewertung 1',
      'Bewertung 2',
      'Bewertung 3',
      'Bewertung 4',
      'Bewertung 5',
      'Kommentare',
    ]);
    expect(rows.slice(1).map((row) => row.slice(0, 12).concat(row.slice(17)))).toEqual([
      ['2026', 'Jahr', '', 'Gesamt 2026', '', '', '', '', '', '', '12', '3,92', '5'],
      ['2026', 'Modul', 'tandem-team', 'Das Tandem als Team', '', '', '', '', '', '10', '6', '3,83', '3'],
      [
        '2026',
        'Veranstaltung',
        'tandem-team',
        'Das Tandem als Team',
        'Gruppe Münsterland',
        '02.03.2026, 03.03.2026',
        'Soest',
        '',
        '',
        '6',
        '4',
        '4,00',
        '2',
      ],
      [
        '2026',
        'Veranstaltung',
        'tandem-team',
        'Das Tandem als Team',
        'Gruppe Rheinland',
        '09.03.2026, 10.03.2026',
        'Köln, "Haus am Dom"; Raum 2',
        '',
        '',
        '4',
        '2',
        '3,50',
        '1',
      ],
      [
        '2026',
        'Modul',
        'regional-education-management',
        'Grundlagen des regionalen Bildungsmanagements',
        '',
        '',
        '',
        '',
        '',
        '10',
        '1',
        '3,00',
        '0',
      ],
      [
        '2026',
        'Veranstaltung',
        'regional-education-management',
        'Grundlagen des regionalen Bildungsmanagements',
        'Gruppe Münsterland',
        '20.04.2026, 21.04.2026',
        'Soest',
        '',
        '',
        '6',
        '1',
        '3,00',
        '0',
      ],
      [
        '2026',
        'Veranstaltung',
        'regional-education-management',
        'Grundlagen des regionalen Bildungsmanagements',
        'Gruppe Rheinland',
        '27.04.2026, 28.04.2026',
        'Köln',
        '',
        '',
        '4',
        '0',
        '',
        '0',
      ],
      [
        '2026',
        'Modul',
        'cooperation-interfaces',
        'Kooperations- und Schnittstellenmanagement',
        '',
        '',
        '',
        '',
        '',
        '10',
        '0',
        '',
        '0',
      ],
      [
        '2026',
        'Veranstaltung',
        'cooperation-interfaces',
        'Kooperations- und Schnittstellenmanagement',
        'Gruppe Münsterland',
        '08.06.2026, 09.06.2026',
        'Dortmund',
        '',
        '',
        '6',
        '0',
        '',
        '0',
      ],
      [
        '2026',
        'Veranstaltung',
        'cooperation-interfaces',
        'Kooperations- und Schnittstellenmanagement',
        'Gruppe Rheinland',
        '15.06.2026, 16.06.2026',
        'Köln',
        '',
        '',
        '4',
        '0',
        '',
        '0',
      ],
      [
        '2026',
        'Modul',
        'data-informed-steering',
        'Datengestützte Steuerung',
        '',
        '',
        '',
        '',
        '',
        '6',
        '2',
        '5,00',
        '1',
      ],
      [
        '2026',
        'Veranstaltung',
        'data-informed-steering',
        'Datengestützte Steuerung',
        'Gruppe Münsterland',
        '14.09.2026, 15.09.2026',
        'Soest',
        '',
        '',
        '6',
        '2',
        '5,00',
        '1',
      ],
      [
        '2026',
        'Veranstaltung',
        'data-informed-steering',
        'Datengestützte Steuerung',
        'Gruppe Rheinland',
        '21.09.2026, 22.09.2026',
        'Köln',
        '',
        '',
        '',
        '0',
        '',
        '0',
      ],
      [
        '2026',
        'Erfahrungsaustausch',
        '',
        'Erfahrungsaustausch',
        '',
        '26.11.2026',
        'Düsseldorf',
        '3',
        '2',
        '4',
        '3',
        '3,67',
        '1',
      ],
    ]);
    // The distribution columns hold what the JSON says.
    expect(rows[1].slice(12, 17)).toEqual(['0', '2', '2', '3', '5']);
    expect(rows[14].slice(12, 17)).toEqual(['0', '1', '0', '1', '1']);

    const english = (await download('/evaluation/reports/2026.csv?lang=en')).body.toString('utf8');
    const englishRows: string[][] = parse(english, { delimiter: ',', bom: true });
    expect(englishRows[0].slice(10, 13)).toEqual(['Responses', 'Mean rating', 'Rating 1']);
    expect(englishRows[1].slice(0, 4).concat(englishRows[1].slice(10, 12))).toEqual([
      '2026',
      'Year',
      '',
      'Total 2026',
      '12',
      '3.92',
    ]);
    expect(englishRows[4][6]).toBe('Köln, "Haus am Dom"; Raum 2');
  });

  it('gives the report as a tagged German PDF with its umlauts, DejaVu embedded', async () => {
    const response = await download('/evaluation/reports/2026.pdf');
    expect(response.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(response.body as Buffer);
    const text = pdf.pages.join('\n');
    for (const expected of [
      'Evaluationsbericht 2026',
      'Stand: 26. November 2026',
      'Überblick',
      'Das Tandem als Team',
      'Kooperations- und Schnittstellenmanagement',
      'Datengestützte Steuerung',
      'Gruppe Münsterland',
      'Düsseldorf',
      'Rückmeldungen',
      'Erfahrungsaustausch',
      'Gesamt 2026',
      '3,92',
      '3,83',
      '3,67',
      '1 (schlecht) bis 5 (sehr gut)',
      `Seite 1 von ${pdf.pages.length}`,
    ])
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    expect(text).not.toContain('Praxisnah');
    expect(pdf.tagged).toBe(true);
    // The document's language, in its catalog.
    expect((response.body as Buffer).toString('latin1')).toContain('/Lang (de-DE)');
    expect(pdf.xmp('pdfaid:part')).toBe('2');
    expect(pdf.fonts.length).toBeGreaterThan(0);
    for (const font of pdf.fonts) expect(font).toEqual({ name: expect.stringMatching(/DejaVuSans/), embedded: true });

    const englishFile = (await download('/evaluation/reports/2026.pdf?lang=en')).body as Buffer;
    expect(englishFile.toString('latin1')).toContain('/Lang (en-GB)');
    const english = await readPdf(englishFile);
    expect(english.pages.join('\n')).toEqual(expect.stringContaining('Evaluation report 2026'));
    expect(english.pages.join('\n')).toEqual(expect.stringContaining('3.92'));
  });

  it("records the ministry's meeting, refuses what is not a day or not the ministry's, and keeps its reminders across a restart", async () => {
    await t.scheduler.advanceTo('2026-12-01T09:00:00Z');
    const meeting = {
      on: '2027-06-17',
      place: 'Düsseldorf, Ministerium für Schule und Bildung',
      recipients: [JANA, TOM],
    };
    for (const role of [
      INSTITUTE,
      as('district', 'koeln'),
      as('participant', a.lower.id),
      as('moderator', muenster.moderators[0]),
    ]) {
      await refused('put', '/evaluation/meetings/2026', role, meeting, 403, 'role-may-act');
    }
    for (const on of ['2027-02-30', '2027-13-01', '2027-6-17', '17.06.2027']) {
      const problem = await refused(
        'put',
        '/evaluation/meetings/2026',
        MINISTRY,
        { ...meeting, on },
        400,
        'request-schema',
      );
      expect(problem.errors).toEqual([
        'on must be a calendar day YYYY-MM-DD that exists (2024-02-29 does, 2025-02-29 does not)',
      ]);
    }
    await refused(
      'put',
      '/evaluation/meetings/2026',
      MINISTRY,
      { ...meeting, on: '2028-01-13' },
      422,
      'meeting-reflects-its-year',
    );
    await refused('put', '/evaluation/meetings/2026', MINISTRY, { ...meeting, recipients: [] }, 400, 'request-schema');
    await refused(
      'put',
      '/evaluation/meetings/2026',
      MINISTRY,
      { ...meeting, recipients: [JANA, { ...JANA, email: JANA.email.toUpperCase() }] },
      400,
      'request-schema',
    );
    await refused('put', '/evaluation/meetings/26', MINISTRY, meeting, 400, 'request-schema');
    await refused('get', '/evaluation/meetings/2026', MINISTRY, undefined, 404, 'meeting-exists');

    const recorded = await t.http.put('/evaluation/meetings/2026').set(MINISTRY).send(meeting).expect(201);
    expect(recorded.body).toMatchObject({ year: 2026, on: '2027-06-17', status: 'scheduled', recipients: [JANA, TOM] });
    expect(
      recorded.body.reminders.map((r: { offset: string; sendOn: string; shift: unknown; to: string[] }) => [
        r.offset,
        r.sendOn,
        r.shift,
        r.to,
      ]),
    ).toEqual([
      ['-P4W', '2027-05-20', null, [JANA.email, TOM.email]],
      ['-P1W', '2027-06-10', null, [JANA.email, TOM.email]],
    ]);
    // The same again changes nothing; the other roles do not see it.
    const journal = (await stored()).journal;
    expect((await t.http.put('/evaluation/meetings/2026').set(MINISTRY).send(meeting).expect(200)).body).toEqual(
      recorded.body,
    );
    expect((await stored()).journal).toBe(journal);
    await refused('get', '/evaluation/meetings', INSTITUTE, undefined, 403, 'role-may-act');
    await refused('get', `/instances/${recorded.body.instanceId}`, INSTITUTE, undefined, 403, 'instance-in-scope');
    await refused(
      'post',
      `/instances/${recorded.body.instanceId}/events`,
      MINISTRY,
      { type: 'CANCEL', payload: { changedAt: '2026-12-01T09:00:00Z' } },
      403,
      'programme-service-only',
    );

    // A restart: the reminders are rows in the database, not timers in a process.
    await t.close();
    t = await start(t.clock);
    world = new QualificationWorld(t);
    const pending = (await world.ok('get', `/instances/${recorded.body.instanceId}`, MINISTRY)).pendingTimers
      .map((p: { key: string; dueAt: string }) => p.dueAt)
      .sort();
    expect(pending).toEqual([
      '2027-05-20T06:00:00.000Z',
      '2027-05-20T06:00:00.000Z',
      '2027-06-10T06:00:00.000Z',
      '2027-06-10T06:00:00.000Z',
    ]);
  });

  it('moves the reminders with the meeting, to the working day before a holiday, and sends them with the report attached', async () => {
    await t.scheduler.advanceTo('2027-03-01T09:00:00Z');
    // Moved to 3 June 2027: four weeks before is Ascension Day, one week before Corpus Christi.
    const moved = await t.http
      .put('/evaluation/meetings/2026')
      .set(MINISTRY)
      .send({ on: '2027-06-03', place: 'Düsseldorf, Ministerium für Schule und Bildung', recipients: [JANA, TOM] })
      .expect(200);
    const reminders = moved.body.reminders as {
      offset: string;
      offsetDay: string;
      sendOn: string;
      shift: { passedOver: { holiday: { de: string } }[] };
      explanation: { de: string; en: string };
    }[];
    expect(
      reminders.map((r) => [r.offset, r.offsetDay, r.sendOn, r.shift.passedOver.map((p) => p.holiday.de)]),
    ).toEqual([
      ['-P4W', '2027-05-06', '2027-05-05', ['Christi Himmelfahrt']],
      ['-P1W', '2027-05-27', '2027-05-26', ['Fronleichnam']],
    ]);
    expect(reminders[0].explanation.de).toContain('Verlegt auf den vorherigen Arbeitstag, Mittwoch, 05.05.2027');
    expect(reminders[1].explanation.en).toContain('Corpus Christi');

    // The meeting on the findings of 2027, recorded and cancelled: nothing is sent for it.
    await t.http
      .put('/evaluation/meetings/2027')
      .set(MINISTRY)
      .send({ on: '2027-11-18', recipients: [JANA] })
      .expect(201);
    const cancelled = await t.http.delete('/evaluation/meetings/2027').set(MINISTRY).expect(200);
    expect(cancelled.body).toMatchObject({ year: 2027, status: 'cancelled', reminders: [] });
    expect((await t.http.delete('/evaluation/meetings/2027').set(MINISTRY).expect(200)).body).toEqual(cancelled.body);
    await refused('delete', '/evaluation/meetings/2027', INSTITUTE, undefined, 403, 'role-may-act');
    await refused('delete', '/evaluation/meetings/2030', MINISTRY, undefined, 404, 'meeting-exists');
    expect(
      (await world.ok('get', '/evaluation/meetings', MINISTRY)).map((m: { year: number; status: string }) => [
        m.year,
        m.status,
      ]),
    ).toEqual([
      [2026, 'scheduled'],
      [2027, 'cancelled'],
    ]);

    await t.scheduler.advanceTo('2027-11-20T09:00:00Z');
    const mails = await meetingMails();
    expect(mails.map((m) => [m.to, m.day, m.time])).toEqual([
      [JANA.email, '2027-05-05', '08:00'],
      [TOM.email, '2027-05-05', '08:00'],
      [JANA.email, '2027-05-26', '08:00'],
      [TOM.email, '2027-05-26', '08:00'],
    ]);
    // The ministry's addresses are the ministry's to see: the institute's list of mail leaves them out.
    const listed = async (headers: Record<string, string>) =>
      (await world.ok('get', '/notifications?pageSize=500', headers)).items.map(
        (n: { recipient: string }) => n.recipient,
      );
    expect(await listed(MINISTRY)).toContain(JANA.email);
    expect(await listed(INSTITUTE)).not.toContain(JANA.email);
    const [german, english] = mails;
    expect(german.mail.subject).toBe('Dienstbesprechung zur Evaluation 2026: 3. Juni 2027');
    expect(german.mail.text).toContain(
      'findet in 4 Wochen statt, am 3. Juni 2027 in Düsseldorf, Ministerium für Schule und Bildung.',
    );
    expect(german.mail.text).toContain(`${BASE}/evaluation/reports/2026.pdf`);
    expect(english.mail.subject).toBe('Dienstbesprechung on the evaluation 2026: 3 June 2027');
    expect(mails[2].mail.text).toContain('in einer Woche');
    for (const { mail } of mails) {
      expect(mail.attachments.map((x) => [x.filename, x.contentType])).toEqual([
        ['termin.ics', 'text/calendar'],
        ['evaluationsbericht-2026.pdf', 'application/pdf'],
      ]);
    }
    expect(german.mail.attachments[0].content.toString()).toContain('DTSTART;VALUE=DATE:20270603');
    // The report as it stood the day the reminder went out.
    const attached = await readPdf(german.mail.attachments[1].content);
    expect(attached.pages.join('\n')).toEqual(expect.stringContaining('Stand: 5. Mai 2027'));
    expect(attached.pages.join('\n')).toEqual(expect.stringContaining('Datengestützte Steuerung'));
  });
});
