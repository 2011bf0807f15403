import { ApiProperty } from '@nestjs/swagger';
import { TaskResponse } from './task.response.js';

export class TaskPageResponse {
  @ApiProperty({ description: 'At most `limit` tasks, in the requested order.', type: [TaskResponse] })
  items!: TaskResponse[];

  @ApiProperty({ description: 'Pass as `cursor` (with the same filters and sort) for the next page; null on the last page.', type: String, nullable: true })
  nextCursor!: string | null;
}
