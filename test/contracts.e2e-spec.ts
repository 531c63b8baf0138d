import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { OutboxStore } from '../src/engine/persistence/outbox.store.js';
import { as, startApp, type TestApp } from './support/harness.js';
import { eachTestInWorkspace } from './support/each-test.js';
import { KOMMUNE_ADMIN, LAND_ADMIN } from './support/contract-admins.js';

const land = as('contract_admin', LAND_ADMIN.id, { partner: 'land' });
const kommune = as('contract_admin', KOMMUNE_ADMIN.id, { partner: 'kommune' });

const heidekreis = {
  bildungsregion: 'Bildungsregion Heidekreis',
  kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
  steeringCommittee: 'Lenkungsgruppe Bildungsregion Heidekreis',
  regionalOffice: 'Bildungsbüro Heidekreis',
  startsOn: '2017-08-01',
  signedOn: '2017-07-10',
  reference: 'MK 31-81 403/2017',
  admins: [LAND_ADMIN, KOMMUNE_ADMIN],
};

/** A time of day after the 08:00 reminders, so a reminder due the same day has gone out first. */
const onDay = (day: string) => DateTime.fromISO(`${day}T10:00`, { zone: 'Europe/Berlin' }).toUTC().toISO()!;
const berlinDay = (instant: string) => DateTime.fromISO(instant, { zone: 'Europe/Berlin' }).toISODate()!;

