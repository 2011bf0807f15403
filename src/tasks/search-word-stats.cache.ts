import { Injectable, Logger } from '@nestjs/common';
import type { SearchWordStats } from './task-search.js';
import { TasksRepository } from './tasks.repository.js';

/** How long the statistics are used before they are read again (autovacuum's ANALYZE updates them now and then). */
const REFRESH_MS = 10 * 60 * 1000;

/**
 * The column statistics that tell a common search word from a rare one (isCommonSearch), read from
 * pg_stats at most every ten minutes per instance rather than by every search: in the search's
 * own statement, planning the pg_stats view cost more than the search. A search waits only for the
 * first read; later ones use the last statistics while newer ones are read. If they cannot be read,
 * every word counts as rare (the GIN indexes: correct, slower for very common words).
 */
@Injectable()
export class SearchWordStatsCache {
  private readonly logger = new Logger('Search');
  private stats?: SearchWordStats;
  private readAt = 0;
  private reading?: Promise<void>;

  constructor(private readonly tasks: TasksRepository) {}

  async get(): Promise<SearchWordStats | undefined> {
    if (Date.now() - this.readAt >= REFRESH_MS && this.reading === undefined) {
      this.reading = this.read().finally(() => (this.reading = undefined));
    }
    if (this.readAt === 0) await this.reading;
    return this.stats;
  }

  private async read(): Promise<void> {
    try {
      this.stats = await this.tasks.searchWordStats();
    } catch (error) {
      this.logger.warn(`Could not read the search word statistics: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.readAt = Date.now();
  }
}
