import { describe, expect, it } from '@jest/globals';
import { applyEvent, startInstance, type Step } from '../../src/engine/machine-runtime.js';
import { tandemQualificationWorkflow } from './machine.js';
import type { Member, ScheduledEvent } from './model.js';

const definition = tandemQualificationWorkflow();
const zone = 'Europe/Berlin';
const members: Member[] = [
  { personId: 'p-lower', name: 'Anna Schulamt', email: 'anna@example.org', language: 'de', supervision: 'lower' },
  { personId: 'p-upper', name: 'Ben Bezirk', email: 'ben@example.org', language: 'en', supervision: 'upper' },
];
const schedule: ScheduledEvent[] = [
  { id: 'e1', groupId: 'g', module: 'tandem-team', title: 'Das Tandem als Team', days: ['2026-03-02', '2026-03-03'], startTime: '09:00', hours: 16, place: 'Soest' },
];

function run(...events: object[]): Step {
  let step = startInstance(definition, { enrolmentId: 'en', tandemId: 't', networkId: 'n', networkName: 'Netzwerk Dortmund', districtId: 'arnsberg', members }, zone);
  for (const event of events) step = applyEvent(definition, step.persisted, event as never, zone);
  return step;
}

const involved = [
  { type: 'INVOLVEMENT_RECORDED', body: 'staff-council', involvement: { on: '2026-01-07', note: null, recordedBy: 'arnsberg' } },
  { type: 'INVOLVEMENT_RECORDED', body: 'equal-opportunities', involvement: { on: '2026-01-08', note: null, recordedBy: 'arnsberg' } },
];

describe('tandem-qualification machine', () => {
  it('is submitted only with both involvements recorded', () => {
    expect(() => run(involved[0], { type: 'SUBMIT' })).toThrow(/SUBMIT is not allowed in state nominated/);
    expect(run(...involved, { type: 'SUBMIT' }).state).toBe('registered');
  });

  it('declares the start of the qualification and the event reminders once placed', () => {
    const placed = run(...involved, { type: 'SUBMIT' }, { type: 'PLACED', groupId: 'g', groupName: 'A', schedule, reflections: [] });
    expect(placed.state).toBe('placed');
    expect(placed.timers.map((t) => [t.key, t.dueAt.toISOString()])).toEqual(expect.arrayContaining([
      ['qualification-starts', '2026-03-01T23:00:00.000Z'],
      ['reminder:event-upcoming:e1:-P14D:anna@example.org', '2026-02-16T07:00:00.000Z'],
      // 2 days before Monday 2 March is a Saturday: sent on Friday.
      ['reminder:event-upcoming:e1:-P2D:ben@example.org', '2026-02-27T07:00:00.000Z'],
    ]));
  });

  it('mails both members when certificates are issued and ends its reminders when withdrawn', () => {
    const inQualification = run(...involved, { type: 'SUBMIT' }, { type: 'PLACED', groupId: 'g', groupName: 'A', schedule, reflections: [] }, { type: 'due.qualificationStarts' });
    const completed = applyEvent(definition, inQualification.persisted, {
      type: 'CERTIFICATES_ISSUED', issuedOn: '2026-07-01',
      certificates: [{ personId: 'p-lower', certificateId: 'c1', code: 'AAAA', hours: 16 }, { personId: 'p-upper', certificateId: 'c2', code: 'BBBB', hours: 16 }],
    } as never, zone);
    expect(completed.state).toBe('completed');
    expect(completed.effects.map((e) => [e.kind, e.key, (e.payload as { template: string }).template])).toEqual([
      ['mail', 'certificate-issued:en:anna@example.org', 'tandem-qualification/certificate-issued'],
      ['mail', 'certificate-issued:en:ben@example.org', 'tandem-qualification/certificate-issued'],
    ]);
    const withdrawn = applyEvent(definition, inQualification.persisted, { type: 'WITHDRAW', reason: 'Stellenwechsel' } as never, zone);
    expect(withdrawn).toMatchObject({ state: 'withdrawn', timers: [] });
  });

  it('invites alumni by reminder 8 weeks ahead, or at once when scheduled later', () => {
    const completed = run(...involved, { type: 'SUBMIT' }, { type: 'PLACED', groupId: 'g', groupName: 'A', schedule, reflections: [] }, { type: 'due.qualificationStarts' },
      { type: 'CERTIFICATES_ISSUED', issuedOn: '2026-07-01', certificates: [] });
    const early = applyEvent(definition, completed.persisted, { type: 'EXCHANGE_SCHEDULED', exchangeId: 'x1', invitationId: 'i1', on: '2027-06-10', place: 'Düsseldorf', today: '2027-01-10' } as never, zone);
    expect(early.state).toBe('alumni');
    expect(early.effects).toEqual([]);
    expect(early.timers.map((t) => t.key)).toEqual(['reminder:exchange-invitation:x1:-P8W:anna@example.org', 'reminder:exchange-invitation:x1:-P8W:ben@example.org']);
    const late = applyEvent(definition, completed.persisted, { type: 'EXCHANGE_SCHEDULED', exchangeId: 'x1', invitationId: 'i1', on: '2027-06-10', place: 'Düsseldorf', today: '2027-05-20' } as never, zone);
    expect(late.effects.map((e) => e.key)).toEqual(['exchange-invitation:x1:anna@example.org', 'exchange-invitation:x1:ben@example.org']);
    const accepted = applyEvent(definition, early.persisted, { type: 'EXCHANGE_ANSWERED', exchangeId: 'x1', answer: 'accepted' } as never, zone);
    expect(accepted.timers.map((t) => t.key)).toContain('reminder:exchange-reminder:x1:-P1W:ben@example.org');
  });
});
