import { describe, expect, it } from '@jest/globals';
import { applyEvent, startInstance, type Step } from '../../src/engine/machine-runtime.js';
import { reflectionPhaseId } from './ids.js';
import { qualificationGroupWorkflow, tandemQualificationWorkflow } from './machine.js';
import type { GroupContext, Member, PlannedEvent, Seat } from './model.js';

const enrolment = tandemQualificationWorkflow();
const group = qualificationGroupWorkflow();
const zone = 'Europe/Berlin';
const members: Member[] = [
  {
    personId: 'p-lower',
    name: 'Anna Schulamt',
    email: 'anna@example.org',
    language: 'de',
    supervision: 'lower',
    office: 'Schulamt Dortmund',
  },
  {
    personId: 'p-upper',
    name: 'Ben Bezirk',
    email: 'ben@example.org',
    language: 'en',
    supervision: 'upper',
    office: 'Bezirksregierung Arnsberg',
  },
];
const curriculum: PlannedEvent[] = [
  {
    id: 'e1',
    module: 'tandem-team',
    title: null,
    titleEn: null,
    days: ['2026-03-02', '2026-03-03'],
    startTime: '09:00',
    hours: 16,
    place: 'Soest',
  },
  {
    id: 'e2',
    module: 'regional-education-management',
    title: null,
    titleEn: null,
    days: ['2026-04-20', '2026-04-21'],
    startTime: '09:00',
    hours: 16,
    place: 'Soest',
  },
  {
    id: 'e3',
    module: 'cooperation-interfaces',
    title: null,
    titleEn: null,
    days: ['2026-06-08', '2026-06-09'],
    startTime: '09:00',
    hours: 16,
    place: 'Dortmund',
  },
];
const at = '2026-01-05T09:00:00.000Z';
const seat = (enrolmentId: string, who: Member[] = members): Seat => ({
  enrolmentId,
  tandemId: `t-${enrolmentId}`,
  districtId: 'arnsberg',
  members: who,
  since: at,
});

function runEnrolment(...events: object[]): Step {
  let step = startInstance(
    enrolment,
    {
      enrolmentId: 'en',
      tandemId: 't',
      networkId: 'n',
      networkName: 'Netzwerk Dortmund',
      districtId: 'arnsberg',
      members,
      predecessorId: null,
    },
    zone,
  );
  for (const event of events) step = applyEvent(enrolment, step.persisted, event as never, zone);
  return step;
}

function runGroup(capacity: number, ...events: object[]): Step {
  let step = startInstance(
    group,
    {
      groupId: 'g',
      name: 'Gruppe Ruhr',
      capacity,
      moderatorTandemId: 'mt',
      moderators: [{ personId: 'm1', name: 'Mona Moderation', email: 'mona@institut.example', language: 'de' }],
    },
    zone,
  );
  for (const event of events) step = applyEvent(group, step.persisted, event as never, zone);
  return step;
}

const involved = [
  {
    type: 'INVOLVEMENT_RECORDED',
    body: 'staff-council',
    involvement: { on: '2026-01-07', outcome: 'consent', note: null, recordedBy: 'arnsberg' },
  },
  {
    type: 'INVOLVEMENT_RECORDED',
    body: 'equal-opportunities',
    involvement: { on: '2026-01-08', note: null, recordedBy: 'arnsberg' },
  },
];

