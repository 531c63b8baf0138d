import { DateTime } from 'luxon';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for `YYYY-MM-DD` naming a day that exists: 2024-02-29 is one, 2025-02-29, 2025-02-30 and 2025-13-01 are not. */
export function isCalendarDay(value: unknown): value is string {
  return typeof value === 'string' && DAY.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/**
 * A request field that must be a real calendar day `YYYY-MM-DD`; anything else is refused at the edge (400) before
 * a rule or a date calculation sees it.
 */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isCalendarDay',
    target: target.constructor,
    propertyName: propertyName as string,
    options: { message: '$property must be a calendar day YYYY-MM-DD that exists, got $value', ...options },
    validator: { validate: isCalendarDay },
  });
}
