import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { WebhookRow } from '../webhook.statements.js';

export class CreateWebhookDto {
  @ApiProperty({ description: 'An http(s) URL on a public address; it gets a signed POST for every firing of your reminders.', maxLength: 2048, example: 'https://example.com/hooks/tasks' })
  @IsString()
  @MaxLength(2048)
  url!: string;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://example.com/hooks/tasks' })
  url!: string;

  @ApiProperty({ description: 'Failed attempts in a row; at 15 the webhook is disabled.', type: 'integer' })
  failures!: number;

  @ApiProperty({ description: 'When it was disabled after repeated failures; null while active.', type: String, format: 'date-time', nullable: true })
  disabledAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(row: WebhookRow): WebhookResponse {
    return { id: row.id, url: row.url, failures: row.failures, disabledAt: row.disabledAt, createdAt: row.createdAt };
  }
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ description: 'The signing secret, shown only in this response: keep it to check `Webhook-Signature`.' })
  secret!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] })
  items!: WebhookResponse[];
}
