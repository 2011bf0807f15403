import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { STORABLE_TEXT } from '../../common/validation/storable-text.js';
import { TASK_PRIORITIES } from '../task.entity.js';
import { normalizeTags } from '../task-tags.js';
import { IsRfc3339DateTime } from './date-time.validator.js';

/**
 * The validation and documentation of each writable task field, shared by the API's DTOs and the
 * compatibility adapter's (which name some fields differently), so the rules live in one place.
 */

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 1000;
export const TAGS_MAX = 20;
export const TAG_MAX = 40;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
// Text PostgreSQL stores exactly as sent: field errors instead of a database error or a changed value.
const storableText = (each = false) =>
  Matches(STORABLE_TEXT, { each, message: `${each ? 'each of ' : ''}$property must be Unicode text without the NUL character (U+0000)` });
/** Optional, but not nullable: `null` is validated (and rejected) rather than skipped. */
const presentOnly = ValidateIf((_object: object, value: unknown) => value !== undefined);

export const TitleField = () =>
  applyDecorators(
    ApiProperty({ description: 'What to do. Leading and trailing spaces are trimmed.', minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' }),
    trim,
    IsString(),
    Length(1, TITLE_MAX, { message: `$property must be 1 to ${TITLE_MAX} characters long (after trimming)` }),
    storableText(),
  );

export const DescriptionField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Free text; `null` clears it.', type: String, nullable: true, maxLength: DESCRIPTION_MAX, example: 'Two litres, semi-skimmed' }),
    IsOptional(),
    IsString(),
    MaxLength(DESCRIPTION_MAX, { message: `$property must be at most ${DESCRIPTION_MAX} characters long` }),
    storableText(),
  );

export const CompletedField = () =>
  applyDecorators(ApiPropertyOptional({ description: 'Whether the task is done.', type: Boolean, default: false }), presentOnly, IsBoolean());

export const PriorityField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'How urgent the task is.', enum: TASK_PRIORITIES, enumName: 'TaskPriority', default: 'none' }),
    presentOnly,
    IsIn(TASK_PRIORITIES, { message: `$property must be one of ${TASK_PRIORITIES.join(', ')}` }),
  );

export const TagsField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: `Up to ${TAGS_MAX} labels of 1 to ${TAG_MAX} characters each, trimmed; duplicates (ignoring case) are dropped, keeping the first spelling and the order.`,
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: TAG_MAX },
      maxItems: TAGS_MAX,
      example: ['home', 'errands'],
    }),
    presentOnly,
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? normalizeTags(value) : value)),
    IsArray(),
    ArrayMaxSize(TAGS_MAX, { message: `$property must have at most ${TAGS_MAX} distinct tags` }),
    IsString({ each: true, message: 'each of $property must be a string' }),
    Length(1, TAG_MAX, { each: true, message: `each of $property must be 1 to ${TAG_MAX} characters long (after trimming)` }),
    storableText(true),
  );

export const DueAtField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'When the task is due: an RFC 3339 date-time with an offset, kept to the millisecond; `null` clears it.',
      type: String,
      format: 'date-time',
      nullable: true,
      example: '2026-05-01T09:00:00Z',
    }),
    IsOptional(),
    IsRfc3339DateTime(),
  );
