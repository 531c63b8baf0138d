/**
 * A workflow drawn from its XState machine: every state, every transition that changes state (labelled with the
 * events that take it), compound states as frames around their children, the instance's current state marked, and
 * under it the instance's journal as a timeline. Pure functions over the machine's resolved state nodes and the
 * journal: nothing is drawn by hand, so a changed machine is drawn as it now is. Layout by dagre (layered).
 */
import dagre from '@dagrejs/dagre';
import type { AnyStateMachine } from 'xstate';

/** The parts of an XState state node the diagram reads. */
interface StateNodeLike {
  id: string;
  key: string;
  path: string[];
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  states: Record<string, StateNodeLike>;
  transitions: Map<string, { eventType: string; target?: readonly StateNodeLike[] }[]>;
  always?: { target?: readonly StateNodeLike[] }[];
  initial?: { target: readonly StateNodeLike[] };
}

export interface DiagramState {
  /** The state's path, as the engine names states: `active.running`. */
  path: string;
  label: string;
  kind: 'atomic' | 'compound' | 'final';
  /** The compound state it belongs to, or null at the top. */
  parent: string | null;
  initial: boolean;
}

export interface DiagramTransition {
  from: string;
  to: string;
  /** The events that take this step; `due.*` are deadlines the engine fires. */
  events: string[];
}

export interface StateGraph {
  states: DiagramState[];
  transitions: DiagramTransition[];
}

const pathOf = (node: StateNodeLike) => node.path.join('.');

/** The states and state-changing transitions of a machine (transitions that only record data are left out). */
export function stateGraph(machine: AnyStateMachine): StateGraph {
  const root = machine.root as unknown as StateNodeLike;
  const states: DiagramState[] = [];
  const transitions = new Map<string, DiagramTransition>();
  const initialLeaves = new Set<string>();
  const enter = (node: StateNodeLike): StateNodeLike =>
    node.type === 'compound' && node.initial?.target[0] ? enter(node.initial.target[0]) : node;
  if (root.initial?.target[0]) initialLeaves.add(pathOf(enter(root.initial.target[0])));

  const visit = (node: StateNodeLike, parent: string | null) => {
    const path = pathOf(node);
    states.push({
      path,
      label: node.key,
      kind:
        node.type === 'final' ? 'final' : node.type === 'compound' || node.type === 'parallel' ? 'compound' : 'atomic',
      parent,
      initial: initialLeaves.has(path),
    });
    const steps = [...node.transitions.values()].flat().map((t) => ({ event: t.eventType, targets: t.target ?? [] }));
    for (const t of node.always ?? []) steps.push({ event: '(sofort)', targets: t.target ?? [] });
    for (const { event, targets } of steps) {
      for (const target of targets) {
        const to = pathOf(enter(target));
        if (to === path) continue;
        const key = `${path}->${to}`;
        const transition = transitions.get(key) ?? { from: path, to, events: [] };
        if (!transition.events.includes(event)) transition.events.push(event);
        transitions.set(key, transition);
      }
    }
    for (const child of Object.values(node.states)) visit(child, path);
  };
  for (const child of Object.values(root.states)) visit(child, null);
  return { states, transitions: [...transitions.values()] };
}

export interface JournalLine {
  seq: number;
  at: string;
  actorId: string;
  actorRole: string;
  eventType: string;
  stateBefore: string | null;
  stateAfter: string;
}

export interface DiagramOptions {
  title: string;
  /** The instance's current state(s), as the engine writes them: `active.running`, or several joined by commas. */
  current: string;
  journal: JournalLine[];
  /** Formats an instant for the timeline (the caller's zone and language). */
  formatInstant: (iso: string) => string;
  /** Draw the journal under the diagram (default); a page that lists the journal itself leaves it out. */
  withJournal?: boolean;
}

const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const NODE_HEIGHT = 40;
const CHAR = 7.4;
const CURRENT_FILL = '#fff3c4';
const CURRENT_STROKE = '#8a5a00';
const INK = '#1a1a1a';
const EDGE = '#4a5a6a';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const textWidth = (text: string, char = CHAR) => text.length * char;

