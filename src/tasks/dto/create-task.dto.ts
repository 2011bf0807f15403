import { RecurrenceBaseField, RecurrenceField, TimeZoneField } from '../recurrence/recurrence-fields.js';
import type { RecurrenceBase } from '../recurrence/recurrence-series.js';
import type { TaskPriority } from '../task.entity.js';
import { CompletedField, DescriptionField, DueAtField, PriorityField, TagsField, TitleField } from './task-fields.js';

export class CreateTaskDto {
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
  dueAt?: string | null;

  @RecurrenceField()
  recurrence?: string | null;

  @TimeZoneField()
  timeZone?: string | null;

  @RecurrenceBaseField()
  recurrenceBase?: RecurrenceBase;
}
