import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PURGE_IDEMPOTENCY_KEYS } from './task.sql.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes expired Idempotency-Key records hourly. Correctness does not depend on it (an expired
 * record is ignored and may be claimed again); it only keeps the table small.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const [, deleted] = await this.dataSource.query<[unknown, number]>(PURGE_IDEMPOTENCY_KEYS);
      return deleted;
    } catch (error) {
      this.logger.warn(`Could not purge expired idempotency keys: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
