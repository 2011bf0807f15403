import { ApiProperty } from '@nestjs/swagger';
import { TASK_PRIORITIES, type TaskPriority } from '../task.entity.js';
import { RECURRENCE_BASES, type RecurrenceBase } from '../recurrence/recurrence-series.js';
import type { TaskRow } from '../task.statements.js';

/** A task as the API shows it. The only place a task row becomes JSON (see `from`). */
export class TaskResponse {
  @ApiProperty({ description: 'Assigned by the server.', format: 'uuid', example: '0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f' })
  id!: string;

  @ApiProperty({ description: 'What to do.', example: 'Buy milk' })
  title!: string;

  @ApiProperty({ description: 'Free text.', type: String, nullable: true, example: 'Two litres, semi-skimmed' })
  description!: string | null;

  @ApiProperty({ description: 'Whether the task is done.', example: false })
  completed!: boolean;

  @ApiProperty({ description: 'When the task was last marked completed; null while open.', type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  @ApiProperty({ description: 'How urgent the task is.', enum: TASK_PRIORITIES, enumName: 'TaskPriority', example: 'none' })
  priority!: TaskPriority;

  @ApiProperty({ description: 'Labels, in the order and spelling first given.', type: [String], example: ['home'] })
  tags!: string[];

  @ApiProperty({ description: 'When the task is due.', type: String, format: 'date-time', nullable: true, example: '2026-05-01T09:00:00.000Z' })
  dueAt!: string | null;

  @ApiProperty({ description: 'When the task was created.', format: 'date-time', example: '2026-04-20T08:15:30.123Z' })
  createdAt!: string;

  @ApiProperty({ description: 'When the task last changed.', format: 'date-time', example: '2026-04-20T08:15:30.123Z' })
  updatedAt!: string;

  @ApiProperty({ description: 'Starts at 1 and grows by one with every change; the ETag is this number, quoted.', type: 'integer', minimum: 1, example: 1 })
  version!: number;

  @ApiProperty({ description: 'The RFC 5545 RRULE, in canonical form; null: the task does not recur.', type: String, nullable: true, example: 'FREQ=WEEKLY;BYDAY=MO' })
  recurrence!: string | null;

  @ApiProperty({ description: 'The IANA time zone of the occurrences.', type: String, nullable: true, example: 'Europe/Berlin' })
  timeZone!: string | null;

  @ApiProperty({ description: 'What completing counts the next occurrence from: the rule (`due`) or the completion (`completion`).', enum: RECURRENCE_BASES, example: 'due' })
  recurrenceBase!: RecurrenceBase;

  static from(task: TaskRow): TaskResponse {
    return {
      id: task.id,
      title: task.title,
      description: task.description,
      completed: task.completed,
      completedAt: task.completedAt,
      priority: task.priority,
      tags: task.tags,
      dueAt: task.dueAt,
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
      version: task.version,
      recurrence: task.recurrence,
      timeZone: task.timeZone,
      recurrenceBase: task.recurrenceBase,
    };
  }
}
