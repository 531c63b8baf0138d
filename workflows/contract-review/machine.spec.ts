import { describe, expect, it } from '@jest/globals';
import { applyEvent, startInstance, type Step } from '../../src/engine/machine-runtime.js';
import type { ClientEvent, ContractContext, ContractInput } from './contract.js';
import { refusal, warnings } from './contract.js';
import { deadlinesOf, dueItems } from './deadlines.js';
import { contractReviewWorkflow } from './machine.js';
import { withOverrides } from '../shared/reminders.js';
import { contractReviewMessages } from './messages.js';
import { contractReviewReminders } from './reminders.js';

const ZONE = 'Europe/Berlin';
const workflow = contractReviewWorkflow();

const input: ContractInput = {
  contractId: 'K-HEIDE',
  bildungsregion: 'Heidekreis',
  kommune: { name: 'Landkreis Heidekreis', kind: 'landkreis' },
  steeringCommittee: 'Lenkungsgruppe Bildungsregion Heidekreis',
  regionalOffice: 'Bildungsbüro Heidekreis',
  startsOn: '2017-08-01',
  signedOn: '2017-07-10',
  reference: 'MK-31-2017-07',
  admins: [
    { id: 'mk-1', name: 'Petra Lange', email: 'petra.lange@mk.example', language: 'de', partner: 'land' },
    { id: 'lk-1', name: 'Sam Okafor', email: 'sam.okafor@heidekreis.example', language: 'en', partner: 'kommune' },
  ],
};

function send(step: Step, event: ClientEvent): Step {
  return applyEvent(workflow, step.persisted, event, ZONE);
}

function run(...events: ClientEvent[]): Step {
  let step = startInstance(workflow, input, ZONE);
  for (const event of events) step = applyEvent(workflow, step.persisted, event, ZONE);
  return step;
}

const ctx = (step: Step) => step.context as unknown as ContractContext;
const evaluation: ClientEvent = {
  type: 'RECORD_EVALUATION',
  receivedOn: '2020-05-04',
  reference: 'EVAL-2020',
  summary: 'Wirkung belegt',
};

