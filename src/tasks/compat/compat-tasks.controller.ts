import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { BEARER_SCHEME, COMPAT_TAG } from '../../common/openapi/openapi.js';
import { ApiProblems } from '../api-problems.decorator.js';
import { TaskIdPipe } from '../task-id.pipe.js';
import { TasksService } from '../tasks.service.js';
import { CompatCreateTaskDto, CompatListQueryDto, CompatUpdateTaskDto } from './compat-task.dto.js';
import { CompatTaskResponse } from './compat-task.response.js';
import { OwnPathUserGuard } from './own-path-user.guard.js';

const STATUS = { all: 'all', pending: 'open', completed: 'completed' } as const;
const SORT = { created: '-createdAt', title: 'title', due_date: 'dueAt' } as const;
/** Set on a compatibility list that holds only the first COMPAT_LIST_MAX of the matching tasks. */
export const TRUNCATED_HEADER = 'X-List-Truncated';
const ID_PARAM = { name: 'id', description: 'The task id', schema: { type: 'string', format: 'uuid' } } as const;

/**
 * The original FastAPI backend's routes, for its front ends: a thin adapter over TasksService
 * that only renames fields. `:userId` must be the caller (OwnPathUserGuard).
 */
@ApiTags(COMPAT_TAG)
@ApiBearerAuth(BEARER_SCHEME)
@ApiParam({ name: 'userId', description: 'Must be the caller’s own user id', schema: { type: 'string', minLength: 1, maxLength: 255 } })
@UseGuards(OwnPathUserGuard)
@Controller(':userId/tasks')
export class CompatTasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ operationId: 'compatListTasks', summary: 'All of the caller’s tasks, as a plain array' })
  @ApiOkResponse({
    type: [CompatTaskResponse],
    description: 'Every matching task, up to COMPAT_LIST_MAX (1,000 by default) in the requested order; the paged `GET /api/tasks` reaches them all',
    headers: { [TRUNCATED_HEADER]: { description: '`true` when there were more matching tasks than the list holds', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiProblems(400, 403)
  async list(@CurrentUser() owner: Principal, @Query() query: CompatListQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CompatTaskResponse[]> {
    const { tasks, truncated } = await this.tasks.listAll(owner, { status: STATUS[query.status ?? 'all'], sort: SORT[query.sort ?? 'created'] });
    if (truncated) void reply.header(TRUNCATED_HEADER, 'true');
    return tasks.map((task) => CompatTaskResponse.from(task, owner.id));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'compatCreateTask', summary: 'Create a task' })
  @ApiCreatedResponse({ type: CompatTaskResponse, description: 'The created task' })
  @ApiProblems(400, 403, 409, 413, 415)
  async create(@CurrentUser() owner: Principal, @Body() dto: CompatCreateTaskDto): Promise<CompatTaskResponse> {
    const { due_date: dueAt, ...fields } = dto;
    const { task } = await this.tasks.create(owner, { ...fields, dueAt });
    return CompatTaskResponse.from(task, owner.id);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'compatGetTask', summary: 'Get a task' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: CompatTaskResponse, description: 'The task' })
  @ApiProblems(400, 403, 404)
  async findOne(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string): Promise<CompatTaskResponse> {
    return CompatTaskResponse.from(await this.tasks.findOne(owner, id), owner.id);
  }

  @Put(':id')
  @ApiOperation({ operationId: 'compatUpdateTask', summary: 'Change the fields that are sent' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: CompatTaskResponse, description: 'The updated task' })
  @ApiProblems(400, 403, 404, 413, 415)
  async update(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string, @Body() dto: CompatUpdateTaskDto): Promise<CompatTaskResponse> {
    const { due_date: dueAt, ...fields } = dto;
    return CompatTaskResponse.from(await this.tasks.update(owner, id, { ...fields, dueAt }), owner.id);
  }

  @Patch(':id/complete')
  @ApiOperation({ operationId: 'compatToggleTask', summary: 'Toggle whether a task is completed' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: CompatTaskResponse, description: 'The task, with `completed` flipped' })
  @ApiProblems(400, 403, 404)
  async toggle(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string): Promise<CompatTaskResponse> {
    return CompatTaskResponse.from(await this.tasks.toggleCompleted(owner, id), owner.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'compatDeleteTask', summary: 'Delete a task' })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 403, 404)
  remove(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string): Promise<void> {
    return this.tasks.remove(owner, id);
  }
}
