import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ApiProblems } from '../tasks/api-problems.decorator.js';
import { TaskIdPipe } from '../tasks/task-id.pipe.js';
import { FiredReminderPageResponse } from './dto/fired-reminder.response.js';
import { CreateReminderDto, ListFiredRemindersQueryDto, ReminderListResponse, ReminderResponse } from './dto/reminder.dto.js';
import { RemindersService } from './reminders.service.js';

const TASK_ID = { name: 'id', description: 'The task id', schema: { type: 'string', format: 'uuid' } } as const;
const ReminderIdPipe = new ParseUUIDPipe({ exceptionFactory: () => invalidField('reminderId', 'reminderId must be a UUID') });

@ApiTags('reminders')
@ApiBearerAuth(BEARER_SCHEME)
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Post('tasks/:id/reminders')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createReminder', summary: 'Add a reminder to a task (at most 5)', description: '`{"before": "PT30M"}` (relative to dueAt, re-armed for every occurrence) or `{"at": "…"}`.' })
  @ApiParam(TASK_ID)
  @ApiCreatedResponse({ type: ReminderResponse, description: 'The reminder' })
  @ApiResponse({ status: 409, description: 'The task already has 5 reminders' })
  @ApiProblems(400, 404, 413, 415)
  create(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) taskId: string, @Body() dto: CreateReminderDto): Promise<ReminderResponse> {
    return this.reminders.create(owner, taskId, dto);
  }

  @Get('tasks/:id/reminders')
  @ApiOperation({ operationId: 'listReminders', summary: "A task's reminders" })
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: ReminderListResponse, description: 'Its reminders, oldest first' })
  @ApiProblems(400, 404)
  async list(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) taskId: string): Promise<ReminderListResponse> {
    return { items: await this.reminders.list(owner, taskId) };
  }

  @Delete('tasks/:id/reminders/:reminderId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteReminder', summary: 'Remove a reminder' })
  @ApiParam(TASK_ID)
  @ApiParam({ name: 'reminderId', schema: { type: 'string', format: 'uuid' } })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404)
  remove(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) taskId: string, @Param('reminderId', ReminderIdPipe) id: string): Promise<void> {
    return this.reminders.remove(owner, taskId, id);
  }

  @Get('reminders')
  @ApiOperation({ operationId: 'listFiredReminders', summary: 'Reminders that have fired, oldest first', description: 'Poll with `since` = the last `firedAt` seen, or page with `cursor`.' })
  @ApiOkResponse({ type: FiredReminderPageResponse, description: 'A page of firings' })
  @ApiProblems(400)
  listFired(@CurrentUser() owner: Principal, @Query() query: ListFiredRemindersQueryDto): Promise<FiredReminderPageResponse> {
    return this.reminders.listFired(owner, query);
  }
}
