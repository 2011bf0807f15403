import { ApiProperty } from '@nestjs/swagger';
import { TASK_PRIORITIES, type TaskPriority } from '../task.entity.js';
import type { TaskResponse } from '../dto/task.response.js';

/** A task as the original backend's clients expect it (snake_case). */
export class CompatTaskResponse {
  @ApiProperty({ description: 'The task id.', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The owner: the caller.', example: 'alice' })
  user_id!: string;

  @ApiProperty({ description: 'What to do.', example: 'Buy milk' })
  title!: string;

  @ApiProperty({ description: 'Free text.', type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'Whether the task is done.' })
  completed!: boolean;

  @ApiProperty({ description: 'When the task was created.', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ description: 'When the task last changed.', format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ description: 'How urgent the task is.', enum: TASK_PRIORITIES, enumName: 'TaskPriority' })
  priority!: TaskPriority;

  @ApiProperty({ description: 'Labels.', type: [String] })
  tags!: string[];

  @ApiProperty({ description: 'When the task is due.', type: String, format: 'date-time', nullable: true })
  due_date!: string | null;

  static from(task: TaskResponse, userId: string): CompatTaskResponse {
    return {
      id: task.id,
      user_id: userId,
      title: task.title,
      description: task.description,
      completed: task.completed,
      created_at: task.createdAt,
      updated_at: task.updatedAt,
      priority: task.priority,
      tags: task.tags,
      due_date: task.dueAt,
    };
  }
}
