import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { routeBodyLimit } from '../../common/http/route-body-limit.js';
import { BEARER_SCHEME } from '../../common/openapi/openapi.js';
import { ApiProblems } from '../api-problems.decorator.js';
import { IdempotencyKey } from '../idempotency.js';
import type { BatchOperation } from './batch-operation.js';
import { BatchOperationsPipe } from './batch-operations.pipe.js';
import { BATCH_BODY_LIMIT_BYTES, BATCH_MAX_OPERATIONS, BatchRequestDto, CreateOperationDto, DeleteOperationDto, UpdateOperationDto } from './batch-request.dto.js';
import { BatchFailureResponse, BatchResponse } from './batch.response.js';
import { TaskBatchService } from './task-batch.service.js';

const FAILED = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(BatchFailureResponse) } } } });

@ApiTags('tasks')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(CreateOperationDto, UpdateOperationDto, DeleteOperationDto, BatchFailureResponse)
@Controller('tasks')
export class TaskBatchController {
  constructor(private readonly batches: TaskBatchService) {}

  @Post('batch')
  @HttpCode(200)
  @RouteConfig(routeBodyLimit(BATCH_BODY_LIMIT_BYTES))
  @ApiOperation({
    operationId: 'batchTasks',
    summary: 'Create, update and delete tasks in one request, all or none',
    description:
      `1 to ${BATCH_MAX_OPERATIONS} operations, applied in order in one transaction. Each is validated as its single route validates it, ` +
      'all before anything is written (400 naming the first invalid `operation` and its fields as `operations.<index>.…`). ' +
      'If one fails (404, 412, 409 quota-exceeded, ...), nothing is applied: the response has that operation’s status and problem, ' +
      'with its index in `operation` and `results` (the failing operation’s problem, 424 for every other). ' +
      `Bodies up to ${BATCH_BODY_LIMIT_BYTES.toLocaleString('en')} bytes (or the server's limit, if larger). The batch counts as one request for rate limits.`,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'As on create: a retry with the same body within 24 hours returns the first response instead of applying the batch again',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
  })
  @ApiBody({ type: BatchRequestDto })
  @ApiOkResponse({
    type: BatchResponse,
    description: 'Every operation applied: one result per operation, in order',
    headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored first response to an Idempotency-Key retry', schema: { type: 'string' } } },
  })
  @FAILED(400, 'Invalid input: the first invalid operation’s index in `operation`, its broken rules in `errors` (`operations.<index>.task.title`, ...); nothing applied')
  @FAILED(404, 'An operation names a task that does not exist (or is another user’s): nothing applied')
  @FAILED(409, 'The creates would take the caller past TASKS_PER_USER_MAX (`quota-exceeded`), or the Idempotency-Key is in use: nothing applied')
  @FAILED(412, 'An operation’s `ifMatch` names a version its task is no longer at: nothing applied')
  @ApiProblems(413, 415, 422)
  async run(
    @CurrentUser() owner: Principal,
    @Body(BatchOperationsPipe) operations: BatchOperation[],
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchResponse> {
    const { response, replayed } = await this.batches.run(owner, operations, idempotencyKey);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return response;
  }
}
