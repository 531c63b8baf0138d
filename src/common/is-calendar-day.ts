import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDay } from '../../workflows/shared/calendar-day.js';

/**
 * A DTO field holding a calendar day that exists, `YYYY-MM-DD` (workflows/shared/calendar-day.ts decides): 2025-02-30,
 * 2025-13-01 and 2025-2-3 are refused at the edge with 400 `request-schema`, before any rule or table sees them.
 * With `{ each: true }` every element of an array. The OpenAPI document marks such fields `format: date`.
 */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isCalendarDay',
        validator: {
          validate: (value) => isCalendarDay(value),
          defaultMessage: (args) =>
            `${args?.property ?? 'date'}${options?.each ? ' (each)' : ''} must be a calendar day YYYY-MM-DD that exists (2024-02-29 does, 2025-02-29 does not)`,
        },
      },
      options,
    ),
    ApiProperty(options?.each ? { type: 'string', format: 'date', isArray: true } : { type: 'string', format: 'date' }),
  );
}