/** The diagram as an SVG document: accessible (title, description listing states and transitions), printable. */
export function stateDiagramSvg(graph: StateGraph, options: DiagramOptions): string {
  const current = new Set(options.current.split(','));
  const isCurrent = (path: string) => current.has(path) || [...current].some((c) => c.startsWith(`${path}.`));
  const leaves = graph.states.filter((s) => s.kind !== 'compound');
  const compounds = graph.states.filter((s) => s.kind === 'compound');
  const leavesOf = (path: string) => leaves.filter((l) => l.path.startsWith(`${path}.`)).map((l) => l.path);

  const g = new dagre.graphlib.Graph({ multigraph: true, compound: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 64, edgesep: 18, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const c of compounds) g.setNode(c.path, { width: 0, height: 0, paddingTop: 28 });
  for (const s of leaves) {
    const width = Math.max(120, textWidth(s.label) + 36 + (isCurrent(s.path) ? 0 : 0));
    g.setNode(s.path, { width, height: isCurrent(s.path) ? NODE_HEIGHT + 16 : NODE_HEIGHT });
  }
  for (const s of graph.states) if (s.parent) g.setParent(s.path, s.parent);
  /** Edges from a compound state are drawn from its frame; for the layout each of its states points at the target. */
  const fromFrame: DiagramTransition[] = [];
  graph.transitions.forEach((t, i) => {
    if (compounds.some((c) => c.path === t.from)) {
      fromFrame.push(t);
      for (const leaf of leavesOf(t.from))
        if (!leaf.startsWith(`${t.to}.`) && leaf !== t.to)
          g.setEdge(leaf, t.to, { weight: 0, minlen: 1 }, `frame${i}-${leaf}`);
    } else {
      g.setEdge(t.from, t.to, { ...labelSize(t.events), labelpos: 'c' }, `t${i}`);
    }
  });
  dagre.layout(g);

  const box = (path: string) => {
    const n = g.node(path) as { x: number; y: number; width: number; height: number };
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, cx: n.x, cy: n.y };
  };
  const parts: string[] = [];
  const graphLabel = g.graph() as { width: number; height: number };
  let width = Math.max(graphLabel.width, 520);
  const diagramHeight = graphLabel.height;

  // Frames of compound states, outermost first.
  for (const c of [...compounds].sort((a, b) => a.path.split('.').length - b.path.split('.').length)) {
    const b = box(c.path);
    parts.push(
      `<g class="compound"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="14" fill="${isCurrent(c.path) ? '#fffaf0' : '#f4f6f8'}" stroke="#7a8794" stroke-dasharray="6 4"/>` +
        `<text x="${b.x + 12}" y="${b.y + 19}" font-size="13" font-weight="bold" fill="${INK}">${escape(c.label)}</text></g>`,
    );
  }
  // Transitions.
  for (const e of g.edges()) {
    const label = g.edge(e) as { points: { x: number; y: number }[]; x?: number; y?: number };
    if (e.name?.startsWith('frame')) continue;
    const t = graph.transitions[Number(e.name!.slice(1))];
    const d = smoothPath(label.points);
    parts.push(`<path d="${d}" fill="none" stroke="${EDGE}" stroke-width="1.4" marker-end="url(#arrow)"/>`);
    if (label.x !== undefined && label.y !== undefined) parts.push(edgeLabel(t.events, label.x, label.y));
  }
  for (const t of fromFrame) {
    const frame = box(t.from);
    const target = box(t.to);
    const x = Math.min(Math.max(target.cx, frame.x + 24), frame.x + frame.width - 24);
    const from = { x, y: frame.y + frame.height };
    const to = { x: target.cx, y: target.y };
    parts.push(
      `<path d="M${from.x},${from.y} L${to.x},${to.y}" fill="none" stroke="${EDGE}" stroke-width="1.4" marker-end="url(#arrow)"/>`,
    );
    parts.push(edgeLabel(t.events, (from.x + to.x) / 2, (from.y + to.y) / 2));
  }
  // States.
  for (const s of leaves) {
    const b = box(s.path);
    const now = isCurrent(s.path);
    const fill = now ? CURRENT_FILL : s.kind === 'final' ? '#eceff1' : '#ffffff';
    const stroke = now ? CURRENT_STROKE : '#37474f';
    parts.push(
      `<g class="state${now ? ' current' : ''}" data-state="${escape(s.path)}">` +
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="${s.kind === 'final' ? 20 : 8}" fill="${fill}" stroke="${stroke}" stroke-width="${now ? 3 : 1.4}"/>` +
        (s.kind === 'final'
          ? `<rect x="${b.x + 4}" y="${b.y + 4}" width="${b.width - 8}" height="${b.height - 8}" rx="16" fill="none" stroke="${stroke}" stroke-width="1"/>`
          : '') +
        `<text x="${b.cx}" y="${now ? b.cy - 2 : b.cy + 5}" text-anchor="middle" font-size="14" fill="${INK}"${now ? ' font-weight="bold"' : ''}>${escape(s.label)}</text>` +
        (now
          ? `<text x="${b.cx}" y="${b.cy + 17}" text-anchor="middle" font-size="11" fill="${CURRENT_STROKE}">● aktueller Zustand</text>`
          : '') +
        (s.initial
          ? `<circle cx="${b.x - 14}" cy="${b.cy}" r="6" fill="${INK}"/><path d="M${b.x - 8},${b.cy} L${b.x - 2},${b.cy}" stroke="${INK}" stroke-width="1.4" marker-end="url(#arrow)"/>`
          : '') +
        '</g>',
    );
  }

  // The journal as a timeline below the diagram: one entry per accepted event, oldest first.
  const withJournal = options.withJournal ?? true;
  const timelineTop = diagramHeight + 40;
  const rowHeight = 44;
  const timeline: string[] = [
    `<text x="24" y="${timelineTop}" font-size="15" font-weight="bold" fill="${INK}">Verlauf (Journal)</text>`,
  ];
  const lineX = 40;
  if (options.journal.length) {
    timeline.push(
      `<path d="M${lineX},${timelineTop + 18} L${lineX},${timelineTop + 10 + options.journal.length * rowHeight}" stroke="#90a4ae" stroke-width="2"/>`,
    );
  }
  options.journal.forEach((entry, i) => {
    const y = timelineTop + 30 + i * rowHeight;
    const step =
      entry.stateBefore === null
        ? `→ ${entry.stateAfter}`
        : entry.stateBefore === entry.stateAfter
          ? `in ${entry.stateAfter}`
          : `${entry.stateBefore} → ${entry.stateAfter}`;
    const first = `${options.formatInstant(entry.at)}  ·  ${entry.eventType}`;
    const second = `${step}  ·  ${entry.actorRole} ${entry.actorId}`;
    if (withJournal) width = Math.max(width, 64 + textWidth(first, 7.6), 64 + textWidth(second, 6.8));
    timeline.push(
      `<g class="journal-entry"><circle cx="${lineX}" cy="${y - 4}" r="6" fill="${entry.stateBefore !== entry.stateAfter ? CURRENT_STROKE : '#90a4ae'}"/>` +
        `<text x="${lineX + 18}" y="${y}" font-size="13" fill="${INK}">${escape(first)}</text>` +
        `<text x="${lineX + 18}" y="${y + 17}" font-size="12" fill="#37474f">${escape(second)}</text></g>`,
    );
  });
  if (!options.journal.length)
    timeline.push(`<text x="24" y="${timelineTop + 26}" font-size="13" fill="#37474f">Noch keine Einträge.</text>`);
  const height = withJournal ? timelineTop + 30 + Math.max(options.journal.length, 1) * rowHeight : diagramHeight;

  const description = [
    `Zustände: ${leaves.map((s) => s.path).join(', ')}.`,
    `Aktueller Zustand: ${options.current}.`,
    `Übergänge: ${graph.transitions.map((t) => `${t.from} → ${t.to} (${t.events.join(', ')})`).join('; ')}.`,
    ...(withJournal ? [`Journal: ${options.journal.length} Einträge.`] : []),
  ].join(' ');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="img" aria-labelledby="diagram-title diagram-desc" font-family="${FONT}">` +
    `<title id="diagram-title">${escape(options.title)}</title><desc id="diagram-desc">${escape(description)}</desc>` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE}"/></marker></defs>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    parts.join('') +
    (withJournal ? timeline.join('') : '') +
    '</svg>\n'
  );
}