describe('contract-review machine', () => {
  it('starts active with the first review due three years after the start', () => {
    const step = run();
    expect(step.state).toBe('active.running');
    expect(ctx(step)).toMatchObject({ cycle: 1, reviewDueOn: '2020-08-01', evaluation: null });
    expect(step.acceptedEvents).toEqual([
      'CONFIRM_AMENDMENT',
      'DECIDE_REVIEW',
      'DECIDE_SECONDMENT_END',
      'GIVE_NOTICE',
      'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE',
      'PROPOSE_AMENDMENT',
      'RECORD_ANNUAL_REPORT',
      'RECORD_COORDINATOR_CONSENT',
      'RECORD_COORDINATOR_QUALIFICATION',
      'RECORD_EVALUATION',
      'RECORD_KOMMUNE_RESOURCES',
      'SECOND_COORDINATOR',
      'TERMINATE_EXTRAORDINARILY',
    ]);
  });

  it('continues into the next cycle after an evaluated review, anchored to the start', () => {
    const step = run(evaluation, {
      type: 'DECIDE_REVIEW',
      decision: 'continue',
      receivedOn: '2020-06-15',
      reference: 'BESCHLUSS-2020',
    });
    expect(step.state).toBe('active.running');
    expect(ctx(step)).toMatchObject({ cycle: 2, reviewDueOn: '2023-08-01', evaluation: null });
    expect(ctx(step).reviews).toEqual([
      {
        cycle: 1,
        dueOn: '2020-08-01',
        decision: 'continue',
        decidedOn: '2020-06-15',
        reference: 'BESCHLUSS-2020',
        evaluation: { receivedOn: '2020-05-04', reference: 'EVAL-2020', summary: 'Wirkung belegt' },
      },
    ]);
  });

  it('shows an undecided review in the state from its due day (due.review), and returns to running with the next cycle', () => {
    const running = run(evaluation);
    expect(running.timers.find((timer) => timer.key === 'review')).toMatchObject({
      event: { type: 'due.review' },
      dueAt: new Date('2020-07-31T22:00:00.000Z'),
    });
    const due = applyEvent(workflow, running.persisted, { type: 'due.review' }, ZONE);
    expect(due.state).toBe('active.reviewDue');
    expect(due.timers.some((timer) => timer.key === 'review')).toBe(false);
    expect(due.effects).toEqual([]);
    expect(due.acceptedEvents).toEqual(
      expect.arrayContaining(['DECIDE_REVIEW', 'GIVE_NOTICE', 'RECORD_EVALUATION', 'TERMINATE_EXTRAORDINARILY']),
    );

    const continued = send(due, {
      type: 'DECIDE_REVIEW',
      decision: 'continue',
      receivedOn: '2020-09-10',
      reference: 'BESCHLUSS-2020',
    });
    expect(continued.state).toBe('active.running');
    expect(ctx(continued)).toMatchObject({ cycle: 2, reviewDueOn: '2023-08-01' });
    expect(continued.timers.find((timer) => timer.key === 'review')).toMatchObject({
      dueAt: new Date('2023-07-31T22:00:00.000Z'),
    });

    const noticed = send(due, { type: 'GIVE_NOTICE', partner: 'land', receivedOn: '2020-09-10', reference: 'K-2020' });
    expect(noticed.state).toBe('active.noticePeriod');
    expect(ctx(noticed).notice?.effectiveOn).toBe('2021-06-30');
  });

  it('moves the review timer with an early decision to continue', () => {
    const step = run(evaluation, {
      type: 'DECIDE_REVIEW',
      decision: 'continue',
      receivedOn: '2020-06-15',
      reference: 'BESCHLUSS-2020',
    });
    expect(step.timers.filter((timer) => timer.key === 'review').map((timer) => timer.dueAt)).toEqual([
      new Date('2023-07-31T22:00:00.000Z'),
    ]);
  });

  it('discontinues like an ordinary notice given on the decision day, ending by a due.termination timer', () => {
    const step = run(evaluation, {
      type: 'DECIDE_REVIEW',
      decision: 'discontinue',
      receivedOn: '2020-07-20',
      reference: 'BESCHLUSS-2020',
    });
    expect(step.state).toBe('active.noticePeriod');
    expect(ctx(step).notice).toEqual({
      by: 'both',
      receivedOn: '2020-07-20',
      reference: 'BESCHLUSS-2020',
      effectiveOn: '2021-06-30',
    });
    const termination = step.timers.find((timer) => timer.key === 'termination');
    expect(termination).toMatchObject({
      event: { type: 'due.termination' },
      dueAt: new Date('2021-06-30T22:00:00.000Z'),
    });
    expect(step.effects.map((effect) => [effect.kind, effect.key])).toEqual([
      ['mail', 'notice:2020-07-20:petra.lange@mk.example'],
      ['mail', 'notice:2020-07-20:sam.okafor@heidekreis.example'],
    ]);

    const ended = applyEvent(workflow, step.persisted, { type: 'due.termination' }, ZONE);
    expect(ended).toMatchObject({ state: 'terminated', status: 'done', acceptedEvents: [], timers: [] });
    expect(ctx(ended).termination).toEqual({
      kind: 'ordinary',
      by: 'both',
      effectiveOn: '2021-06-30',
      reference: 'BESCHLUSS-2020',
      reason: null,
    });
    expect(ended.effects.map((effect) => [effect.kind, effect.key])).toEqual([
      ['mail', 'terminated:petra.lange@mk.example'],
      ['mail', 'terminated:sam.okafor@heidekreis.example'],
    ]);
  });

  it('terminates extraordinarily on receipt', () => {
    const step = run({
      type: 'TERMINATE_EXTRAORDINARILY',
      partner: 'kommune',
      receivedOn: '2019-03-01',
      reference: 'KT-2019-3',
      reason: 'Haushaltssperre',
    });
    expect(step.state).toBe('terminated');
    expect(ctx(step).termination).toEqual({
      kind: 'extraordinary',
      by: 'kommune',
      effectiveOn: '2019-03-01',
      reference: 'KT-2019-3',
      reason: 'Haushaltssperre',
    });
  });

  it('puts an amendment in force only when both partners confirmed, from the later confirmation', () => {
    const proposed: ClientEvent = {
      type: 'PROPOSE_AMENDMENT',
      amendmentId: 'A1',
      title: 'Zweite Bildungskoordination',
      partner: 'kommune',
      receivedOn: '2018-02-01',
      reference: 'AE-1',
    };
    const one = run(proposed, {
      type: 'CONFIRM_AMENDMENT',
      amendmentId: 'A1',
      partner: 'kommune',
      receivedOn: '2018-02-02',
      reference: 'AE-1-K',
    });
    expect(ctx(one).amendments[0]).toMatchObject({ confirmations: { kommune: '2018-02-02' }, inForceOn: null });
    expect(one.effects).toEqual([]);
    const both = send(one, {
      type: 'CONFIRM_AMENDMENT',
      amendmentId: 'A1',
      partner: 'land',
      receivedOn: '2018-03-05',
      reference: 'AE-1-L',
    });
    expect(ctx(both).amendments[0]).toMatchObject({
      confirmations: { kommune: '2018-02-02', land: '2018-03-05' },
      inForceOn: '2018-03-05',
    });
    expect(both.effects.map((effect) => effect.key)).toEqual([
      'amendment:A1:in-force:petra.lange@mk.example',
      'amendment:A1:in-force:sam.okafor@heidekreis.example',
    ]);
    expect(
      refusal(ctx(both), {
        type: 'CONFIRM_AMENDMENT',
        amendmentId: 'A1',
        partner: 'land',
        receivedOn: '2018-03-06',
        reference: 'X',
      }),
    ).toMatchObject({ rule: 'amendment-confirmed-once-per-partner', status: 409 });
  });

  it('extends a secondment with a new period, or lets it end', () => {
    const seconded = run({
      type: 'SECOND_COORDINATOR',
      secondmentId: 'S1',
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      until: '2020-07-31',
      weeklyHours: 12,
      regularWeeklyHours: 24,
      reference: 'AB-1',
      receivedOn: '2017-07-15',
    });
    const extended = send(seconded, {
      type: 'DECIDE_SECONDMENT_END',
      secondmentId: 'S1',
      decision: 'extend',
      until: '2023-07-31',
      receivedOn: '2020-03-02',
      reference: 'AB-2',
    });
    expect(ctx(extended).secondments[0].periods.map((p) => [p.from, p.until, p.weeklyHours])).toEqual([
      ['2017-08-01', '2020-07-31', 12],
      ['2020-08-01', '2023-07-31', 12],
    ]);
    const ended = send(extended, {
      type: 'DECIDE_SECONDMENT_END',
      secondmentId: 'S1',
      decision: 'end',
      receivedOn: '2023-02-01',
      reference: 'AB-3',
    });
    expect(ctx(ended).secondments[0].endedOn).toBe('2023-07-31');
    expect(deadlinesOf(ctx(ended)).filter((d) => d.kind === 'secondment-end')).toEqual([]);
  });
});

