/**
 * The yearly evaluation report the ministry reads before its Dienstbesprechung (decree section II.5: every event and
 * every offer of the qualification is evaluated; the ministry meets at least once a year on the findings). Plain
 * aggregation over plain data: which events and exchanges belong to a year, and the figures of each event, each
 * module, each exchange and the whole year. No names of respondents ever reach it, only ratings and whether a comment
 * was written.
 */
import { CORE_MODULES, moduleTitle } from '../tandem-qualification/model.js';

/** The rating scale of every evaluation: 1 (poor) to 5 (very good). German readers expect school grades the other way round. */
export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

/** One response as the report sees it: the rating and whether a comment was written (never its text, never who). */
export interface Response {
  rating: number;
  commented: boolean;
}

export interface Figures {
  responses: number;
  /** Arithmetic mean of the ratings, to two decimals; null without responses. */
  meanRating: number | null;
  /** Responses per rating, `{"1": n, …, "5": n}`. */
  distribution: Record<`${Rating}`, number>;
  /** Responses that carry a comment. */
  comments: number;
}

export interface EventInput {
  eventId: string;
  module: string;
  title: string | null;
  titleEn: string | null;
  groupId: string;
  groupName: string;
  /** Calendar days, ascending; the event belongs to the year of its first day. */
  days: string[];
  place: string;
  /** Persons recorded present; null while the attendance is not recorded. */
  participants: number | null;
  responses: Response[];
}

export interface ExchangeInput {
  exchangeId: string;
  on: string;
  place: string;
  invitedTandems: number;
  acceptedTandems: number;
  /** Members of the tandems that accepted: who may evaluate it. */
  participants: number;
  responses: Response[];
}

export interface EventFigures extends Figures {
  eventId: string;
  groupId: string;
  groupName: string;
  days: string[];
  place: string;
  participants: number | null;
}

export interface ModuleFigures extends Figures {
  module: string;
  title: string;
  titleEn: string;
  events: EventFigures[];
}

export interface ExchangeFigures extends Figures {
  exchangeId: string;
  on: string;
  place: string;
  invitedTandems: number;
  acceptedTandems: number;
  participants: number;
}

export interface EvaluationReport {
  year: number;
  /** Every response of the year: all events and the exchange. */
  total: Figures & { events: number; exchanges: number };
  modules: ModuleFigures[];
  exchanges: ExchangeFigures[];
}

/** The year a report covers: four digits, as the API takes it. */
export function isReportYear(value: string): boolean {
  return /^\d{4}$/.test(value) && Number(value) >= 1;
}

export function figuresOf(responses: Response[]): Figures {
  const distribution = Object.fromEntries(RATINGS.map((rating) => [String(rating), 0])) as Figures['distribution'];
  let sum = 0;
  for (const response of responses) {
    const key = String(response.rating) as `${Rating}`;
    if (!(key in distribution)) throw new Error(`a rating is 1 to 5, not ${response.rating}`);
    distribution[key]++;
    sum += response.rating;
  }
  return {
    responses: responses.length,
    meanRating: responses.length ? Math.round((sum / responses.length) * 100) / 100 : null,
    distribution,
    comments: responses.filter((response) => response.commented).length,
  };
}

/**
 * The report of `year`: the events whose first day falls in it, by module (the core modules in the decree's order,
 * then further modules by their first event), each module's events by day and group; the exchanges held in it; and
 * the year's total over all of them. A module's title is the one its first event gives, else the decree's.
 */
export function evaluationReport(year: number, events: EventInput[], exchanges: ExchangeInput[]): EvaluationReport {
  const prefix = `${String(year).padStart(4, '0')}-`;
  const ofYear = events
    .filter((event) => event.days[0]?.startsWith(prefix))
    .sort(
      (a, b) =>
        a.days[0].localeCompare(b.days[0]) ||
        a.groupName.localeCompare(b.groupName, 'de') ||
        a.eventId.localeCompare(b.eventId),
    );
  const byModule = new Map<string, EventInput[]>();
  for (const event of ofYear) byModule.set(event.module, [...(byModule.get(event.module) ?? []), event]);
  const rank = (module: string) => {
    const core = (CORE_MODULES as readonly string[]).indexOf(module);
    return core >= 0 ? core : CORE_MODULES.length;
  };
  const modules = [...byModule.entries()]
    .sort(
      ([a, aEvents], [b, bEvents]) =>
        rank(a) - rank(b) || aEvents[0].days[0].localeCompare(bEvents[0].days[0]) || a.localeCompare(b),
    )
    .map(([module, moduleEvents]): ModuleFigures => {
      const first = moduleEvents[0];
      return {
        module,
        title: moduleTitle(module, 'de', first),
        titleEn: moduleTitle(module, 'en', first),
        ...figuresOf(moduleEvents.flatMap((event) => event.responses)),
        events: moduleEvents.map((event) => ({
          eventId: event.eventId,
          groupId: event.groupId,
          groupName: event.groupName,
          days: event.days,
          place: event.place,
          participants: event.participants,
          ...figuresOf(event.responses),
        })),
      };
    });
  const exchangesOfYear = exchanges
    .filter((exchange) => exchange.on.startsWith(prefix))
    .sort((a, b) => a.on.localeCompare(b.on))
    .map(({ responses, ...exchange }): ExchangeFigures => ({ ...exchange, ...figuresOf(responses) }));
  const all = [
    ...ofYear.flatMap((event) => event.responses),
    ...exchanges.filter((exchange) => exchange.on.startsWith(prefix)).flatMap((exchange) => exchange.responses),
  ];
  return {
    year,
    total: { events: ofYear.length, exchanges: exchangesOfYear.length, ...figuresOf(all) },
    modules,
    exchanges: exchangesOfYear,
  };
}
