import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { TagListResponse } from './dto/tag-summary.response.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('tags')
export class TagsController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ operationId: 'listTags', summary: "The caller's tags, with how many open and total tasks carry each" })
  @ApiOkResponse({ type: TagListResponse, description: 'Every tag of the caller' })
  async list(@CurrentUser() owner: Principal): Promise<TagListResponse> {
    return { items: await this.tasks.listTags(owner) };
  }
}
