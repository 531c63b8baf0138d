import { dayOf } from '../../workflows/shared/calendar-day.js';

/** The one source of "now". Nothing else in Lotse constructs the current time. */
export abstract class Clock {
  abstract now(): Date;

  /** Today's calendar day (YYYY-MM-DD) in `timeZone`. */
  today(timeZone: string): string {
    return dayOf(this.now(), timeZone);
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock for tests and the demo: stands still until moved. Moving it backwards is refused. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date | string) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    const target = new Date(to).getTime();
    if (Number.isNaN(target)) throw new Error(`FakeClock.set: invalid date ${String(to)}`);
    if (target < this.current)
      throw new Error(
        `FakeClock.set: cannot move back from ${this.now().toISOString()} to ${new Date(target).toISOString()}`,
      );
    this.current = target;
  }
}
