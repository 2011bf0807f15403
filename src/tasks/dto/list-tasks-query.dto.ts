import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { DUE_VIEWS, type DueView } from '../recurrence/due-view.js';
import { DEFAULT_LIMIT } from '../task-list.query.js';
import { TASK_PRIORITIES, type TaskPriority } from '../task.entity.js';
import { IsRfc3339DateTime } from './date-time.validator.js';
import { TAG_MAX, TAGS_MAX } from './task-fields.js';

export const TASK_STATUSES = ['all', 'open', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_SORT_FIELDS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;
export const TASK_SORTS = [...TASK_SORT_FIELDS.flatMap((field) => [field, `-${field}`]), 'relevance'] as const;
export type TaskSort = (typeof TASK_SORT_FIELDS)[number] | `-${(typeof TASK_SORT_FIELDS)[number]}` | 'relevance';
export const MAX_LIMIT = 100;

// Query strings are strings: these turn the few typed parameters into values, leaving anything
// unexpected as it is so that validation rejects it (no implicit conversion).
const toArray = Transform(({ value }: { value: unknown }) => (value === undefined || Array.isArray(value) ? value : [value]));
const toTrimmedArray = Transform(({ value }: { value: unknown }) =>
  value === undefined ? value : (Array.isArray(value) ? value : [value]).map((item: unknown) => (typeof item === 'string' ? item.trim() : item)),
);
const toBoolean = Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
const toInteger = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

export class ListTasksQueryDto {
  @ApiPropertyOptional({ description: 'Which tasks: all, open (not completed) or completed ones.', enum: TASK_STATUSES, default: 'all' })
  @IsOptional()
  @IsIn(TASK_STATUSES, { message: `$property must be one of ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional({ description: 'Only tasks with any of these priorities (repeat the parameter).', enum: TASK_PRIORITIES, enumName: 'TaskPriority', isArray: true })
  @IsOptional()
  @toArray
  @ArrayMaxSize(TASK_PRIORITIES.length)
  @IsIn(TASK_PRIORITIES, { each: true, message: `each $property must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority[];

  @ApiPropertyOptional({ description: 'Only tasks carrying all of these tags, ignoring case (repeat the parameter).', type: [String], maxItems: TAGS_MAX })
  @IsOptional()
  @toTrimmedArray
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true, message: 'each $property must be a string' })
  @Length(1, TAG_MAX, { each: true, message: `each $property must be 1 to ${TAG_MAX} characters long` })
  tag?: string[];

  @ApiPropertyOptional({
    description:
      'Full-text search in title and description; every word must match, as typed or as an English inflection (`session` finds "sessions"), and a partial word matches as a prefix. Without `sort`, results come by relevance. Punctuation is ignored; a `q` with no letter or digit lists every task.',
    maxLength: 200,
    example: 'mil',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Only tasks due strictly before this RFC 3339 date-time.', type: String, format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'Only tasks due strictly after this RFC 3339 date-time.', type: String, format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  dueAfter?: string;

  @ApiPropertyOptional({ description: '`true`: only open tasks whose due date has passed.', type: Boolean })
  @IsOptional()
  @toBoolean
  @IsBoolean({ message: '$property must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'A view by due date, in the caller\'s `timeZone`: `today` (due on today\'s date there), `next7days` (today and the six days after), `overdue` (open, due date passed). Combines with the other filters; a cursor stays valid within the same day.',
    enum: DUE_VIEWS,
  })
  @IsOptional()
  @IsIn(DUE_VIEWS, { message: `$property must be one of ${DUE_VIEWS.join(', ')}` })
  due?: DueView;

  @ApiPropertyOptional({ description: 'The caller\'s IANA time zone, for `due=today` and `due=next7days` (required with them).', example: 'Europe/Berlin' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({
    description:
      'Sort field, `-` prefix for descending; ties are broken by id, tasks without dueAt come last. `relevance` (the default with `q`) needs `q`. Default `-createdAt`.',
    enum: TASK_SORTS,
  })
  @IsOptional()
  @IsIn(TASK_SORTS, { message: `$property must be one of ${TASK_SORTS.join(', ')}` })
  sort?: TaskSort;

  @ApiPropertyOptional({ description: 'Page size.', type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @toInteger
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`, with the same filters and sort.", maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}
