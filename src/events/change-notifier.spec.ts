import { describe, expect, it } from 'vitest';
import type { FiredReminderResponse } from '../reminders/dto/fired-reminder.response.js';
import { ChangeNotifier, type ChangeMessage, encodeMessage } from './change-notifier.js';

/** A notifier whose wire is a loop back to itself, as NOTIFY and Redis pub/sub deliver to the sender too. */
class LoopbackNotifier extends ChangeNotifier {
  started = 0;
  publish(ownerId: string, message: ChangeMessage): void {
    this.received(encodeMessage(ownerId, message));
  }
  deliver(payload: string): void {
    this.received(payload);
  }
  protected start(): void {
    this.started += 1;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const firing = { id: 'f', reminderId: 'r', taskId: 't', dueAt: null, scheduledFor: '2026-01-01T00:00:00.000Z', firedAt: '2026-01-01T00:00:01.000Z', late: false } satisfies FiredReminderResponse;

describe('ChangeNotifier', () => {
  it("hands each message to its owner's listeners only, until they unsubscribe", () => {
    const notifier = new LoopbackNotifier();
    const alice: ChangeMessage[] = [];
    const bob: ChangeMessage[] = [];
    const stopAlice = notifier.subscribe('alice', (message) => alice.push(message));
    notifier.subscribe('bob', (message) => bob.push(message));
    notifier.publish('alice', { kind: 'changes' });
    notifier.publish('bob', { kind: 'reminder', firing });
    stopAlice();
    notifier.publish('alice', { kind: 'changes' });
    expect(alice).toEqual([{ kind: 'changes' }]);
    expect(bob).toEqual([{ kind: 'reminder', firing }]);
  });

  it("reads the trigger's payload, and drops what is not a message", () => {
    const notifier = new LoopbackNotifier();
    const seen: ChangeMessage[] = [];
    notifier.subscribe('alice', (message) => seen.push(message));
    // json_build_object('o', owner_id, 'x', xid)::text, as record_task_change() sends it.
    notifier.deliver('{"o" : "alice", "x" : "1234"}');
    for (const junk of ['', 'alice', '{"o":1}', '{"o":"alice","r":"x"}', '[]', `{"o":"alice","pad":"${'x'.repeat(8000)}"}`]) notifier.deliver(junk);
    expect(seen).toEqual([{ kind: 'changes', xid: '1234' }]);
  });

  it('starts receiving at the first subscription, not before', () => {
    const notifier = new LoopbackNotifier();
    expect(notifier.started).toBe(0);
    notifier.subscribe('alice', () => undefined);
    expect(notifier.started).toBeGreaterThan(0);
  });
});
