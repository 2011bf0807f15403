import { Injectable } from '@nestjs/common';

/**
 * The time, as something to inject: recurrence (a completion's time) and the reminder poller read
 * it here, so tests can move time instead of waiting for it (`overrideProvider(Clock)`).
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export const CLOCK_PROVIDER = { provide: Clock, useClass: SystemClock };
