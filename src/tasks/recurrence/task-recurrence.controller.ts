import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import type { Principal } from '../../auth/principal.js';
import { BEARER_SCHEME } from '../../common/openapi/openapi.js';
import { ApiProblems } from '../api-problems.decorator.js';
import { TaskIdPipe } from '../task-id.pipe.js';
import { CompletionPageResponse, ListCompletionsQueryDto, ListOccurrencesQueryDto, OccurrenceListResponse } from './recurrence.dto.js';
import { RecurrenceViews } from './recurrence-views.js';

const ID_PARAM = { name: 'id', description: 'The task id', schema: { type: 'string', format: 'uuid' } } as const;

@ApiTags('tasks')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('tasks/:id')
export class TaskRecurrenceController {
  constructor(private readonly views: RecurrenceViews) {}

  @Get('occurrences')
  @ApiOperation({ operationId: 'listTaskOccurrences', summary: "Preview a task's upcoming occurrences", description: 'Bounded: at most a year, and at most `limit` occurrences.' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: OccurrenceListResponse, description: 'The occurrences in the range' })
  @ApiProblems(400, 404)
  occurrences(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string, @Query() query: ListOccurrencesQueryDto): Promise<OccurrenceListResponse> {
    return this.views.occurrences(owner, id, query);
  }

  @Get('completions')
  @ApiOperation({ operationId: 'listTaskCompletions', summary: "A recurring task's completed occurrences, newest first, a page at a time" })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: CompletionPageResponse, description: 'A page of completions and the cursor of the next one' })
  @ApiProblems(400, 404)
  completions(@CurrentUser() owner: Principal, @Param('id', TaskIdPipe) id: string, @Query() query: ListCompletionsQueryDto): Promise<CompletionPageResponse> {
    return this.views.completions(owner, id, query);
  }
}
