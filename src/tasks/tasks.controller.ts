import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { ApiProblems } from './api-problems.decorator.js';
import { IfMatch, IfNoneMatch } from './conditional-request.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import { TaskPageResponse } from './dto/task-page.response.js';
import { TaskResponse } from './dto/task.response.js';
import { UpdateTaskDto } from './dto/update-task.dto.js';
import { type EtagCondition, etagFor, etagMatches } from './etag.js';
import { IdempotencyKey } from './idempotency.js';
import { TaskIdPipe } from './task-id.pipe.js';
import { TasksService } from './tasks.service.js';

const ID_PARAM = { name: 'id', description: 'The task id', schema: { type: 'string', format: 'uuid' } } as const;
const ETAG_HEADER = { ETag: { description: 'The task version, for If-Match and If-None-Match', schema: { type: 'string' } } };

@ApiTags('tasks')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createTask',
    summary: 'Create a task',
    description: 'With an Idempotency-Key, a retry with the same body within 24 hours returns the first response instead of creating another task.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Any 1–255 printable ASCII characters, unique per intended task (e.g. a UUID)',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
  })
  @ApiCreatedResponse({
    type: TaskResponse,
    description: 'The created task (or, for a retry, the first response)',
    headers: {
      ...ETAG_HEADER,
      Location: { description: 'The URL of the new task', schema: { type: 'string' } },
      'Idempotent-Replayed': { description: '`true` when this is the stored first response to an Idempotency-Key retry', schema: { type: 'string' } },
    },
  })
  @ApiProblems(400, 409, 413, 415, 422)
  async create(
    @CurrentUser() owner: Principal,
    @Body() dto: CreateTaskDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const { task, replayed } = await this.tasks.create(owner, dto, idempotencyKey);
    void reply.header('location', `/api/tasks/${task.id}`).header('etag', etagFor(task.version));
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return task;
  }

  @Get()
  @ApiOperation({ operationId: 'listTasks', summary: 'List, filter, search and sort tasks, a page at a time' })
  @ApiOkResponse({ type: TaskPageResponse, description: 'A page of tasks and the cursor of the next one' })
  @ApiProblems(400)
  list(@CurrentUser() owner: Principal, @Query() query: ListTasksQueryDto): Promise<TaskPageResponse> {
    return this.tasks.list(owner, query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getTask', summary: 'Get a task' })
  @ApiParam(ID_PARAM)
  @ApiHeader({ name: 'If-None-Match', required: false, description: "A previous response's ETag: 304 if the task has not changed" })
  @ApiOkResponse({ type: TaskResponse, description: 'The task', headers: ETAG_HEADER })
  @ApiResponse({ status: 304, description: 'The task has not changed since the ETag in If-None-Match' })
  @ApiProblems(400, 404)
  async findOne(
    @CurrentUser() owner: Principal,
    @Param('id', TaskIdPipe) id: string,
    @IfNoneMatch() ifNoneMatch: EtagCondition | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const task = await this.tasks.findOne(owner, id);
    void reply.header('etag', etagFor(task.version));
    // 304 has no body, so the status cannot go through Nest's default (200) handling.
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, task.version)) await reply.status(304).send();
    else await reply.send(task);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateTask',
    summary: 'Change some fields of a task',
    description: 'Send only the fields to change (`application/json` or `application/merge-patch+json`); `null` clears description and dueAt.',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the change is based on: 412 if the task has changed since' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'As on create: a retry with the same body within 24 hours returns the first response (`Idempotent-Replayed: true`) instead of applying the change again',
  })
  @ApiBody({ type: UpdateTaskDto })
  @ApiConsumes('application/json', 'application/merge-patch+json')
  @ApiOkResponse({
    type: TaskResponse,
    description: 'The updated task (or, for a retry, the first response)',
    headers: { ...ETAG_HEADER, 'Idempotent-Replayed': { description: '`true` when this is the stored first response to an Idempotency-Key retry', schema: { type: 'string' } } },
  })
  @ApiProblems(400, 404, 412, 413, 415, 422)
  async update(
    @CurrentUser() owner: Principal,
    @Param('id', TaskIdPipe) id: string,
    @Body() dto: UpdateTaskDto,
    @IfMatch() ifMatch: EtagCondition | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    if (idempotencyKey === undefined) {
      const task = await this.tasks.update(owner, id, dto, ifMatch);
      void reply.header('etag', etagFor(task.version));
      return task;
    }
    const { task, replayed } = await this.tasks.updateIdempotently(owner, id, dto, ifMatch, idempotencyKey);
    void reply.header('etag', etagFor(task.version));
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return task;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTask', summary: 'Delete a task' })
  @ApiParam(ID_PARAM)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag the deletion is based on: 412 if the task has changed since' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 412)
  remove(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string, @IfMatch() ifMatch: EtagCondition | undefined): Promise<void> {
    return this.tasks.remove(owner, id, ifMatch);
  }
}
