import { ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CreateTaskDto } from '../dto/create-task.dto.js';
import { DueAtField } from '../dto/task-fields.js';

class CompatDueDate {
  @DueAtField()
  due_date?: string | null;
}

/**
 * The original backend's task body: CreateTaskDto with `dueAt` spelled `due_date`, without the
 * recurrence fields it never had. An
 * intersection rather than a subclass, so that the fields keep CreateTaskDto's order in the
 * OpenAPI schema and in a 400's list of errors.
 */
export class CompatCreateTaskDto extends IntersectionType(OmitType(CreateTaskDto, ['dueAt', 'recurrence', 'timeZone', 'recurrenceBase'] as const), CompatDueDate) {}

/** PUT changes the fields that are sent, as the original backend did. */
export class CompatUpdateTaskDto extends PartialType(CompatCreateTaskDto, { skipNullProperties: false }) {}

export const COMPAT_STATUSES = ['all', 'pending', 'completed'] as const;
export const COMPAT_SORTS = ['created', 'title', 'due_date'] as const;

export class CompatListQueryDto {
  @ApiPropertyOptional({ description: 'Which tasks: all, pending (not completed) or completed ones.', enum: COMPAT_STATUSES, default: 'all' })
  @IsOptional()
  @IsIn(COMPAT_STATUSES, { message: `$property must be one of ${COMPAT_STATUSES.join(', ')}` })
  status?: (typeof COMPAT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'created: newest first; title: A–Z ignoring case; due_date: soonest first, undated last.', enum: COMPAT_SORTS, default: 'created' })
  @IsOptional()
  @IsIn(COMPAT_SORTS, { message: `$property must be one of ${COMPAT_SORTS.join(', ')}` })
  sort?: (typeof COMPAT_SORTS)[number];
}
