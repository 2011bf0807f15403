import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { TaskPriority } from '../task.entity.js';
import { CompletedField, DescriptionField, DueAtField, PriorityField, TagsField, TitleField } from '../dto/task-fields.js';

/** The original backend's task body (snake_case); same rules as CreateTaskDto. */
export class CompatCreateTaskDto {
  @TitleField()
  title!: string;

  @DescriptionField()
  description?: string | null;

  @CompletedField()
  completed?: boolean;

  @PriorityField()
  priority?: TaskPriority;

  @TagsField()
  tags?: string[];

  @DueAtField()
  due_date?: string | null;
}

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
