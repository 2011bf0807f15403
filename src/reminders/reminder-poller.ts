import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock/clock.js';
import { PollLoop } from '../common/polling/poll-loop.js';
import type { AppConfig } from '../config/app-config.js';
import { FiredReminderResponse } from './dto/fired-reminder.response.js';
import { ReminderEvents } from './reminder-events.js';
import { RemindersRepository } from './reminders.repository.js';

const BATCH = 200;
/** A firing this much after its time is marked late. */
export const LATE_AFTER_MS = 60_000;

/**
 * Fires due reminders: every `REMINDER_POLL_MS`, claims what is due in PostgreSQL (see
 * claimDueRemindersStatement) until nothing is left, then emits `reminder.fired` for each. The
 * database is the only schedule: the timer only says when to look, so any number of instances may
 * poll, a restart loses nothing, and what fell due while every instance was down fires (late) at
 * the next poll.
 */
@Injectable()
export class ReminderPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollLoop;

  constructor(
    private readonly reminders: RemindersRepository,
    private readonly events: ReminderEvents,
    private readonly clock: Clock,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.loop = new PollLoop(() => this.poll(), config.get('reminders', { infer: true }).pollMs, new Logger('Reminders'));
  }

  onApplicationBootstrap(): void {
    if (this.config.get('reminders', { infer: true }).enabled) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Fires everything due now; how many fired. */
  async poll(): Promise<number> {
    let fired = 0;
    for (;;) {
      const firings = await this.reminders.claimDue({ now: this.clock.now(), limit: BATCH, lateAfterMs: LATE_AFTER_MS });
      for (const firing of firings) this.events.emitFired(FiredReminderResponse.from(firing), firing.ownerId);
      fired += firings.length;
      if (firings.length < BATCH || this.loop.isStopped) return fired;
    }
  }
}