describe('tandem-qualification machine (an enrolment)', () => {
  it('is submitted only with both involvements recorded and the staff council not refusing', () => {
    expect(() => runEnrolment(involved[0], { type: 'REGISTRATION_SUBMITTED' })).toThrow(
      /REGISTRATION_SUBMITTED is not allowed in state nominated/,
    );
    const refused = { ...involved[0], involvement: { ...involved[0].involvement, outcome: 'refusal' } };
    expect(() => runEnrolment(refused, involved[1], { type: 'REGISTRATION_SUBMITTED' })).toThrow(/not allowed/);
    expect(runEnrolment(...involved, { type: 'REGISTRATION_SUBMITTED' }).state).toBe('registered');
  });

  it('declares no event reminders of its own: the group holds the schedule', () => {
    const placed = runEnrolment(
      ...involved,
      { type: 'REGISTRATION_SUBMITTED' },
      { type: 'TANDEM_PLACED', groupId: 'g' },
    );
    expect(placed).toMatchObject({ state: 'placed', context: { groupId: 'g' }, timers: [] });
  });

  it('mails both members when certificates are issued, and ends its reminders when withdrawn', () => {
    const placed = runEnrolment(
      ...involved,
      { type: 'REGISTRATION_SUBMITTED' },
      { type: 'TANDEM_PLACED', groupId: 'g' },
    );
    const completed = applyEvent(
      enrolment,
      placed.persisted,
      { type: 'CERTIFICATES_ISSUED', issuedOn: '2026-07-01', groupName: 'A', certificates: [] } as never,
      zone,
    );
    expect(completed.state).toBe('completed');
    expect(completed.effects.map((e) => [e.kind, e.key, (e.payload as { template: string }).template])).toEqual([
      ['mail', 'certificate-issued:en:anna@example.org', 'tandem-qualification/certificate-issued'],
      ['mail', 'certificate-issued:en:ben@example.org', 'tandem-qualification/certificate-issued'],
    ]);
    expect(
      applyEvent(enrolment, placed.persisted, { type: 'TANDEM_WITHDRAWN', reason: 'Stellenwechsel' } as never, zone),
    ).toMatchObject({ state: 'withdrawn', timers: [] });
  });

  it('invites alumni by reminder 8 weeks ahead, or at once when scheduled later, always its current members', () => {
    const completed = runEnrolment(
      ...involved,
      { type: 'REGISTRATION_SUBMITTED' },
      { type: 'TANDEM_PLACED', groupId: 'g' },
      { type: 'CERTIFICATES_ISSUED', issuedOn: '2026-07-01', groupName: 'A', certificates: [] },
    );
    const scheduled = {
      type: 'EXCHANGE_SCHEDULED',
      exchangeId: 'x1',
      invitationId: 'i1',
      on: '2027-06-10',
      place: 'Düsseldorf',
    };
    const early = applyEvent(enrolment, completed.persisted, { ...scheduled, today: '2027-01-10' } as never, zone);
    expect(early.state).toBe('alumni');
    expect(early.effects).toEqual([]);
    expect(early.timers.map((t) => t.key)).toEqual([
      'reminder:exchange-invitation:x1:-P8W:anna@example.org',
      'reminder:exchange-invitation:x1:-P8W:ben@example.org',
    ]);
    const late = applyEvent(enrolment, completed.persisted, { ...scheduled, today: '2027-05-20' } as never, zone);
    expect(late.effects.map((e) => e.key)).toEqual([
      'exchange-invitation:x1:anna@example.org',
      'exchange-invitation:x1:ben@example.org',
    ]);
    // Scheduled on the working day its invitation was moved back to (6 May 2027 is Ascension Day): invited at once.
    const onMovedDay = applyEvent(
      enrolment,
      completed.persisted,
      { ...scheduled, on: '2027-07-01', today: '2027-05-05' } as never,
      zone,
    );
    expect(onMovedDay.effects.map((e) => e.key)).toEqual([
      'exchange-invitation:x1:anna@example.org',
      'exchange-invitation:x1:ben@example.org',
    ]);
    expect(onMovedDay.timers).toEqual([]);
    const accepted = applyEvent(
      enrolment,
      early.persisted,
      { type: 'EXCHANGE_ANSWERED', exchangeId: 'x1', answer: 'accepted', answeredAt: at } as never,
      zone,
    );
    expect(accepted.timers.map((t) => t.key)).toContain('reminder:exchange-reminder:x1:-P1W:ben@example.org');
    // A member changes under an exemption after completion: the invitation goes to the new member.
    const clara: Member = {
      personId: 'p-new',
      name: 'Clara Neu',
      email: 'clara@example.org',
      language: 'de',
      supervision: 'upper',
      office: 'Bezirksregierung Arnsberg',
    };
    const changed = applyEvent(
      enrolment,
      early.persisted,
      {
        type: 'MEMBER_REPLACED',
        tandemId: 't2',
        members: [members[0], clara],
        creditedModules: [],
        exemption: { on: '2027-02-01', reason: 'Nachfolge', replaced: 'p-upper', by: 'p-new' },
      } as never,
      zone,
    );
    expect(changed.timers.map((t) => t.key)).toEqual([
      'reminder:exchange-invitation:x1:-P8W:anna@example.org',
      'reminder:exchange-invitation:x1:-P8W:clara@example.org',
    ]);
    expect(
      applyEvent(
        enrolment,
        early.persisted,
        { type: 'TANDEM_REFORMED', successorTandemId: 't2', reason: 'Wechsel' } as never,
        zone,
      ),
    ).toMatchObject({ state: 'reformed', timers: [] });
  });
});

