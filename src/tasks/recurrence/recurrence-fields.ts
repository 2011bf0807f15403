import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, registerDecorator, type ValidationArguments } from 'class-validator';
import { parseRecurrenceRule, RecurrenceRuleError } from './recurrence-rule.js';
import { RECURRENCE_BASES } from './recurrence-series.js';
import { canonicalTimeZone } from './time-zone.js';

/** The validation and documentation of a task's recurrence fields (see recurrence-rule.ts). */

export const RECURRENCE_MAX = 500;

function ruleError(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    parseRecurrenceRule(value);
    return undefined;
  } catch (error) {
    if (error instanceof RecurrenceRuleError) return error.message;
    throw error;
  }
}

function IsRecurrenceRule(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRecurrenceRule',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args: ValidationArguments) => `${args.property}: ${ruleError(args.value) ?? 'not a recurrence rule'}` },
      validator: { validate: (value: unknown) => typeof value === 'string' && ruleError(value) === undefined },
    });
}

export const RecurrenceField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description:
        'An RFC 5545 RRULE: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, BYDAY (with ordinals such as 1MO, -1FR), BYMONTHDAY (negative counts from the end), ' +
        'BYMONTH, BYSETPOS, COUNT or UNTIL, WKST. `dueAt` is its first occurrence (DTSTART) and its time of day; needs `timeZone`. Any other part is a 400 naming it. ' +
        'Returned in canonical form. `null` ends the recurrence.',
      type: String,
      nullable: true,
      maxLength: RECURRENCE_MAX,
      example: 'FREQ=WEEKLY;BYDAY=MO',
    }),
    IsOptional(),
    IsString(),
    MaxLength(RECURRENCE_MAX),
    IsRecurrenceRule(),
  );

export const TimeZoneField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'An IANA time zone (`Europe/Berlin`): occurrences keep their local time of day in it across DST changes. Required with `recurrence`.',
      type: String,
      nullable: true,
      example: 'Europe/Berlin',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (canonicalTimeZone(value) ?? value) : value)),
    IsOptional(),
    IsString(),
    registerTimeZoneCheck(),
  );

function registerTimeZoneCheck(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone name, such as Europe/Berlin or UTC' },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) !== undefined },
    });
}

export const RecurrenceBaseField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description:
        '`due` (default): completing moves dueAt to the rule\'s next occurrence after the completed one. `completion`: to INTERVAL × FREQ after the day it was completed, ' +
        "at the series' time of day (\"3 days after I last did it\"); then only FREQ, INTERVAL, COUNT and UNTIL are allowed.",
      enum: RECURRENCE_BASES,
      default: 'due',
    }),
    IsOptional(),
    IsIn(RECURRENCE_BASES, { message: `$property must be one of ${RECURRENCE_BASES.join(', ')}` }),
  );
