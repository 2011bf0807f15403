import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ReminderEvents } from '../reminders/reminder-events.js';
import { ChangeNotifier } from './change-notifier.js';

/**
 * Sends every reminder this instance fires through the notifier, so that it reaches the owner's
 * streams on every instance (this one included: the notifier delivers to its own subscribers too).
 * Live only: a stream that was not open when it fired never gets it; the durable record is
 * GET /api/reminders?state=fired&since=.
 */
@Injectable()
export class ReminderRelay implements OnModuleInit, OnModuleDestroy {
  private stop?: () => void;

  constructor(
    private readonly reminders: ReminderEvents,
    @Inject(ChangeNotifier) private readonly notifier: ChangeNotifier,
  ) {}

  onModuleInit(): void {
    this.stop = this.reminders.onFired((firing, ownerId) => this.notifier.publish(ownerId, { kind: 'reminder', firing }));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }
}
