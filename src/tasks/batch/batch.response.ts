import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemResponse } from '../../common/problem/problem.response.js';
import { TaskResponse } from '../dto/task.response.js';

/** The problem of the operation that failed a batch, as it would have been answered on its own. */
export class BatchOperationProblem {
  @ApiProperty({ format: 'uri', example: 'https://tasks-api.dev/problems/not-found' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 404 })
  status!: number;

  @ApiProperty({ example: 'There is no task 0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f.' })
  detail!: string;
}

/** What became of one operation, at its index in the request. */
export class BatchResult {
  @ApiProperty({
    type: 'integer',
    description:
      'The status the single route would have answered: 201 created, 200 updated, 204 deleted. In a failed batch: the failing operation’s 4xx, and 424 (Failed Dependency) for every other operation, none of which was applied.',
    example: 201,
  })
  status!: number;

  @ApiPropertyOptional({ type: () => TaskResponse, description: 'The task as created or updated' })
  task?: TaskResponse;

  @ApiPropertyOptional({ description: 'The task’s ETag, as the single route’s ETag header', example: '"1"' })
  etag?: string;

  @ApiPropertyOptional({ type: () => BatchOperationProblem, description: 'In a failed batch, on the failing operation: why it failed' })
  problem?: BatchOperationProblem;
}

export class BatchResponse {
  @ApiProperty({ type: () => [BatchResult], description: 'One result per operation, in the order of the request' })
  results!: BatchResult[];
}

/** The problem of a batch that failed while it was applied (documentation only). */
export class BatchFailureResponse extends ProblemResponse {
  @ApiProperty({ type: 'integer', description: 'The index of the operation that failed', example: 2 })
  operation!: number;

  @ApiPropertyOptional({ type: () => [BatchResult], description: 'Absent for an invalid body (nothing was attempted)' })
  results?: BatchResult[];
}