describe('refusal', () => {
  const start = ctx(run());

  it('names the rule for each refusal', () => {
    expect(
      refusal(start, { type: 'DECIDE_REVIEW', decision: 'continue', receivedOn: '2020-06-01', reference: 'B' }),
    ).toMatchObject({ rule: 'review-needs-evaluation', status: 422 });
    expect(refusal(start, { type: 'GIVE_NOTICE', partner: 'land', reference: 'K-1' })).toMatchObject({
      rule: 'in-writing',
      details: { missing: ['receivedOn'] },
    });
    expect(
      refusal(start, { type: 'GIVE_NOTICE', partner: 'land', receivedOn: '2021-03-01', reference: ' ' }),
    ).toMatchObject({ rule: 'in-writing', details: { missing: ['reference'] } });
    expect(
      refusal(
        start,
        { type: 'GIVE_NOTICE', partner: 'land', receivedOn: '2021-03-01', reference: 'K-1' },
        '2021-02-28',
      ),
    ).toMatchObject({ rule: 'received-not-in-future' });
    expect(refusal(start, { type: 'RECORD_ANNUAL_REPORT', receivedOn: '2017-07-09', reference: 'R' })).toMatchObject({
      rule: 'received-after-signing',
    });
    expect(
      refusal(start, {
        type: 'TERMINATE_EXTRAORDINARILY',
        partner: 'land',
        receivedOn: '2021-03-01',
        reference: 'K-1',
      }),
    ).toMatchObject({ rule: 'extraordinary-termination-needs-reason' });
    expect(
      refusal(start, {
        type: 'SECOND_COORDINATOR',
        secondmentId: 'S',
        coordinator: 'X',
        from: '2017-08-01',
        until: '2020-07-31',
        weeklyHours: 12.5,
        regularWeeklyHours: 24,
        reference: 'A',
        receivedOn: '2017-07-10',
      }),
    ).toMatchObject({ rule: 'secondment-over-half-needs-reason', status: 422, details: { half: 12 } });
    expect(
      refusal(start, {
        type: 'SECOND_COORDINATOR',
        secondmentId: 'S',
        coordinator: 'X',
        from: '2017-08-01',
        until: '2020-07-31',
        weeklyHours: 12,
        regularWeeklyHours: 24,
        reference: 'A',
        receivedOn: '2017-07-10',
      }),
    ).toBeNull();
    const ended = ctx(
      run({
        type: 'TERMINATE_EXTRAORDINARILY',
        partner: 'land',
        receivedOn: '2019-03-01',
        reference: 'K',
        reason: 'Haushalt',
      }),
    );
    expect(refusal(ended, { type: 'RECORD_ANNUAL_REPORT', receivedOn: '2019-04-01', reference: 'R' })).toMatchObject({
      rule: 'contract-terminated',
      status: 409,
    });
  });

  it('takes a notice for a later 30 June or 31 December, and refuses any other date naming the rule', () => {
    const notice = (effectiveOn: string): ClientEvent => ({
      type: 'GIVE_NOTICE',
      partner: 'kommune',
      receivedOn: '2021-03-10',
      reference: 'K-1',
      effectiveOn,
    });
    expect(refusal(start, notice('2022-12-31'))).toBeNull();
    expect(refusal(start, notice('2021-12-31'))).toBeNull();
    expect(refusal(start, notice('2021-06-30'))).toMatchObject({
      rule: 'notice-period-six-months',
      status: 422,
      details: {
        earliestEffectiveOn: '2021-12-31',
        possibleEffectiveDates: ['2021-12-31', '2022-06-30', '2022-12-31', '2023-06-30'],
      },
    });
    expect(refusal(start, notice('2022-03-31'))).toMatchObject({ rule: 'notice-to-30-june-or-31-december' });
    expect(refusal(start, notice('2022-06-31'))).toMatchObject({ rule: 'notice-effective-calendar-day' });
    expect(ctx(run(notice('2022-12-31'))).notice).toEqual({
      by: 'kommune',
      receivedOn: '2021-03-10',
      reference: 'K-1',
      effectiveOn: '2022-12-31',
    });
    expect(
      ctx(run({ type: 'GIVE_NOTICE', partner: 'kommune', receivedOn: '2021-03-10', reference: 'K-1' })).notice
        ?.effectiveOn,
    ).toBe('2021-12-31');
  });

  it('allows more than half of the regular hours with a reason, as a warning; never more than the regular hours', () => {
    const second = (
      extra: Partial<Extract<ClientEvent, { type: 'SECOND_COORDINATOR' }>>,
    ): Extract<ClientEvent, { type: 'SECOND_COORDINATOR' }> => ({
      type: 'SECOND_COORDINATOR',
      secondmentId: 'S1',
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      until: '2020-07-31',
      weeklyHours: 25,
      regularWeeklyHours: 25,
      reference: 'A',
      receivedOn: '2017-07-10',
      ...extra,
    });
    expect(refusal(start, second({}))).toMatchObject({
      rule: 'secondment-over-half-needs-reason',
      details: { weeklyHours: 25, regularWeeklyHours: 25, half: 12.5 },
    });
    expect(refusal(start, second({ hoursReason: '  ' }))).toMatchObject({ rule: 'secondment-over-half-needs-reason' });
    expect(refusal(start, second({ weeklyHours: 26, hoursReason: 'Vollzeit' }))).toMatchObject({
      rule: 'secondment-hours',
    });
    const full = second({ hoursReason: 'Volle Stelle: zwei Landkreise im Verbund' });
    expect(refusal(start, full)).toBeNull();
    expect(warnings(start, full).map((warning) => warning.rule)).toEqual([
      'secondment-over-half-regular-hours',
      'coordinator-consent-pending',
    ]);
    const seconded = run(full);
    expect(ctx(seconded).secondments[0]).toMatchObject({
      form: 'abordnung',
      sponsor: null,
      kommuneConsent: null,
      periods: [{ hoursReason: 'Volle Stelle: zwei Landkreise im Verbund' }],
    });
    // An extension keeps the reason unless a new one is given.
    const extend: ClientEvent = {
      type: 'DECIDE_SECONDMENT_END',
      secondmentId: 'S1',
      decision: 'extend',
      until: '2023-07-31',
      receivedOn: '2020-03-02',
      reference: 'B',
    };
    expect(refusal(ctx(seconded), extend)).toBeNull();
    expect(ctx(send(seconded, extend)).secondments[0].periods[1]).toMatchObject({
      weeklyHours: 25,
      hoursReason: 'Volle Stelle: zwei Landkreise im Verbund',
    });
    expect(ctx(send(seconded, { ...extend, weeklyHours: 12 })).secondments[0].periods[1]).toMatchObject({
      weeklyHours: 12,
      hoursReason: null,
    });
  });

  it('ties a review decision to its evaluation, and an evaluation to the cycle after the last decision', () => {
    const evaluated = ctx(run(evaluation));
    const decide = (receivedOn: string): ClientEvent => ({
      type: 'DECIDE_REVIEW',
      decision: 'continue',
      receivedOn,
      reference: 'B-2020',
    });
    expect(refusal(evaluated, decide('2020-05-03'))).toMatchObject({
      rule: 'decision-after-evaluation',
      status: 422,
      details: { decidedOn: '2020-05-03', evaluationReceivedOn: '2020-05-04' },
    });
    expect(refusal(evaluated, decide('2020-05-04'))).toBeNull();

    const continued = ctx(run(evaluation, decide('2020-06-01')));
    const next = (receivedOn: string): ClientEvent => ({ ...evaluation, receivedOn, reference: 'EVAL-2023' });
    expect(refusal(continued, next('2020-05-31'))).toMatchObject({
      rule: 'evaluation-after-previous-review',
      details: { receivedOn: '2020-05-31', previousDecisionOn: '2020-06-01', reviewDueOn: '2023-08-01' },
    });
    expect(refusal(continued, next('2020-06-01'))).toBeNull();
    expect(() => send(run(evaluation, decide('2020-06-01')), next('2020-05-31'))).toThrow(/not allowed/);
  });

  it('does not refuse a secondment of other than three years, and says it runs three years as a rule', () => {
    const two: Extract<ClientEvent, { type: 'SECOND_COORDINATOR' }> = {
      type: 'SECOND_COORDINATOR',
      secondmentId: 'S1',
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      until: '2019-07-31',
      weeklyHours: 12,
      regularWeeklyHours: 24,
      reference: 'A',
      receivedOn: '2017-07-10',
      kommuneConsent: { receivedOn: '2017-07-12', reference: 'LK-Einvernehmen' },
    };
    expect(refusal(start, two)).toBeNull();
    expect(warnings(start, two)).toEqual([
      {
        rule: 'secondment-usually-three-years',
        message: expect.stringContaining('2020-07-31'),
        details: { from: '2017-08-01', until: '2019-07-31', usualUntil: '2020-07-31' },
      },
    ]);
    expect(warnings(start, { ...two, until: '2020-07-31' })).toEqual([]);
    expect(warnings(start, { ...two, from: '2024-02-29', until: '2027-02-28' })).toEqual([]);
    expect(refusal(start, { ...two, kommuneConsent: { receivedOn: '2017-06-20', reference: 'E' } })).toMatchObject({
      rule: 'received-after-signing',
    });
    expect(
      refusal(start, { ...two, kommuneConsent: { receivedOn: '2017-07-20', reference: 'E' } }, '2017-07-15'),
    ).toMatchObject({ rule: 'received-not-in-future' });
    expect(refusal(start, { ...two, kommuneConsent: { receivedOn: '2017-07-12' } })).toMatchObject({
      rule: 'in-writing',
      details: { missing: ['reference'] },
    });
  });

  it('records an Abordnung to the Kommune or a Zuweisung to a sponsor that is not the Kommune', () => {
    const base: Extract<ClientEvent, { type: 'SECOND_COORDINATOR' }> = {
      type: 'SECOND_COORDINATOR',
      secondmentId: 'S1',
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      until: '2020-07-31',
      weeklyHours: 12,
      regularWeeklyHours: 24,
      reference: 'A',
      receivedOn: '2017-07-10',
    };
    expect(refusal(start, { ...base, form: 'zuweisung' })).toMatchObject({ rule: 'assignment-names-sponsor' });
    expect(refusal(start, { ...base, sponsor: 'Bildungsregion Süd e. V.' })).toMatchObject({ rule: 'secondment-form' });
    const assigned = ctx(run({ ...base, form: 'zuweisung', sponsor: 'Bildungsregion Süd e. V.' }));
    expect(assigned.secondments[0]).toMatchObject({ form: 'zuweisung', sponsor: 'Bildungsregion Süd e. V.' });
    expect(deadlinesOf(assigned).find((d) => d.kind === 'secondment-end')?.data).toMatchObject({ form: 'zuweisung' });
  });

  it("records the Kommune's consent once, and qualifications the Land pays, each in writing", () => {
    const seconded = run({
      type: 'SECOND_COORDINATOR',
      secondmentId: 'S1',
      coordinator: 'Jana Voss',
      from: '2017-08-01',
      until: '2020-07-31',
      weeklyHours: 12,
      regularWeeklyHours: 24,
      reference: 'A',
      receivedOn: '2017-07-10',
    });
    expect(
      refusal(ctx(seconded), {
        type: 'RECORD_COORDINATOR_CONSENT',
        secondmentId: 'S9',
        receivedOn: '2017-07-12',
        reference: 'C',
      }),
    ).toMatchObject({ rule: 'secondment-exists' });
    expect(
      refusal(ctx(seconded), { type: 'RECORD_COORDINATOR_CONSENT', secondmentId: 'S1', receivedOn: '2017-07-12' }),
    ).toMatchObject({ rule: 'in-writing' });
    const consented = send(seconded, {
      type: 'RECORD_COORDINATOR_CONSENT',
      secondmentId: 'S1',
      receivedOn: '2017-07-12',
      reference: 'LK 2017/40',
    });
    expect(ctx(consented).secondments[0].kommuneConsent).toEqual({ receivedOn: '2017-07-12', reference: 'LK 2017/40' });
    expect(
      refusal(ctx(consented), {
        type: 'RECORD_COORDINATOR_CONSENT',
        secondmentId: 'S1',
        receivedOn: '2017-07-13',
        reference: 'again',
      }),
    ).toMatchObject({ rule: 'coordinator-consent-once', status: 409 });
    const qualified = send(consented, {
      type: 'RECORD_COORDINATOR_QUALIFICATION',
      secondmentId: 'S1',
      course: 'Qualifizierung Bildungskoordination',
      receivedOn: '2017-09-01',
      reference: 'MK 2017/88',
    });
    expect(ctx(qualified).secondments[0].qualifications).toEqual([
      {
        course: 'Qualifizierung Bildungskoordination',
        paidBy: 'land',
        receivedOn: '2017-09-01',
        reference: 'MK 2017/88',
      },
    ]);
    expect(
      ctx(qualified)
        .writtenActs.slice(-2)
        .map((a) => [a.kind, a.partner]),
    ).toEqual([
      ['coordinator-consent', 'kommune'],
      ['coordinator-qualification', 'land'],
    ]);
  });

  it("records the NLSchB representative and the Kommune's resources, refusing negative amounts", () => {
    expect(ctx(run()).schoolAuthorityRepresentatives).toEqual([]);
    const named = ctx(startInstance(workflow, { ...input, schoolAuthorityRepresentative: 'Dr. Eva Brandt' }, ZONE));
    expect(named.schoolAuthorityRepresentatives).toEqual([
      { name: 'Dr. Eva Brandt', receivedOn: '2017-07-10', reference: 'MK-31-2017-07' },
    ]);
    const renamed = ctx(
      run({
        type: 'NAME_SCHOOL_AUTHORITY_REPRESENTATIVE',
        name: 'Jonas Wiese',
        receivedOn: '2019-02-01',
        reference: 'NLSchB 2019/2',
      }),
    );
    expect(renamed.schoolAuthorityRepresentatives).toEqual([
      { name: 'Jonas Wiese', receivedOn: '2019-02-01', reference: 'NLSchB 2019/2' },
    ]);
    expect(
      refusal(start, {
        type: 'RECORD_KOMMUNE_RESOURCES',
        officeStaffFte: -1,
        coordinatorExpensesEuroPerYear: -5,
        receivedOn: '2018-01-10',
        reference: 'R',
      }),
    ).toMatchObject({
      rule: 'resources-not-negative',
      details: { fields: ['officeStaffFte', 'coordinatorExpensesEuroPerYear'] },
    });
    const resourced = ctx(
      run({
        type: 'RECORD_KOMMUNE_RESOURCES',
        officeStaffFte: 2.5,
        officeMaterialEuroPerYear: 18000,
        receivedOn: '2018-01-10',
        reference: 'KT 2018/1',
      }),
    );
    expect(resourced.kommuneResources).toEqual([
      {
        officeStaffFte: 2.5,
        officeMaterialEuroPerYear: 18000,
        coordinatorExpensesEuroPerYear: null,
        note: null,
        receivedOn: '2018-01-10',
        reference: 'KT 2018/1',
      },
    ]);
  });

  it('is what the machine guards: a refused event is not accepted', () => {
    expect(() =>
      run({ type: 'DECIDE_REVIEW', decision: 'continue', receivedOn: '2020-06-01', reference: 'B' }),
    ).toThrow(/not allowed in state active.running/);
  });
});