const LABEL_LINE = 14;

/**
 * A smooth path through every one of dagre's points (a Catmull-Rom spline as cubic curves), so an edge passes through
 * the point where dagre put its label.
 */
function smoothPath(points: { x: number; y: number }[]): string {
  const f = (n: number) => n.toFixed(1);
  const at = (i: number) => points[Math.max(0, Math.min(points.length - 1, i))];
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  for (let i = 0; i < points.length - 1; i++) {
    const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${f(c1.x)},${f(c1.y)} ${f(c2.x)},${f(c2.y)} ${f(p2.x)},${f(p2.y)}`;
  }
  return d;
}

function labelSize(events: string[]): { width: number; height: number } {
  const lines = wrap(events.join(', '), 36);
  return { width: Math.max(...lines.map((l) => textWidth(l, 6.4))) + 8, height: lines.length * LABEL_LINE + 4 };
}

function edgeLabel(events: string[], x: number, y: number): string {
  const lines = wrap(events.join(', '), 36);
  const { width } = labelSize(events);
  const top = y - (lines.length * 14) / 2;
  return (
    `<g class="transition-label"><rect x="${(x - width / 2).toFixed(1)}" y="${(top - 2).toFixed(1)}" width="${width.toFixed(1)}" height="${lines.length * 14 + 4}" fill="#ffffff" opacity="0.92"/>` +
    lines
      .map(
        (line, i) =>
          `<text x="${x.toFixed(1)}" y="${(top + 11 + i * 14).toFixed(1)}" text-anchor="middle" font-size="11" fill="#263238">${escape(line)}</text>`,
      )
      .join('') +
    '</g>'
  );
}

/** Breaks a list of event names after commas into lines of about `max` characters. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
