import { IntersectionType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { UpdateTaskDto } from '../../tasks/dto/update-task.dto.js';

/** get_task, complete_task, delete_task: the id the REST API takes from the path, with the same rule and message. */
export class TaskIdArguments {
  @IsUUID('all', { message: '$property must be a UUID' })
  id!: string;
}

/** update_task: the REST PATCH in one object, the id and the If-Match version beside the fields to change. */
export class UpdateTaskArguments extends IntersectionType(TaskIdArguments, UpdateTaskDto) {
  /** The version If-Match would name (a task's ETag is its version). */
  @IsOptional()
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(2_147_483_647)
  expectedVersion?: number;
}
