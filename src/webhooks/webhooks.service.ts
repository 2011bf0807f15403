import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { AppConfig } from '../config/app-config.js';
import { type CreatedWebhookResponse, type CreateWebhookDto, WebhookResponse } from './dto/webhook.dto.js';
import { WEBHOOKS_PER_USER } from './webhook.statements.js';
import { resolveWebhookTarget, UnsafeWebhookUrlError } from './webhook-target.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** A user's webhooks. The URL is checked here and again at every delivery (DNS may change). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async create(owner: Principal, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    try {
      await resolveWebhookTarget(dto.url, this.config.get('webhooks', { infer: true }).allowPrivate);
    } catch (error) {
      if (error instanceof UnsafeWebhookUrlError) throw invalidField('url', error.message);
      throw error;
    }
    const secret = randomBytes(32).toString('base64url');
    const created = await this.webhooks.insert({ ownerId: owner.id, url: dto.url, secret });
    if (!created) throw new ProblemException({ status: 409, type: ProblemType.Conflict, detail: `You can have at most ${WEBHOOKS_PER_USER} webhooks.` });
    return { ...WebhookResponse.from(created), secret };
  }

  async list(owner: Principal): Promise<WebhookResponse[]> {
    return (await this.webhooks.list({ ownerId: owner.id })).map((row) => WebhookResponse.from(row));
  }

  async remove(owner: Principal, id: string): Promise<void> {
    if (!(await this.webhooks.delete({ ownerId: owner.id, id }))) throw new NotFoundException(`There is no webhook ${id}.`);
  }
}
