import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { FiredReminderResponse } from './dto/fired-reminder.response.js';
import { REMINDER_FIRED } from './reminder.statements.js';

/**
 * In-process `reminder.fired` events, one per firing, emitted after the firing is committed: the
 * hook for webhooks and the realtime stream. A listener that throws is logged by Node, never
 * undoes the firing (the record in reminder_firings is what counts).
 */
@Injectable()
export class ReminderEvents {
  private readonly emitter = new EventEmitter();

  /** `ownerId`: whose reminder it was (the live events deliver it to that user's streams). */
  onFired(listener: (firing: FiredReminderResponse, ownerId: string) => void): () => void {
    this.emitter.on(REMINDER_FIRED, listener);
    return () => this.emitter.off(REMINDER_FIRED, listener);
  }

  emitFired(firing: FiredReminderResponse, ownerId: string): void {
    this.emitter.emit(REMINDER_FIRED, firing, ownerId);
  }
}