describe('qualification-group machine (a group)', () => {
  const set = { type: 'CURRICULUM_SET', events: curriculum, reflectionDueDaysBefore: 7, at };

  it('seats tandems up to its capacity by its own roster and waitlists the next; a seat freed moves the first waiting tandem up', () => {
    const full = runGroup(1, { type: 'TANDEM_PLACED', seat: seat('a') });
    expect(() => applyEvent(group, full.persisted, { type: 'TANDEM_PLACED', seat: seat('b') } as never, zone)).toThrow(
      /TANDEM_PLACED is not allowed/,
    );
    const waiting = applyEvent(group, full.persisted, { type: 'TANDEM_WAITLISTED', seat: seat('b') } as never, zone);
    expect(() =>
      applyEvent(group, waiting.persisted, { type: 'TANDEM_MOVED_UP', enrolmentId: 'b', at } as never, zone),
    ).toThrow(/not allowed/);
    const left = applyEvent(
      group,
      waiting.persisted,
      { type: 'TANDEM_LEFT', enrolmentId: 'a', reason: 'withdrawn' } as never,
      zone,
    );
    const movedUp = applyEvent(group, left.persisted, { type: 'TANDEM_MOVED_UP', enrolmentId: 'b', at } as never, zone);
    expect((movedUp.context as unknown as GroupContext).roster.map((s) => s.enrolmentId)).toEqual(['b']);
    expect((movedUp.context as unknown as GroupContext).waitingList).toEqual([]);
  });

  it('sets its curriculum once, with reflection phases between the events, and starts on the first event day', () => {
    const planned = runGroup(8, set);
    const context = planned.context as unknown as GroupContext;
    expect(context.reflections.map((r) => [r.afterEventId, r.beforeEventId, r.dueOn])).toEqual([
      ['e1', 'e2', '2026-04-13'],
      ['e2', 'e3', '2026-06-01'],
    ]);
    expect(context.reflections[0].id).toBe(reflectionPhaseId('g', 'e1', 'e2'));
    expect(() => applyEvent(group, planned.persisted, set as never, zone)).toThrow(/CURRICULUM_SET is not allowed/);
    expect(planned.timers.find((t) => t.key === 'qualification-starts')?.dueAt.toISOString()).toBe(
      '2026-03-01T23:00:00.000Z',
    );
    expect(applyEvent(group, planned.persisted, { type: 'due.qualificationStarts' } as never, zone).state).toBe(
      'running',
    );
  });

  it('reminds the members of its seated tandems and its moderators of each event, 14 and 2 days before', () => {
    const seated = runGroup(8, set, { type: 'TANDEM_PLACED', seat: seat('a') });
    const keys = seated.timers.map((t) => [t.key, t.dueAt.toISOString()]);
    expect(keys).toEqual(
      expect.arrayContaining([
        ['reminder:event-upcoming:e1:-P14D:anna@example.org', '2026-02-16T07:00:00.000Z'],
        // 2 days before Monday 2 March is a Saturday: sent on Friday.
        ['reminder:event-upcoming:e1:-P2D:ben@example.org', '2026-02-27T07:00:00.000Z'],
        ['reminder:event-upcoming:e1:-P2D:mona@institut.example', '2026-02-27T07:00:00.000Z'],
        [
          'reminder:reflection-due:' + reflectionPhaseId('g', 'e1', 'e2') + ':-P7D:anna@example.org',
          '2026-04-02T06:00:00.000Z',
        ],
      ]),
    );
    expect(keys.filter(([key]) => String(key).startsWith('reminder:event-upcoming:e1:')).length).toBe(2 * 3);
    const left = applyEvent(
      group,
      seated.persisted,
      { type: 'TANDEM_LEFT', enrolmentId: 'a', reason: 'withdrawn' } as never,
      zone,
    );
    expect(left.timers.filter((t) => t.key.endsWith('anna@example.org'))).toEqual([]);
  });

  it('moves an event with a reason: new reminders for the new date, a raised sequence, phases that follow, a notice to everyone', () => {
    const seated = runGroup(8, set, { type: 'TANDEM_PLACED', seat: seat('a') });
    const moved = applyEvent(
      group,
      seated.persisted,
      {
        type: 'EVENT_MOVED',
        eventId: 'e2',
        days: ['2026-05-04', '2026-05-05'],
        startTime: '10:00',
        place: 'Hamm',
        reason: 'Raum nicht verfügbar',
        at: '2026-02-01T10:00:00.000Z',
      } as never,
      zone,
    );
    const context = moved.context as unknown as GroupContext;
    expect(context.events[1]).toMatchObject({
      id: 'e2',
      days: ['2026-05-04', '2026-05-05'],
      sequence: 1,
      status: 'scheduled',
      changeReason: 'Raum nicht verfügbar',
    });
    expect(context.reflections.map((r) => r.dueOn)).toEqual(['2026-04-27', '2026-06-01']);
    expect(moved.timers.map((t) => t.key)).toContain('reminder:event-upcoming:e2~1:-P14D:anna@example.org');
    expect(moved.timers.map((t) => t.key)).not.toContain('reminder:event-upcoming:e2:-P14D:anna@example.org');
    expect(moved.effects.map((e) => e.key).sort()).toEqual([
      'event-changed:e2:1:anna@example.org',
      'event-changed:e2:1:ben@example.org',
      'event-changed:e2:1:mona@institut.example',
    ]);
    expect((moved.effects[0].payload as { template: string }).template).toBe('tandem-qualification/event-changed');
    // The notice carries the event's calendar entries as the feeds have them: same UIDs, the raised SEQUENCE.
    expect((moved.effects[0].payload as { calendarEvents: object[] }).calendarEvents).toEqual([
      expect.objectContaining({
        uid: 'e2-1@lotse',
        start: '2026-05-04T10:00',
        sequence: 1,
        changedAt: '2026-02-01T10:00:00.000Z',
      }),
      expect.objectContaining({ uid: 'e2-2@lotse', start: '2026-05-05T10:00', sequence: 1 }),
    ]);
  });

  it('cancels an event: it stays in the schedule as cancelled, its reminders go, the phases close the gap', () => {
    const extra = {
      ...set,
      events: [
        ...curriculum,
        {
          id: 'e4',
          module: 'data-informed-steering',
          title: 'Datengestützte Steuerung',
          titleEn: null,
          days: ['2026-09-14'],
          startTime: '09:00',
          hours: 8,
          place: 'Soest',
        },
      ],
    };
    const cancelled = applyEvent(
      group,
      runGroup(8, extra, { type: 'TANDEM_PLACED', seat: seat('a') }).persisted,
      {
        type: 'EVENT_CANCELLED',
        eventId: 'e3',
        reason: 'Referentin erkrankt',
        at: '2026-02-01T10:00:00.000Z',
      } as never,
      zone,
    );
    const context = cancelled.context as unknown as GroupContext;
    expect(context.events.map((e) => [e.id, e.status, e.sequence])).toEqual([
      ['e1', 'scheduled', 0],
      ['e2', 'scheduled', 0],
      ['e3', 'cancelled', 1],
      ['e4', 'scheduled', 0],
    ]);
    expect(context.reflections.map((r) => [r.afterEventId, r.beforeEventId])).toEqual([
      ['e1', 'e2'],
      ['e2', 'e4'],
    ]);
    expect(cancelled.timers.some((t) => t.key.includes(':e3'))).toBe(false);
    expect((cancelled.effects[0].payload as { calendarEvents: object[] }).calendarEvents).toEqual([
      expect.objectContaining({ uid: 'e3-1@lotse', sequence: 1, cancelled: true }),
      expect.objectContaining({ uid: 'e3-2@lotse', sequence: 1, cancelled: true }),
    ]);
    expect(context.events[3]).toMatchObject({ title: 'Datengestützte Steuerung', titleEn: 'Datengestützte Steuerung' });
  });
});
