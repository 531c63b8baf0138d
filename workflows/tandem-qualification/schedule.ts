/**
 * A group's schedule as pure data changes: the curriculum set once, then single events moved, added or cancelled.
 * The reflection phases follow the events that take place: one between each two consecutive events, keyed by that
 * pair, so a phase keeps its id (and whether it was closed) as long as its two events follow each other.
 */
import { reflectionPhaseId } from './ids.js';
import {
  moduleTitle,
  type GroupContext,
  type PlannedEvent,
  type ReflectionTask,
  type ScheduledEvent,
} from './model.js';
import { reflectionPhases, type CurriculumEvent } from './rules.js';

/** The events that take place, in date order. */
export function heldEvents(events: ScheduledEvent[]): ScheduledEvent[] {
  return events.filter((e) => e.status === 'scheduled');
}

function byFirstDay(a: { days: string[] }, b: { days: string[] }): number {
  return a.days[0].localeCompare(b.days[0]);
}

/** The reflection phases between the held events; a phase that already existed keeps its state. */
export function phasesOf(
  groupId: string,
  events: ScheduledEvent[],
  daysBefore: number,
  previous: ReflectionTask[],
): ReflectionTask[] {
  const held = heldEvents(events);
  return reflectionPhases(held, daysBefore).map((window) => {
    const after = held[window.afterEvent].id;
    const before = held[window.beforeEvent].id;
    const id = reflectionPhaseId(groupId, after, before);
    const kept = previous.find((phase) => phase.id === id);
    return {
      id,
      afterEventId: after,
      beforeEventId: before,
      dueOn: window.dueOn,
      closed: kept?.closed ?? false,
      closedAt: kept?.closedAt ?? null,
      closedBy: kept?.closedBy ?? null,
    };
  });
}

type Titled = Pick<PlannedEvent, 'module' | 'title' | 'titleEn'>;

/**
 * The event as the group holds it, with its module's titles: its own, else those another block of the same module
 * gave, also a cancelled one (the curriculum rules ask for a title with one of them), else the decree's.
 */
function scheduled(groupId: string, event: PlannedEvent, at: string, blocks: Titled[]): ScheduledEvent {
  const sibling = blocks.find((block) => block.module === event.module && block.title);
  const given = { title: event.title || sibling?.title || null, titleEn: event.titleEn || sibling?.titleEn || null };
  return {
    ...event,
    groupId,
    title: moduleTitle(event.module, 'de', given),
    titleEn: moduleTitle(event.module, 'en', given),
    sequence: 0,
    status: 'scheduled',
    changedAt: at,
    changeReason: null,
  };
}

function withEvents(context: GroupContext, events: ScheduledEvent[]): Pick<GroupContext, 'events' | 'reflections'> {
  const sorted = [...events].sort(byFirstDay);
  return {
    events: sorted,
    reflections: phasesOf(context.groupId, sorted, context.reflectionDueDaysBefore, context.reflections),
  };
}

export function setCurriculum(
  context: GroupContext,
  events: PlannedEvent[],
  daysBefore: number,
  at: string,
): Pick<GroupContext, 'events' | 'reflections' | 'reflectionDueDaysBefore'> {
  return {
    reflectionDueDaysBefore: daysBefore,
    ...withEvents(
      { ...context, reflectionDueDaysBefore: daysBefore },
      events.map((e) => scheduled(context.groupId, e, at, events)),
    ),
  };
}

export interface EventChange {
  days: string[];
  startTime: string;
  place: string;
}

export function moveEvent(
  context: GroupContext,
  eventId: string,
  change: EventChange,
  reason: string,
  at: string,
): Pick<GroupContext, 'events' | 'reflections'> {
  return withEvents(
    context,
    context.events.map((e) =>
      e.id === eventId ? { ...e, ...change, sequence: e.sequence + 1, changedAt: at, changeReason: reason } : e,
    ),
  );
}

export function addEvent(
  context: GroupContext,
  event: PlannedEvent,
  reason: string,
  at: string,
): Pick<GroupContext, 'events' | 'reflections'> {
  return withEvents(context, [
    ...context.events,
    { ...scheduled(context.groupId, event, at, context.events), changeReason: reason },
  ]);
}

export function cancelEvent(
  context: GroupContext,
  eventId: string,
  reason: string,
  at: string,
): Pick<GroupContext, 'events' | 'reflections'> {
  return withEvents(
    context,
    context.events.map((e) =>
      e.id === eventId
        ? { ...e, status: 'cancelled' as const, sequence: e.sequence + 1, changedAt: at, changeReason: reason }
        : e,
    ),
  );
}

/** The held events as the curriculum rules see them (date order). */
export function curriculumOf(events: ScheduledEvent[]): CurriculumEvent[] {
  return heldEvents(events).map((e) => ({
    module: e.module,
    title: e.title,
    days: e.days,
    hours: e.hours,
    startTime: e.startTime,
  }));
}

/** The first day of the group's qualification: the first day of its first held event. */
export function firstDay(events: ScheduledEvent[]): string | null {
  return heldEvents(events)[0]?.days[0] ?? null;
}
