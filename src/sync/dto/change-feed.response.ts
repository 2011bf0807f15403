import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { TaskResponse } from '../../tasks/dto/task.response.js';

/** A deleted task, in the change feed. */
export class TaskTombstone {
  @ApiProperty({ description: 'The deleted task.', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Always true: tells a tombstone from a task.', enum: [true] })
  deleted!: true;

  @ApiProperty({ description: 'When the task was deleted.', format: 'date-time' })
  deletedAt!: string;
}

@ApiExtraModels(TaskResponse, TaskTombstone)
export class ChangeFeedResponse {
  @ApiProperty({
    description: 'Tasks as they are now (created or changed since the token), and tombstones of deleted ones; at most one entry per task.',
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(TaskResponse) }, { $ref: getSchemaPath(TaskTombstone) }] },
  })
  changes!: (TaskResponse | TaskTombstone)[];

  @ApiProperty({ description: 'Pass as `since` next time: the changes after these.' })
  nextSince!: string;

  @ApiProperty({ description: 'Whether more changes are ready now: ask again at once with `nextSince`.' })
  hasMore!: boolean;
}