describe('cooperation contracts (Bildungsregion Niedersachsen) on a SQLite file', () => {
  let workspace: string;
  let t: TestApp;

  eachTestInWorkspace(
    async (dir) => {
      workspace = dir;
      t = await startApp({ workspace, now: onDay('2017-07-10') });
      // The Kommune's administrator has signed in once, so the Land may name them in a contract.
      await t.http.get('/auth/me').set(kommune).expect(200);
    },
    () => t.close(),
  );

  async function createContract(): Promise<string> {
    const created = await t.http.post('/contracts').set(land).send(heidekreis).expect(201);
    return created.body.id as string;
  }

  /** Moves the clock to 10:00 Berlin time on `day`, firing every timer on the way. */
  async function goTo(day: string): Promise<void> {
    await t.scheduler.advanceTo(onDay(day));
  }

  async function post(id: string, path: string, headers: Record<string, string>, body: object, status = 201) {
    const response = await t.http.post(`/contracts/${id}${path}`).set(headers).send(body);
    expect({ path, status: response.status, body: response.status === status ? undefined : response.body }).toEqual({
      path,
      status,
      body: undefined,
    });
    return response.body;
  }

  async function mails(): Promise<{ day: string; template: string; to: string; status: string }[]> {
    const [rows] = await t.app.get(OutboxStore).list({ kind: 'mail', offset: 0, limit: 1000 });
    return rows.map((row) => {
      const payload = row.payload as { template: string; to: { email: string } };
      return {
        day: berlinDay(row.createdAt),
        template: payload.template.replace('contract-review/', ''),
        to: payload.to.email,
        status: row.status,
      };
    });
  }

  /** Everything a refused request could have changed: the contract as read, its journal, and the outbox. */
  async function everything(id: string) {
    const contract = await t.http.get(`/contracts/${id}`).set(land).expect(200);
    const journal = await t.engine.journal(contract.body.instanceId);
    const [outbox] = await t.app.get(OutboxStore).list({ offset: 0, limit: 1000 });
    return { contract: contract.body, journal: journal.length, outbox: outbox.length };
  }

  it('runs ten years of one contract: reviews after 3 and 6 years, a notice in year 7, termination on its effective date, and exactly these reminders', async () => {
    const id = await createContract();
    await post(id, '/secondments', land, {
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      weeklyHours: 12.5,
      regularWeeklyHours: 25,
      receivedOn: '2017-07-10',
      reference: 'Abordnung 2017/14',
    });
    const report = (day: string) =>
      post(id, '/annual-reports', kommune, { receivedOn: day, reference: `Rechenschaftsbericht ${day.slice(0, 4)}` });

    await goTo('2018-07-20');
    await report('2018-07-20');
    await goTo('2019-07-22');
    await report('2019-07-22');

    // Year 3: evaluation in time, extension of the secondment, then the first review.
    await goTo('2020-03-02');
    await post(id, '/secondments/S1/decisions', land, {
      decision: 'extend',
      until: '2023-07-31',
      receivedOn: '2020-03-02',
      reference: 'Abordnung 2020/03',
    });
    await goTo('2020-03-16');
    await post(id, '/evaluations', kommune, {
      receivedOn: '2020-03-16',
      reference: 'Evaluationsbericht 2020',
      summary: 'Netzwerk trägt',
    });
    await goTo('2020-06-15');
    const first = await post(id, '/review-decisions', land, {
      decision: 'continue',
      decidedOn: '2020-06-15',
      reference: 'Lenkungsgruppe 2020/2',
    });
    expect(first.review).toEqual({ cycle: 2, dueOn: '2023-08-01', evaluation: null });
    await goTo('2020-07-20');
    await report('2020-07-20');
    await goTo('2021-07-20');
    await report('2021-07-20');
    // The fifth report comes late: one overdue reminder.
    await goTo('2022-08-10');
    await report('2022-08-10');

    // Year 6: the secondment ends, the evaluation comes late (after the escalation), the second review.
    await goTo('2023-03-01');
    await post(id, '/secondments/S1/decisions', land, {
      decision: 'end',
      receivedOn: '2023-03-01',
      reference: 'Abordnung 2023/01',
    });
    await goTo('2023-06-01');
    await post(id, '/evaluations', kommune, { receivedOn: '2023-06-01', reference: 'Evaluationsbericht 2023' });
    await goTo('2023-07-10');
    const second = await post(id, '/review-decisions', kommune, {
      decision: 'continue',
      decidedOn: '2023-07-10',
      reference: 'Lenkungsgruppe 2023/3',
    });
    expect(second.review).toEqual({ cycle: 3, dueOn: '2026-08-01', evaluation: null });
    await goTo('2023-07-20');
    await report('2023-07-20');

    // Year 7: the Kommune gives notice, received 15 March 2024: effective 31 December 2024.
    await goTo('2024-03-15');
    const noticed = await post(id, '/notices', kommune, { receivedOn: '2024-03-15', reference: 'LK HK 10-2024/7' });
    expect(noticed).toMatchObject({
      status: 'notice-given',
      state: 'active.noticePeriod',
      review: null,
      notice: { by: 'kommune', receivedOn: '2024-03-15', reference: 'LK HK 10-2024/7', effectiveOn: '2024-12-31' },
    });
    expect(noticed.nextDue).toMatchObject({ kind: 'annual-report', on: '2024-08-01' });
    expect(noticed.due.map((item: { kind: string; on: string }) => [item.kind, item.on])).toEqual([
      ['annual-report', '2024-08-01'],
      ['termination', '2024-12-31'],
    ]);
    await goTo('2024-07-25');
    await report('2024-07-25');

    // Bound through the whole of 31 December; terminated as that day ends.
    await goTo('2024-12-31');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'notice-given',
      termination: null,
    });
    await t.scheduler.advanceTo('2025-01-01T10:00:00+01:00');
    const ended = await t.http.get(`/contracts/${id}`).set(land).expect(200);
    expect(ended.body).toMatchObject({
      status: 'terminated',
      state: 'terminated',
      due: [],
      nextDue: null,
      termination: {
        kind: 'ordinary',
        by: 'kommune',
        effectiveOn: '2024-12-31',
        reference: 'LK HK 10-2024/7',
        reason: null,
      },
    });
    expect(
      ended.body.reviews.map((r: { dueOn: string; decision: string; decidedOn: string }) => [
        r.dueOn,
        r.decision,
        r.decidedOn,
      ]),
    ).toEqual([
      ['2020-08-01', 'continue', '2020-06-15'],
      ['2023-08-01', 'continue', '2023-07-10'],
    ]);
    const journal = await t.engine.journal(ended.body.instanceId);
    expect(journal.at(-1)).toMatchObject({
      eventType: 'due.termination',
      stateAfter: 'terminated',
      at: '2024-12-31T23:00:00.000Z',
    });
    // The contract tables and the statewide overview follow the timer too (the projection runs in the timer's step).
    expect((await t.http.get('/contracts/deadlines').set(land).expect(200)).body).toEqual([]);
    const db = t.app.get(DataSource);
    expect(
      await db.query(
        'SELECT bildungsregion, kommune_kind, land_represented_by, starts_on, status, review_cycle, notice_effective_on, terminated_on FROM contracts WHERE id = ?',
        [id],
      ),
    ).toEqual([
      {
        bildungsregion: 'Bildungsregion Heidekreis',
        kommune_kind: 'landkreis',
        land_represented_by: 'Niedersächsisches Kultusministerium',
        starts_on: '2017-08-01',
        status: 'terminated',
        review_cycle: 3,
        notice_effective_on: '2024-12-31',
        terminated_on: '2024-12-31',
      },
    ]);
    expect(
      await db.query(
        'SELECT from_on, until_on, weekly_hours, regular_weekly_hours FROM contract_secondment_periods WHERE contract_id = ? ORDER BY seq',
        [id],
      ),
    ).toEqual([
      { from_on: '2017-08-01', until_on: '2020-07-31', weekly_hours: 12.5, regular_weekly_hours: 25 },
      { from_on: '2020-08-01', until_on: '2023-07-31', weekly_hours: 12.5, regular_weekly_hours: 25 },
    ]);
    expect(
      await db.query('SELECT n, due_on, received_on FROM contract_annual_reports WHERE contract_id = ? ORDER BY n', [
        id,
      ]),
    ).toHaveLength(7);
    expect(
      await db.query(
        'SELECT kind, partner, reference, received_on FROM contract_written_acts WHERE contract_id = ? AND kind = ?',
        [id, 'notice'],
      ),
    ).toEqual([{ kind: 'notice', partner: 'kommune', reference: 'LK HK 10-2024/7', received_on: '2024-03-15' }]);
    expect(await db.query('SELECT COUNT(*) AS n FROM contract_deadlines WHERE contract_id = ?', [id])).toEqual([
      { n: 0 },
    ]);

    // Ten years in all: nothing more is sent after the end.
    await goTo('2027-08-01');

    const both = (day: string, template: string) =>
      [LAND_ADMIN.email, KOMMUNE_ADMIN.email].map((to) => ({ day, template, to }));
    const expected = [
      both('2018-07-04', 'annual-report-due'),
      both('2019-07-04', 'annual-report-due'),
      both('2019-11-01', 'review-due'), // 9 months before 1 August 2020
      both('2019-12-03', 'notice-window'), // 4 weeks before 31 December 2019, the last day for 30 June 2020
      both('2019-12-24', 'notice-window'), // 1 week before; Christmas Eve is a working day
      both('2020-01-31', 'review-due'), // 6 months before: 1 February 2020 is a Saturday
      both('2020-01-31', 'secondment-ending'), // 6 months before 31 July 2020; extended before the 3-month one
      both('2020-04-30', 'review-due'), // 3 months before: 1 May is a holiday; the evaluation was in, so no escalation
      both('2020-06-02', 'notice-window'), // 4 weeks before 30 June 2020; the 1-week one fell after the decision to continue
      both('2020-07-03', 'annual-report-due'), // 4 July 2020 is a Saturday
      both('2021-07-02', 'annual-report-due'), // 4 July 2021 is a Sunday
      both('2022-07-04', 'annual-report-due'),
      both('2022-08-02', 'annual-report-overdue'),
      both('2022-11-01', 'review-due'), // 9 months before 1 August 2023
      both('2022-12-02', 'notice-window'), // 4 weeks before 31 December 2022 (a Saturday)
      both('2022-12-23', 'notice-window'), // 1 week before (a Saturday)
      both('2023-01-31', 'secondment-ending'), // 6 months before 31 July 2023; ended before the 3-month one
      both('2023-02-01', 'review-due'),
      both('2023-04-28', 'evaluation-missing'), // 3 months before: 1 May 2023 is a holiday, the weekend before it too
      both('2023-04-28', 'review-due'),
      both('2023-06-02', 'notice-window'), // 4 weeks before 30 June 2023
      both('2023-06-23', 'notice-window'), // 1 week before
      both('2023-07-04', 'annual-report-due'),
      both('2024-03-15', 'notice-received'),
      both('2024-07-04', 'annual-report-due'),
      both('2025-01-01', 'contract-terminated'),
    ].flat();
    // Mails due at the same instant have no order among themselves: compare by day, template, recipient.
    const sent = await mails();
    const byDayTemplateRecipient = (a: { day: string; template: string; to: string }, b: typeof a) =>
      a.day.localeCompare(b.day) || a.template.localeCompare(b.template) || a.to.localeCompare(b.to);
    expect(sent.map(({ day, template, to }) => ({ day, template, to })).sort(byDayTemplateRecipient)).toEqual(expected);
    expect(new Set(sent.map((mail) => mail.status))).toEqual(new Set(['sent']));

    // Delivered (as .eml files here) in each administrator's language, the region named once.
    const delivered = async (email: string) => {
      const [row]: { key: string }[] = await db.query('SELECT key FROM outbox WHERE key LIKE ?', [
        `%:reminder:review-due:review-2020-08-01:-P9M:${email}`,
      ]);
      return readFileSync(
        join(t.config.outboxDir, `${createHash('sha256').update(row.key).digest('hex')}.eml`),
        'utf8',
      );
    };
    const english = await delivered(KOMMUNE_ADMIN.email);
    expect(english).toContain('Subject: Bildungsregion Heidekreis: review due on 1 August 2020');
    expect(english).toContain('Content-Language: en');
    const german = await delivered(LAND_ADMIN.email);
    expect(german).toContain('Content-Language: de');
    expect(german).toContain('Date: Fri, 01 Nov 2019 07:00:00 +0000'); // 08:00 in Hannover
    expect(german).toContain('Subject: =?UTF-8?Q?Bildungsregion_Heidekreis=3A_=C3=9Cberpr?=');
  });

  it('keeps a running notice period across a restart and terminates on time', async () => {
    const id = await createContract();
    await goTo('2021-07-01');
    await post(id, '/notices', land, { receivedOn: '2021-07-01', reference: 'MK 31-2021/7' });
    await t.close();
    t = await startApp({ workspace, clock: t.clock });
    await t.scheduler.advanceTo('2022-06-30T21:59:00Z');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'notice-given',
      notice: { effectiveOn: '2022-06-30' },
    });
    await t.scheduler.advanceTo('2022-06-30T22:00:00Z');
    const ended = await t.http.get(`/contracts/${id}`).set(land).expect(200);
    expect(ended.body).toMatchObject({
      status: 'terminated',
      termination: { kind: 'ordinary', by: 'land', effectiveOn: '2022-06-30' },
    });
  });

  it('shows a review not decided by its due day as due, in the contract and statewide, until the partners decide', async () => {
    const id = await createContract();
    await goTo('2020-07-31');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'active',
      state: 'active.running',
    });

    await goTo('2020-08-10');
    const due = await t.http.get(`/contracts/${id}`).set(land).expect(200);
    expect(due.body).toMatchObject({
      status: 'review-due',
      state: 'active.reviewDue',
      review: { cycle: 1, dueOn: '2020-08-01', evaluation: null },
    });
    expect(due.body.due.filter((item: { kind: string }) => item.kind === 'review')).toMatchObject([
      { on: '2020-08-01', overdue: true },
    ]);
    expect((await t.engine.journal(due.body.instanceId)).at(-1)).toMatchObject({
      eventType: 'due.review',
      stateAfter: 'active.reviewDue',
      at: '2020-07-31T22:00:00.000Z',
    });
    const db = t.app.get(DataSource);
    expect(await db.query('SELECT status FROM contracts WHERE id = ?', [id])).toEqual([{ status: 'review-due' }]);
    const overdue = await t.http.get('/contracts/deadlines?kind=review').set(land).expect(200);
    expect(overdue.body).toMatchObject([{ contractId: id, on: '2020-08-01', overdue: true, status: 'review-due' }]);

    await post(id, '/evaluations', kommune, { receivedOn: '2020-08-10', reference: 'Evaluationsbericht 2020' });
    const decided = await post(id, '/review-decisions', land, {
      decision: 'continue',
      decidedOn: '2020-08-10',
      reference: 'Lenkungsgruppe 2020/3',
    });
    expect(decided).toMatchObject({
      status: 'active',
      state: 'active.running',
      review: { cycle: 2, dueOn: '2023-08-01', evaluation: null },
    });
    expect(decided.reviews).toMatchObject([
      { cycle: 1, dueOn: '2020-08-01', decision: 'continue', decidedOn: '2020-08-10' },
    ]);
    expect(await db.query('SELECT status, review_cycle, review_due_on FROM contracts WHERE id = ?', [id])).toEqual([
      { status: 'active', review_cycle: 2, review_due_on: '2023-08-01' },
    ]);

    // The next cycle has its own due day.
    await goTo('2023-08-01');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'review-due',
      review: { cycle: 2, dueOn: '2023-08-01' },
    });
  });

  it('terminates extraordinarily, effective on receipt, with its reason', async () => {
    const id = await createContract();
    await goTo('2019-02-11');
    const ended = await post(id, '/extraordinary-terminations', land, {
      receivedOn: '2019-02-08',
      reference: 'MK 31-2019/2',
      reason: 'Haushaltsrechtliche Vorgaben: Mittel gesperrt',
    });
    expect(ended).toMatchObject({
      status: 'terminated',
      state: 'terminated',
      due: [],
      termination: {
        kind: 'extraordinary',
        by: 'land',
        effectiveOn: '2019-02-08',
        reference: 'MK 31-2019/2',
        reason: 'Haushaltsrechtliche Vorgaben: Mittel gesperrt',
      },
    });
    await goTo('2021-01-01');
    const sent = await mails();
    expect(sent.map(({ day, template, to }) => [day, template, to])).toEqual([
      ['2018-07-04', 'annual-report-due', LAND_ADMIN.email],
      ['2018-07-04', 'annual-report-due', KOMMUNE_ADMIN.email],
      // 4 July 2018 passed without a report; its overdue reminder went out on 2 August 2018.
      ['2018-08-02', 'annual-report-overdue', LAND_ADMIN.email],
      ['2018-08-02', 'annual-report-overdue', KOMMUNE_ADMIN.email],
      ['2019-02-11', 'contract-terminated', LAND_ADMIN.email],
      ['2019-02-11', 'contract-terminated', KOMMUNE_ADMIN.email],
    ]);
  });

  it('puts an amendment in force only after both partners confirmed it', async () => {
    const id = await createContract();
    await goTo('2018-03-05');
    const proposed = await post(id, '/amendments', kommune, {
      title: 'Zweite Bildungskoordination ab 1. August 2018',
      receivedOn: '2018-03-05',
      reference: 'LK HK 2018/3',
    });
    expect(proposed.amendments).toEqual([
      {
        id: 'A1',
        title: 'Zweite Bildungskoordination ab 1. August 2018',
        proposedBy: 'kommune',
        proposedOn: '2018-03-05',
        reference: 'LK HK 2018/3',
        confirmations: {},
        inForceOn: null,
      },
    ]);
    const one = await post(id, '/amendments/A1/confirmations', kommune, {
      receivedOn: '2018-03-05',
      reference: 'LK HK 2018/3-B',
    });
    expect(one.amendments[0]).toMatchObject({ confirmations: { kommune: '2018-03-05' }, inForceOn: null });
    await goTo('2018-04-09');
    const both = await post(id, '/amendments/A1/confirmations', land, {
      receivedOn: '2018-04-06',
      reference: 'MK 31-2018/11',
    });
    expect(both.amendments[0]).toMatchObject({
      confirmations: { kommune: '2018-03-05', land: '2018-04-06' },
      inForceOn: '2018-04-06',
    });
    expect((await mails()).map(({ day, template, to }) => [day, template, to])).toEqual([
      ['2018-04-09', 'amendment-in-force', LAND_ADMIN.email],
      ['2018-04-09', 'amendment-in-force', KOMMUNE_ADMIN.email],
    ]);
  });

  describe('refuses with problem+json naming the rule, and stores nothing', () => {
    async function refused(
      id: string,
      path: string,
      headers: Record<string, string>,
      body: object,
      status: number,
      rule: string,
    ) {
      const before = await everything(id);
      const response = await t.http.post(`/contracts/${id}${path}`).set(headers).send(body).expect(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status, rule });
      expect(await everything(id)).toEqual(before);
      return response.body;
    }

    it('a review decision without an evaluation', async () => {
      const id = await createContract();
      await goTo('2020-06-15');
      const problem = await refused(
        id,
        '/review-decisions',
        land,
        { decision: 'continue', decidedOn: '2020-06-15', reference: 'LG 2020/2' },
        422,
        'review-needs-evaluation',
      );
      expect(problem.detail).toContain('2020-08-01');
    });

    it('a notice without date of receipt or without reference', async () => {
      const id = await createContract();
      await goTo('2021-03-01');
      expect(await refused(id, '/notices', kommune, { reference: 'LK HK 2021/1' }, 422, 'in-writing')).toMatchObject({
        missing: ['receivedOn'],
      });
      expect(await refused(id, '/notices', kommune, { receivedOn: '2021-03-01' }, 422, 'in-writing')).toMatchObject({
        missing: ['reference'],
      });
      expect(await refused(id, '/notices', kommune, {}, 422, 'in-writing')).toMatchObject({
        missing: ['receivedOn', 'reference'],
      });
    });

    it('an amendment confirmed twice by the same partner', async () => {
      const id = await createContract();
      await post(id, '/amendments', land, {
        title: 'Sitz des Bildungsbüros',
        receivedOn: '2017-07-10',
        reference: 'MK 2017/9',
      });
      await post(id, '/amendments/A1/confirmations', land, { receivedOn: '2017-07-10', reference: 'MK 2017/9-B' });
      await refused(
        id,
        '/amendments/A1/confirmations',
        land,
        { receivedOn: '2017-07-10', reference: 'MK 2017/9-C' },
        409,
        'amendment-confirmed-once-per-partner',
      );
    });

    it('any event after termination', async () => {
      const id = await createContract();
      await goTo('2019-02-11');
      await post(id, '/extraordinary-terminations', kommune, {
        receivedOn: '2019-02-11',
        reference: 'LK 2019/1',
        reason: 'Kreistagsbeschluss',
      });
      await refused(
        id,
        '/annual-reports',
        kommune,
        { receivedOn: '2019-02-11', reference: 'R' },
        409,
        'contract-terminated',
      );
      await refused(id, '/notices', land, { receivedOn: '2019-02-11', reference: 'N' }, 409, 'contract-terminated');
      await refused(
        id,
        '/amendments',
        land,
        { title: 'Nachtrag', receivedOn: '2019-02-11', reference: 'A' },
        409,
        'contract-terminated',
      );
      await refused(
        id,
        '/extraordinary-terminations',
        land,
        { receivedOn: '2019-02-11', reference: 'E', reason: 'x' },
        409,
        'contract-terminated',
      );
    });

    it('a secondment over half of the regular hours without a reason, also when extended', async () => {
      const id = await createContract();
      const problem = await refused(
        id,
        '/secondments',
        land,
        {
          coordinator: 'Jana Voss',
          from: '2017-08-01',
          weeklyHours: 13,
          regularWeeklyHours: 25,
          receivedOn: '2017-07-10',
          reference: 'A',
        },
        422,
        'secondment-over-half-needs-reason',
      );
      expect(problem).toMatchObject({ weeklyHours: 13, regularWeeklyHours: 25, half: 12.5 });
      expect(problem.detail).toContain('hoursReason');
      await refused(
        id,
        '/secondments',
        land,
        {
          coordinator: 'Jana Voss',
          from: '2017-08-01',
          weeklyHours: 26,
          regularWeeklyHours: 25,
          hoursReason: 'x',
          receivedOn: '2017-07-10',
          reference: 'A',
        },
        422,
        'secondment-hours',
      );
      await post(id, '/secondments', land, {
        coordinator: 'Jana Voss',
        from: '2017-08-01',
        weeklyHours: 12.5,
        regularWeeklyHours: 25,
        receivedOn: '2017-07-10',
        reference: 'A',
      });
      await refused(
        id,
        '/secondments/S1/decisions',
        land,
        { decision: 'extend', until: '2023-07-31', weeklyHours: 14, receivedOn: '2017-07-10', reference: 'B' },
        422,
        'secondment-over-half-needs-reason',
      );
    });

    it('a notice for a date that is no 30 June or 31 December, or less than six months ahead, naming the rule', async () => {
      const id = await createContract();
      await goTo('2021-03-10');
      const early = await refused(
        id,
        '/notices',
        kommune,
        { receivedOn: '2021-03-10', reference: 'LK 2021/3', effectiveOn: '2021-06-30' },
        422,
        'notice-period-six-months',
      );
      expect(early).toMatchObject({
        earliestEffectiveOn: '2021-12-31',
        possibleEffectiveDates: ['2021-12-31', '2022-06-30', '2022-12-31', '2023-06-30'],
      });
      expect(early.detail).toContain('2021-12-31');
      await refused(
        id,
        '/notices',
        kommune,
        { receivedOn: '2021-03-10', reference: 'LK 2021/3', effectiveOn: '2022-03-31' },
        422,
        'notice-to-30-june-or-31-december',
      );
      await refused(
        id,
        '/notices',
        kommune,
        { receivedOn: '2021-03-10', reference: 'LK 2021/3', effectiveOn: '2022-06-31' },
        400,
        'request-schema',
      );
    });

    it('a date that is no calendar day, at the edge with 400', async () => {
      for (const [field, day] of [
        ['startsOn', '2025-02-30'],
        ['signedOn', '2025-13-01'],
        ['startsOn', '2023-02-29'],
      ]) {
        const response = await t.http
          .post('/contracts')
          .set(land)
          .send({ ...heidekreis, [field]: day })
          .expect(400);
        expect(response.body).toMatchObject({ rule: 'request-schema' });
        expect(response.body.errors.join(' ')).toContain(field);
      }
      const id = await createContract();
      await refused(
        id,
        '/annual-reports',
        kommune,
        { receivedOn: '2018-02-30', reference: 'R' },
        400,
        'request-schema',
      );
      await refused(
        id,
        '/secondments',
        land,
        {
          coordinator: 'Jana Voss',
          from: '2017-02-29',
          weeklyHours: 12,
          regularWeeklyHours: 25,
          receivedOn: '2017-07-10',
          reference: 'A',
        },
        400,
        'request-schema',
      );
      await refused(
        id,
        '/secondments',
        land,
        {
          coordinator: 'Jana Voss',
          from: '2017-08-01',
          weeklyHours: 12,
          regularWeeklyHours: 25,
          receivedOn: '2017-07-10',
          reference: 'A',
          kommuneConsent: { receivedOn: '2017-06-31', reference: 'E' },
        },
        400,
        'request-schema',
      );
      await refused(
        id,
        '/review-decisions',
        land,
        { decision: 'continue', decidedOn: '2020-13-01', reference: 'B' },
        400,
        'request-schema',
      );
      await t.http.get('/contracts/deadlines?until=2025-02-30').set(land).expect(400);
    });

    it('a Zuweisung without its sponsor, and what the contract records without a letter', async () => {
      const id = await createContract();
      const seconded = {
        coordinator: 'Jana Voss',
        from: '2017-08-01',
        weeklyHours: 12,
        regularWeeklyHours: 25,
        receivedOn: '2017-07-10',
        reference: 'A',
      };
      await refused(id, '/secondments', land, { ...seconded, form: 'zuweisung' }, 422, 'assignment-names-sponsor');
      await refused(
        id,
        '/secondments',
        land,
        { ...seconded, sponsor: 'Bildungsregion Süd e. V.' },
        422,
        'secondment-form',
      );
      await refused(
        id,
        '/school-authority-representatives',
        land,
        { name: 'Dr. Eva Brandt', receivedOn: '2017-07-10' },
        422,
        'in-writing',
      );
      await refused(
        id,
        '/kommune-resources',
        kommune,
        { officeStaffFte: 2, reference: 'KT 2017/5' },
        422,
        'in-writing',
      );
      await refused(
        id,
        '/kommune-resources',
        kommune,
        { officeStaffFte: -2, receivedOn: '2017-07-10', reference: 'KT 2017/5' },
        422,
        'resources-not-negative',
      );
      await refused(
        id,
        '/secondments/S1/kommune-consents',
        kommune,
        { receivedOn: '2017-07-10', reference: 'C' },
        422,
        'secondment-exists',
      );
      await post(id, '/secondments', land, seconded);
      await refused(id, '/secondments/S1/kommune-consents', kommune, { reference: 'C' }, 422, 'in-writing');
      await refused(
        id,
        '/secondments/S1/qualifications',
        land,
        { course: 'Qualifizierung', receivedOn: '2017-07-10' },
        422,
        'in-writing',
      );
      await post(id, '/secondments/S1/kommune-consents', kommune, {
        receivedOn: '2017-07-10',
        reference: 'LK 2017/33',
      });
      await refused(
        id,
        '/secondments/S1/kommune-consents',
        kommune,
        { receivedOn: '2017-07-10', reference: 'LK 2017/34' },
        409,
        'coordinator-consent-once',
      );
    });

    it('a caller who is not an administrator of the contract', async () => {
      const id = await createContract();
      await refused(
        id,
        '/annual-reports',
        as('contract_admin', 'lk-celle'),
        { receivedOn: '2017-07-10', reference: 'R' },
        403,
        'contract-admin-of-this-contract',
      );
      await refused(
        id,
        '/annual-reports',
        as('district', LAND_ADMIN.id),
        { receivedOn: '2017-07-10', reference: 'R' },
        403,
        'role-contract-admin',
      );
    });
  });

  it('takes a notice for a later date: received 10 March 2021 for 31 December 2022, the contract runs until then and both partners are told that date', async () => {
    const id = await createContract();
    await goTo('2021-03-10');
    const noticed = await post(id, '/notices', kommune, {
      receivedOn: '2021-03-10',
      reference: 'LK HK 2021/3',
      effectiveOn: '2022-12-31',
    });
    expect(noticed).toMatchObject({
      status: 'notice-given',
      notice: { by: 'kommune', receivedOn: '2021-03-10', effectiveOn: '2022-12-31' },
      warnings: [],
    });
    const termination = noticed.due.find((item: { kind: string }) => item.kind === 'termination');
    expect(termination).toMatchObject({
      on: '2022-12-31',
      basis: {
        rule: 'notice-effective-date',
        computation: 'the later date named in the notice; the earliest would have been 2021-12-31',
      },
    });

    await t.scheduler.advanceTo('2022-01-01T10:00:00+01:00');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'notice-given',
      termination: null,
    });
    await t.scheduler.advanceTo('2023-01-01T10:00:00+01:00');
    expect((await t.http.get(`/contracts/${id}`).set(land).expect(200)).body).toMatchObject({
      status: 'terminated',
      termination: { kind: 'ordinary', effectiveOn: '2022-12-31' },
    });

    const db = t.app.get(DataSource);
    const notices: { key: string }[] = await db.query(
      "SELECT key FROM outbox WHERE key LIKE '%:notice:2021-03-10:%' ORDER BY key",
    );
    expect(notices).toHaveLength(2);
    // The bodies are quoted-printable: undo soft line breaks and =XX bytes to read them as people do.
    const eml = (key: string) =>
      Buffer.from(
        readFileSync(join(t.config.outboxDir, `${createHash('sha256').update(key).digest('hex')}.eml`), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    const [german, english] = [
      notices.find((n) => n.key.endsWith(LAND_ADMIN.email))!,
      notices.find((n) => n.key.endsWith(KOMMUNE_ADMIN.email))!,
    ].map((n) => eml(n.key));
    expect(german).toContain('Ablauf des 31. Dezember 2022');
    expect(german).toContain('frühestmöglich wäre der 31. Dezember 2021 gewesen');
    expect(english).toContain('Subject: Bildungsregion Heidekreis: notice effective 31 December 2022');
    expect(english).toContain('the earliest possible date would have been 31 December 2021');
    expect((await mails()).filter((mail) => mail.template === 'contract-terminated').map((mail) => mail.day)).toEqual([
      '2023-01-01',
      '2023-01-01',
    ]);
  });

  it('accepts a Region (Kommunalverband besonderer Art) and every other kind of Kommune the framework names', async () => {
    for (const [name, kind] of [
      ['Region Hannover', 'region'],
      ['Landkreis Celle', 'landkreis'],
      ['Stadt Wolfsburg', 'kreisfreie_stadt'],
      ['Bildungsregion Süd e. V.', 'verbund'],
    ]) {
      const created = await t.http
        .post('/contracts')
        .set(land)
        .send({ ...heidekreis, bildungsregion: `Bildungsregion ${name}`, kommune: { name, kind } })
        .expect(201);
      expect(created.body.kommune).toEqual({ name, kind });
    }
    await t.http
      .post('/contracts')
      .set(land)
      .send({ ...heidekreis, kommune: { name: 'Gemeinde X', kind: 'gemeinde' } })
      .expect(400);
  });

  it('allows a full position with a recorded reason, as a warning, and records an Abordnung or a Zuweisung', async () => {
    const id = await createContract();
    const full = await post(id, '/secondments', land, {
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      weeklyHours: 25,
      regularWeeklyHours: 25,
      hoursReason: 'Volle Stelle: Landkreis mit zwei Schulamtsbereichen',
      receivedOn: '2017-07-10',
      reference: 'Abordnung 2017/14',
      kommuneConsent: { receivedOn: '2017-07-10', reference: 'LK HK 2017/21' },
    });
    expect(full.warnings).toEqual([
      expect.objectContaining({
        rule: 'secondment-over-half-regular-hours',
        details: expect.objectContaining({ weeklyHours: 25, regularWeeklyHours: 25 }),
      }),
    ]);
    expect(full.secondments[0]).toMatchObject({
      id: 'S1',
      form: 'abordnung',
      sponsor: null,
      kommuneConsent: { receivedOn: '2017-07-10', reference: 'LK HK 2017/21' },
      periods: [
        {
          from: '2017-08-01',
          until: '2020-07-31',
          weeklyHours: 25,
          hoursReason: 'Volle Stelle: Landkreis mit zwei Schulamtsbereichen',
        },
      ],
    });
    // Two years instead of three: not refused, said.
    const assigned = await post(id, '/secondments', land, {
      coordinator: 'Ole Brandt',
      form: 'zuweisung',
      sponsor: 'Bildungsregion Heide e. V.',
      from: '2018-02-01',
      until: '2020-01-31',
      weeklyHours: 12,
      regularWeeklyHours: 25,
      receivedOn: '2017-07-10',
      reference: 'Zuweisung 2018/2',
    });
    expect(assigned.warnings.map((w: { rule: string }) => w.rule)).toEqual([
      'secondment-usually-three-years',
      'coordinator-consent-pending',
    ]);
    expect(assigned.secondments[1]).toMatchObject({
      form: 'zuweisung',
      sponsor: 'Bildungsregion Heide e. V.',
      kommuneConsent: null,
      periods: [{ until: '2020-01-31' }],
    });
    const read = (await t.http.get(`/contracts/${id}`).set(land).expect(200)).body;
    expect(read.warnings).toBeUndefined();
    expect(
      read.due
        .filter((d: { kind: string }) => d.kind === 'secondment-end')
        .map((d: { on: string; details: { form: string } }) => [d.on, d.details.form]),
    ).toEqual([
      ['2020-01-31', 'zuweisung'],
      ['2020-07-31', 'abordnung'],
    ]);
  });

  it("records the NLSchB representative, the Kommune's resources, its consent to the coordinator and the qualification the Land pays, each in writing", async () => {
    const created = await t.http
      .post('/contracts')
      .set(land)
      .send({ ...heidekreis, schoolAuthorityRepresentative: 'Dr. Eva Brandt' })
      .expect(201);
    const id = created.body.id;
    expect(created.body.schoolAuthorityRepresentative).toEqual({
      name: 'Dr. Eva Brandt',
      receivedOn: '2017-07-10',
      reference: 'MK 31-81 403/2017',
    });
    await goTo('2017-09-04');
    await post(id, '/secondments', land, {
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      weeklyHours: 12.5,
      regularWeeklyHours: 25,
      receivedOn: '2017-07-10',
      reference: 'Abordnung 2017/14',
    });
    await post(id, '/secondments/S1/kommune-consents', kommune, {
      receivedOn: '2017-07-20',
      reference: 'LK HK 2017/25',
    });
    await post(id, '/secondments/S1/qualifications', land, {
      course: 'Qualifizierung Bildungskoordination 2017/18',
      receivedOn: '2017-09-01',
      reference: 'MK 31-2017/90',
    });
    await post(id, '/kommune-resources', kommune, {
      officeStaffFte: 2.5,
      officeMaterialEuroPerYear: 18000,
      coordinatorExpensesEuroPerYear: 3000,
      note: 'Kreistagsbeschluss Haushalt 2018',
      receivedOn: '2017-09-04',
      reference: 'KT HK 2017/61',
    });
    await post(id, '/school-authority-representatives', land, {
      name: 'Jonas Wiese',
      receivedOn: '2017-09-04',
      reference: 'NLSchB LG 2017/12',
    });

    const read = (await t.http.get(`/contracts/${id}`).set(kommune).expect(200)).body;
    expect(read).toMatchObject({
      schoolAuthorityRepresentative: { name: 'Jonas Wiese', receivedOn: '2017-09-04', reference: 'NLSchB LG 2017/12' },
      schoolAuthorityRepresentatives: [{ name: 'Dr. Eva Brandt' }, { name: 'Jonas Wiese' }],
      kommuneResources: {
        officeStaffFte: 2.5,
        officeMaterialEuroPerYear: 18000,
        coordinatorExpensesEuroPerYear: 3000,
        note: 'Kreistagsbeschluss Haushalt 2018',
        receivedOn: '2017-09-04',
        reference: 'KT HK 2017/61',
      },
      kommuneResourcesHistory: [{ reference: 'KT HK 2017/61' }],
      secondments: [
        {
          id: 'S1',
          kommuneConsent: { receivedOn: '2017-07-20', reference: 'LK HK 2017/25' },
          qualifications: [
            {
              course: 'Qualifizierung Bildungskoordination 2017/18',
              paidBy: 'land',
              receivedOn: '2017-09-01',
              reference: 'MK 31-2017/90',
            },
          ],
        },
      ],
    });
    expect(
      read.writtenActs.map((a: { kind: string; partner: string; reference: string }) => [
        a.kind,
        a.partner,
        a.reference,
      ]),
    ).toEqual([
      ['contract', 'both', 'MK 31-81 403/2017'],
      ['secondment', 'land', 'Abordnung 2017/14'],
      ['coordinator-consent', 'kommune', 'LK HK 2017/25'],
      ['coordinator-qualification', 'land', 'MK 31-2017/90'],
      ['kommune-resources', 'kommune', 'KT HK 2017/61'],
      ['school-authority-representative', 'land', 'NLSchB LG 2017/12'],
    ]);
  });

  it("explains every date it shows: the rule, its inputs, the arithmetic, and each reminder's move to a working day with the holiday named", async () => {
    await goTo('2019-08-01');
    const id = (
      await t.http
        .post('/contracts')
        .set(land)
        .send({ ...heidekreis, startsOn: '2019-09-01', signedOn: '2019-08-01' })
        .expect(201)
    ).body.id;
    await goTo('2022-06-01');
    await post(id, '/evaluations', kommune, { receivedOn: '2022-06-01', reference: 'Evaluation 2022' });
    const continued = await post(id, '/review-decisions', land, {
      decision: 'continue',
      decidedOn: '2022-06-01',
      reference: 'LG 2022/2',
    });
    const review = continued.due.find((item: { kind: string }) => item.kind === 'review');
    expect(review).toMatchObject({
      on: '2025-09-01',
      basis: {
        rule: 'review-every-three-years',
        inputs: { startsOn: '2019-09-01', cycle: 2 },
        computation: '2019-09-01 + 6 years (review 2 = start + 3 × 2 years)',
      },
    });
    expect(review.basis.source.de).toContain('§ 4');
    const threeMonths = review.reminders.find((r: { offset: string }) => r.offset === '-P3M');
    expect(threeMonths).toMatchObject({
      rule: 'review-due',
      side: 'before',
      offsetDay: '2025-06-01',
      sendOn: '2025-05-30',
      at: '2025-05-30T08:00',
      shift: {
        from: '2025-06-01',
        to: '2025-05-30',
        direction: 'earlier',
        passedOver: [
          { day: '2025-06-01', weekday: 'Sunday', holiday: null },
          { day: '2025-05-31', weekday: 'Saturday', holiday: null },
        ],
      },
    });
    expect(threeMonths.explanation.en).toBe(
      '3 months before the deadline 2025-09-01: Sunday 2025-06-01. Not a working day: Sunday 2025-06-01, Saturday 2025-05-31.' +
        ' Moved to the previous working day, Friday 2025-05-30, so it stays before the deadline.',
    );
    expect(threeMonths.explanation.de).toContain('Verlegt auf den vorherigen Arbeitstag, Freitag, 30.05.2025');

    const report = continued.due.find((item: { kind: string }) => item.kind === 'annual-report');
    // No report was recorded: the first one, due 1 September 2020, is still owed.
    expect(report).toMatchObject({
      on: '2020-09-01',
      overdue: true,
      basis: {
        rule: 'annual-report-yearly',
        inputs: { startsOn: '2019-09-01', n: 1 },
        computation: '2019-09-01 + 1 year (report 1)',
      },
    });
    expect(report.basis.source.en).toMatch(/Lotse policy, configurable/);

    // A holiday is named: a contract started 30 October 2022 owes its first report on Monday 30 October 2023; the day
    // after is Reformation Day in Lower Saxony, so the overdue reminder waits for Wednesday.
    const celle = (
      await t.http
        .post('/contracts')
        .set(land)
        .send({ ...heidekreis, bildungsregion: 'Bildungsregion Celle', startsOn: '2022-10-30', signedOn: '2022-06-01' })
        .expect(201)
    ).body;
    const first = celle.due.find((item: { kind: string }) => item.kind === 'annual-report');
    expect(
      first.reminders.map((r: { rule: string; side: string; sendOn: string }) => [r.rule, r.side, r.sendOn]),
    ).toEqual([
      ['annual-report-due', 'before', '2023-10-02'],
      ['annual-report-overdue', 'after', '2023-11-01'],
    ]);
    expect(first.reminders[1].shift).toEqual({
      from: '2023-10-31',
      to: '2023-11-01',
      direction: 'later',
      passedOver: [
        { day: '2023-10-31', weekday: 'Tuesday', holiday: { de: 'Reformationstag', en: 'Reformation Day' } },
      ],
    });
    expect(first.reminders[1].explanation.de).toBe(
      '1 Tag nach der Frist 30.10.2023: Dienstag, 31.10.2023. Kein Arbeitstag: Dienstag, 31.10.2023 (Reformationstag).' +
        ' Verlegt auf den nächsten Arbeitstag, Mittwoch, 01.11.2023, damit die Erinnerung nach der Frist bleibt.',
    );
  });

  it('lets configuration switch the annual report reminders off (a policy, not a contract duty): no mail, none shown', async () => {
    await t.close();
    t = await startApp({
      workspace,
      clock: t.clock,
      config: {
        reminderOverrides: {
          'contract-review': { 'annual-report-due': { enabled: false }, 'annual-report-overdue': { enabled: false } },
        },
      },
    });
    const id = await createContract();
    const created = (await t.http.get(`/contracts/${id}`).set(land).expect(200)).body;
    expect(created.due.find((item: { kind: string }) => item.kind === 'annual-report').reminders).toEqual([]);
    expect(created.due.find((item: { kind: string }) => item.kind === 'review').reminders).toHaveLength(3);
    await goTo('2019-10-01');
    expect((await mails()).filter((mail) => mail.template.startsWith('annual-report'))).toEqual([]);
  });

  it('lists the open deadlines of all contracts in the state by date, filterable by kind', async () => {
    const heide = await createContract();
    await goTo('2018-01-15');
    const celle = (
      await t.http
        .post('/contracts')
        .set(land)
        .send({
          ...heidekreis,
          bildungsregion: 'Bildungsregion Celle',
          kommune: { name: 'Landkreis Celle', kind: 'landkreis' },
          startsOn: '2018-02-01',
          signedOn: '2018-01-15',
          reference: 'MK 31-2018/1',
        })
        .expect(201)
    ).body.id;
    const all = await t.http.get('/contracts/deadlines').set(land).expect(200);
    expect(
      all.body.map((d: { bildungsregion: string; kind: string; on: string }) => [d.on, d.kind, d.bildungsregion]),
    ).toEqual([
      ['2018-08-01', 'annual-report', 'Bildungsregion Heidekreis'],
      ['2019-02-01', 'annual-report', 'Bildungsregion Celle'],
      ['2019-12-31', 'notice-window', 'Bildungsregion Heidekreis'],
      ['2020-06-30', 'notice-window', 'Bildungsregion Celle'],
      ['2020-06-30', 'notice-window', 'Bildungsregion Heidekreis'],
      ['2020-08-01', 'evaluation', 'Bildungsregion Heidekreis'],
      ['2020-08-01', 'review', 'Bildungsregion Heidekreis'],
      ['2020-12-31', 'notice-window', 'Bildungsregion Celle'],
      ['2021-02-01', 'evaluation', 'Bildungsregion Celle'],
      ['2021-02-01', 'review', 'Bildungsregion Celle'],
    ]);
    const reviews = await t.http.get('/contracts/deadlines?kind=review').set(land).expect(200);
    expect(
      reviews.body.map((d: { contractId: string; on: string; overdue: boolean }) => [d.contractId, d.on, d.overdue]),
    ).toEqual([
      [heide, '2020-08-01', false],
      [celle, '2021-02-01', false],
    ]);
    await t.http.get('/contracts/deadlines?kind=birthday').set(land).expect(400);
  });
});
