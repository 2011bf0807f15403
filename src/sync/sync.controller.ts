import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { ApiProblems } from '../tasks/api-problems.decorator.js';
import { ChangeFeedQueryDto } from './dto/change-feed-query.dto.js';
import { ChangeFeedResponse } from './dto/change-feed.response.js';
import { SyncService } from './sync.service.js';

@ApiTags('sync')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('tasks')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  // Fastify's router matches this static path before TasksController's `/tasks/:id`, whatever the registration order.
  @Get('changes')
  @ApiOperation({
    operationId: 'listTaskChanges',
    summary: "The caller's task changes since a sync token",
    description:
      'Without `since`: every current task, a page at a time, then a token. With it: the tasks created or changed since (each once, as it is now) and tombstones of deleted ones, in transaction order. Keep calling with `nextSince` while `hasMore`; a token older than the tombstone retention gets 410 (start over without `since`).',
  })
  @ApiOkResponse({ type: ChangeFeedResponse, description: 'Changes, and the token to continue from' })
  @ApiProblems(400, 410)
  changes(@CurrentUser() owner: Principal, @Query() query: ChangeFeedQueryDto): Promise<ChangeFeedResponse> {
    return this.sync.changes(owner, query);
  }
}
