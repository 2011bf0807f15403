import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { type Statement, statementRows } from '../database/statement-rows.js';
import {
  deleteWebhookStatement,
  deliveredStatement,
  type DeliveryRow,
  failedStatement,
  insertWebhookStatements,
  leaseDeliveriesStatement,
  listWebhooksStatement,
  type WebhookRow,
} from './webhook.statements.js';

/** Every read and write of `webhooks` and `webhook_deliveries` (the SQL is in webhook.statements.ts). */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The new webhook; undefined when the owner has as many as allowed. */
  async insert(webhook: { ownerId: string; url: string; secret: string }): Promise<WebhookRow | undefined> {
    return this.dataSource.transaction(async (manager) => {
      let rows: WebhookRow[] = [];
      for (const statement of insertWebhookStatements(webhook)) rows = await this.rows<WebhookRow>(statement, manager.queryRunner);
      return rows[0];
    });
  }

  list(owner: { ownerId: string }): Promise<WebhookRow[]> {
    return this.rows<WebhookRow>(listWebhooksStatement(owner));
  }

  async delete(webhook: { ownerId: string; id: string }): Promise<boolean> {
    return (await this.rows(deleteWebhookStatement(webhook))).length > 0;
  }

  lease(lease: { now: Date; limit: number; leaseMs: number }): Promise<DeliveryRow[]> {
    return this.rows<DeliveryRow>(leaseDeliveriesStatement(lease));
  }

  async delivered(outcome: Parameters<typeof deliveredStatement>[0]): Promise<void> {
    await this.rows(deliveredStatement(outcome));
  }

  async failed(outcome: Parameters<typeof failedStatement>[0]): Promise<void> {
    await this.rows(failedStatement(outcome));
  }

  private rows<Row>(statement: Statement, transaction?: QueryRunner): Promise<Row[]> {
    return statementRows<Row>(this.dataSource, statement, transaction);
  }
}