describe('deadlines and reminders', () => {
  it('lists the review, the missing evaluation, the notice windows before the review and the annual report', () => {
    expect(deadlinesOf(ctx(run())).map((d) => [d.kind, d.id, d.on])).toEqual([
      ['review', 'review-2020-08-01', '2020-08-01'],
      ['evaluation', 'evaluation-2020-08-01', '2020-08-01'],
      ['notice-window', 'notice-window-2019-12-31', '2019-12-31'],
      ['notice-window', 'notice-window-2020-06-30', '2020-06-30'],
      ['annual-report', 'annual-report-1', '2018-08-01'],
    ]);
  });

  it('shows what is due next with the next chance to give notice', () => {
    expect(
      dueItems(ctx(run()), '2018-09-10', contractReviewReminders).map((item) => [item.kind, item.on, item.overdue]),
    ).toEqual([
      ['annual-report', '2018-08-01', true],
      ['notice-window', '2018-12-31', false],
      ['evaluation', '2020-08-01', false],
      ['review', '2020-08-01', false],
    ]);
  });

  it('explains each deadline: the rule, its inputs and the arithmetic', () => {
    const items = dueItems(ctx(run()), '2018-09-10', contractReviewReminders);
    expect(items.find((item) => item.kind === 'review')?.basis).toMatchObject({
      rule: 'review-every-three-years',
      inputs: { startsOn: '2017-08-01', cycle: 1 },
      computation: '2017-08-01 + 3 years (review 1 = start + 3 × 1 years)',
    });
    expect(items.find((item) => item.kind === 'annual-report')?.basis).toMatchObject({
      rule: 'annual-report-yearly',
      computation: '2017-08-01 + 1 year (report 1)',
    });
    expect(items.find((item) => item.kind === 'annual-report')?.basis.source.en).toMatch(/policy/);
    expect(items.find((item) => item.kind === 'notice-window')?.basis).toMatchObject({
      rule: 'last-day-to-give-notice',
      computation: '31 December of the year before for 30 June: 2018-12-31',
      inputs: { effectiveOn: '2019-06-30' },
    });
    const noticed = ctx(
      run({
        type: 'GIVE_NOTICE',
        partner: 'kommune',
        receivedOn: '2021-03-10',
        reference: 'K-1',
        effectiveOn: '2022-12-31',
      }),
    );
    expect(deadlinesOf(noticed).find((d) => d.kind === 'termination')?.basis).toMatchObject({
      rule: 'notice-effective-date',
      inputs: { receivedOn: '2021-03-10', earliestEffectiveOn: '2021-12-31' },
      computation: 'the later date named in the notice; the earliest would have been 2021-12-31',
    });
  });

  it("lists each due item's reminders with the working-day shift and the holiday passed over", () => {
    const second = ctx(startInstance(workflow, { ...input, startsOn: '2019-09-01', signedOn: '2019-08-01' }, ZONE));
    const cycleTwo = { ...second, cycle: 2, reviewDueOn: '2025-09-01' };
    const review = dueItems(cycleTwo, '2024-10-01', contractReviewReminders).find((item) => item.kind === 'review')!;
    expect(review.basis.computation).toBe('2019-09-01 + 6 years (review 2 = start + 3 × 2 years)');
    expect(review.reminders.map((r) => [r.offset, r.offsetDay, r.sendOn])).toEqual([
      ['-P9M', '2024-12-01', '2024-11-29'],
      ['-P6M', '2025-03-01', '2025-02-28'],
      ['-P3M', '2025-06-01', '2025-05-30'],
    ]);
    expect(review.reminders[2]).toMatchObject({
      rule: 'review-due',
      side: 'before',
      at: '2025-05-30T08:00',
      to: ['petra.lange@mk.example', 'sam.okafor@heidekreis.example'],
      shift: { from: '2025-06-01', to: '2025-05-30', direction: 'earlier' },
    });
    expect(review.reminders[2].explanation.en).toContain('Moved to the previous working day, Friday 2025-05-30');
  });

  it('declares reminder mails at 08:00 on Lower Saxon working days', () => {
    const timers = workflow.timers!({ context: run().context, matches: () => false });
    const review = timers
      .filter((timer) => timer.key.startsWith('reminder:review-due:'))
      .map((timer) => [timer.key.split(':').slice(3).join(':'), timer.at]);
    expect(review).toEqual([
      ['-P9M:petra.lange@mk.example', '2019-11-01T08:00'],
      ['-P9M:sam.okafor@heidekreis.example', '2019-11-01T08:00'],
      ['-P6M:petra.lange@mk.example', '2020-01-31T08:00'],
      ['-P6M:sam.okafor@heidekreis.example', '2020-01-31T08:00'],
      ['-P3M:petra.lange@mk.example', '2020-04-30T08:00'],
      ['-P3M:sam.okafor@heidekreis.example', '2020-04-30T08:00'],
    ]);
  });

  it('follows configured overrides: other offsets, a rule switched off', () => {
    const configured = contractReviewWorkflow(
      withOverrides(contractReviewReminders, {
        'review-due': { offsets: ['-P1M'] },
        'notice-window': { enabled: false },
      }),
    );
    const keys = configured.timers!({ context: run().context, matches: () => false }).map((timer) => timer.key);
    expect(keys.filter((key) => key.startsWith('reminder:review-due:'))).toEqual([
      'reminder:review-due:review-2020-08-01:-P1M:petra.lange@mk.example',
      'reminder:review-due:review-2020-08-01:-P1M:sam.okafor@heidekreis.example',
    ]);
    expect(keys.some((key) => key.startsWith('reminder:notice-window:'))).toBe(false);
    expect(() => withOverrides(contractReviewReminders, { 'review-overdue': { offsets: ['P1D'] } })).toThrow(
      /unknown rule review-overdue/,
    );
  });

  it('renders every template in German and English', () => {
    const data = {
      bildungsregion: 'Heidekreis',
      deadlineOn: '2020-08-01',
      effectiveOn: '2020-12-31',
      reviewDueOn: '2020-08-01',
      receivedOn: '2020-06-01',
      by: 'land',
      reference: 'K-1',
      title: 'A',
      inForceOn: '2020-01-01',
      coordinator: 'Jana Voss',
      n: 1,
      kind: 'ordinary',
    };
    for (const [name, render] of Object.entries(contractReviewMessages)) {
      const de = render(data, 'de');
      const en = render(data, 'en');
      expect(de.subject).not.toEqual(en.subject);
      expect(`${de.text}${en.text}`).not.toMatch(/undefined|Invalid/);
      expect(name.startsWith('contract-review/')).toBe(true);
    }
    expect(contractReviewMessages['contract-review/review-due'](data, 'de').subject).toBe(
      'Bildungsregion Heidekreis: Überprüfung fällig am 1. August 2020',
    );
    expect(
      contractReviewMessages['contract-review/review-due'](
        { ...data, bildungsregion: 'Bildungsregion Heidekreis' },
        'en',
      ).subject,
    ).toBe('Bildungsregion Heidekreis: review due on 1 August 2020');
  });

  it("words a decision not to continue as the partners' decision, not as one partner's notice", () => {
    const render = contractReviewMessages['contract-review/notice-received'];
    const decided = {
      bildungsregion: 'Heidekreis',
      by: 'both',
      receivedOn: '2020-07-20',
      reference: 'BESCHLUSS-2020',
      effectiveOn: '2021-06-30',
    };
    expect(render(decided, 'de')).toMatchObject({
      subject: 'Bildungsregion Heidekreis: keine Fortführung, Vertragsende 30. Juni 2021',
    });
    expect(render(decided, 'de').text).toContain(
      'Land und Kommune haben bei der Überprüfung am 20. Juli 2020 beschlossen',
    );
    expect(render({ ...decided, by: 'kommune' }, 'en').text).toContain(
      'A notice by the Kommune (letter BESCHLUSS-2020) was received on 20 July 2020',
    );
  });
});
