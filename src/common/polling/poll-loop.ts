import type { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs`, one run at a time (the next waits for the previous one to end),
 * logging a failed run and carrying on. `stop` waits for a run in progress. Only a trigger: what is
 * due lives in the database, so a lost timer loses nothing.
 */
export class PollLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    this.timer = setTimeout(() => {
      this.running = this.work()
        .catch((error: unknown) => this.logger.warn(`Poll failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          if (!this.stopped) this.start();
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
