import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { contractReviewMachine } from '../../workflows/contract-review/machine.js';
import { enrolmentMachine } from '../../workflows/tandem-qualification/machine.js';
import { stateDiagramSvg, stateGraph } from './state-diagram.js';

const journal = [
  {
    seq: 1,
    at: '2025-03-01T08:00:00.000Z',
    actorId: 'mk-lange',
    actorRole: 'contract_admin',
    eventType: 'CREATED',
    stateBefore: null,
    stateAfter: 'active.running',
  },
  {
    seq: 2,
    at: '2028-03-01T00:00:00.000Z',
    actorId: 'lotse',
    actorRole: 'system',
    eventType: 'due.review',
    stateBefore: 'active.running',
    stateAfter: 'active.reviewDue',
  },
];
const draw = (machine: Parameters<typeof stateGraph>[0], current: string) =>
  stateDiagramSvg(stateGraph(machine), {
    title: 'Vertrag',
    current,
    journal,
    formatInstant: (iso) => iso.slice(0, 10),
  });

describe('stateGraph', () => {
  it('reads states, the initial state and the state-changing transitions from the machine, compound states included', () => {
    const graph = stateGraph(contractReviewMachine);
    expect(graph.states.map((s) => [s.path, s.kind, s.parent, s.initial])).toEqual([
      ['active', 'compound', null, false],
      ['active.running', 'atomic', 'active', true],
      ['active.reviewDue', 'atomic', 'active', false],
      ['active.noticePeriod', 'atomic', 'active', false],
      ['terminated', 'final', null, false],
    ]);
    expect(graph.transitions).toEqual(
      expect.arrayContaining([
        { from: 'active', to: 'terminated', events: ['TERMINATE_EXTRAORDINARILY'] },
        { from: 'active.running', to: 'active.reviewDue', events: ['due.review'] },
        { from: 'active.running', to: 'active.noticePeriod', events: ['GIVE_NOTICE', 'DECIDE_REVIEW'] },
        { from: 'active.reviewDue', to: 'active.running', events: ['DECIDE_REVIEW'] },
        { from: 'active.noticePeriod', to: 'terminated', events: ['due.termination'] },
      ]),
    );
    // Transitions that only record data (an amendment, an annual report) change no state and are not drawn.
    expect(graph.transitions.flatMap((t) => t.events)).not.toContain('RECORD_ANNUAL_REPORT');
  });

  it('joins the events that take the same step', () => {
    const graph = stateGraph(enrolmentMachine());
    expect(graph.transitions.find((t) => t.from === 'nominated' && t.to === 'withdrawn')?.events).toEqual([
      'TANDEM_WITHDRAWN',
    ]);
    expect(graph.transitions.find((t) => t.from === 'registered' && t.to === 'placed')?.events).toEqual([
      'TANDEM_PLACED',
    ]);
    expect(graph.states.filter((s) => s.kind === 'final').map((s) => s.path)).toEqual(['withdrawn', 'reformed']);
  });
});

describe('stateDiagramSvg', () => {
  it('marks the current state, names every state and transition in its description, and draws the journal', () => {
    const svg = draw(contractReviewMachine, 'active.reviewDue');
    if (process.env.LOTSE_DIAGRAM_OUT) writeFileSync(process.env.LOTSE_DIAGRAM_OUT, svg);
    expect(svg).toMatch(/^<\?xml/);
    expect(svg.match(/class="state current"[^>]*data-state="([^"]+)"/)?.[1]).toBe('active.reviewDue');
    expect(svg.match(/class="state current"/g)).toHaveLength(1);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('Aktueller Zustand: active.reviewDue.');
    expect(svg).toContain('active.running → active.noticePeriod (GIVE_NOTICE, DECIDE_REVIEW)');
    expect(svg.match(/class="journal-entry"/g)).toHaveLength(2);
    expect(svg).toContain('2028-03-01  ·  due.review');
    // No coordinate is lost: a layout that failed would write NaN.
    expect(svg).not.toContain('NaN');
  });

  it('marks a final state as current', () => {
    const svg = draw(enrolmentMachine(), 'withdrawn');
    if (process.env.LOTSE_DIAGRAM_OUT)
      writeFileSync(process.env.LOTSE_DIAGRAM_OUT.replace('.svg', '-enrolment.svg'), svg);
    expect(svg.match(/class="state current"[^>]*data-state="([^"]+)"/)?.[1]).toBe('withdrawn');
  });
});
