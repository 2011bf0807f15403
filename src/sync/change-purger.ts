import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { SyncRepository } from './sync.repository.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes changes (tombstones included) older than SYNC_TOMBSTONE_RETENTION_DAYS, hourly, from
 * every instance (the purges are idempotent). Tokens older than what it deleted get 410 Gone.
 */
@Injectable()
export class ChangePurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Sync');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: SyncRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<void> {
    try {
      await this.repository.purge({ retentionDays: this.config.get('sync', { infer: true }).tombstoneRetentionDays });
    } catch (error) {
      this.logger.warn(`Could not purge old task changes: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
