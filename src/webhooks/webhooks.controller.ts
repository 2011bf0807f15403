import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ApiProblems } from '../tasks/api-problems.decorator.js';
import { CreatedWebhookResponse, CreateWebhookDto, WebhookListResponse } from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

const WebhookIdPipe = new ParseUUIDPipe({ exceptionFactory: () => invalidField('id', 'id must be a UUID') });

@ApiTags('webhooks')
@ApiBearerAuth(BEARER_SCHEME)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Register a webhook (at most 5)',
    description: 'Each firing of your reminders is POSTed to it as `{"event": "reminder.fired", "data": {…}}`, signed (see the README), retried with back-off.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse, description: 'The webhook, with its signing secret (shown only here)' })
  @ApiResponse({ status: 409, description: 'You already have 5 webhooks' })
  @ApiProblems(400, 413, 415)
  create(@CurrentUser() owner: Principal, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(owner, dto);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: 'Your webhooks' })
  @ApiOkResponse({ type: WebhookListResponse, description: 'Your webhooks, oldest first' })
  async list(@CurrentUser() owner: Principal): Promise<WebhookListResponse> {
    return { items: await this.webhooks.list(owner) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Remove a webhook' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404)
  remove(@CurrentUser() owner: Principal, @Param('id', WebhookIdPipe) id: string): Promise<void> {
    return this.webhooks.remove(owner, id);
  }
}
