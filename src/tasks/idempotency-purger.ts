import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TasksRepository } from './tasks.repository.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes expired Idempotency-Key records hourly. Correctness does not depend on it (an expired
 * record is ignored and may be claimed again); it only keeps the table small.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;

  constructor(private readonly tasks: TasksRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      return await this.tasks.purgeExpiredIdempotencyKeys();
    } catch (error) {
      this.logger.warn(`Could not purge expired idempotency keys: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
