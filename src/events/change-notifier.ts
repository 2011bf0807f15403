import type { FiredReminderResponse } from '../reminders/dto/fired-reminder.response.js';

/**
 * What one instance tells the others (and itself) about a user: `changes`, their tasks changed
 * (read the feed; `xid`, when known, is the writing transaction's), or `reminder`, one of their
 * reminders fired (delivered as it is).
 */
export type ChangeMessage = { kind: 'changes'; xid?: string } | { kind: 'reminder'; firing: FiredReminderResponse };
export type ChangeListener = (message: ChangeMessage) => void;

/** Longest message accepted from the wire (PostgreSQL's NOTIFY payload limit is 8000 bytes). */
const MAX_WIRE_LENGTH = 7_900;
const UINT64 = /^(0|[1-9]\d{0,18})$/;

/**
 * Wake-ups across instances. A message only wakes readers: a stream never depends on one arriving
 * (it also re-reads the feed on a timer), so a message lost in an outage only delays an event.
 * Task data never travels here: `changes` carries the owner id only; streams read the feed.
 *
 * Who sends `changes`: with PostgreSQL, the trigger that records the change (a NOTIFY delivered
 * on commit: every write path, no extra round trip; migration 1764900000000). With Redis, which
 * a trigger cannot reach, the app after the request that wrote has succeeded
 * (registerChangePublishing); a write outside a request (there is none today) is then delivered
 * by the streams' timer.
 */
export abstract class ChangeNotifier {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly reconnectListeners = new Set<() => void>();

  /** Tells every instance, this one included; never throws (a failed publish is the timer's to make up for). */
  abstract publish(ownerId: string, message: ChangeMessage): void;

  abstract close(): Promise<void>;

  /** Starts receiving (lazily, at the first subscription): an instance without streams holds no connection. */
  protected abstract start(): void;

  subscribe(ownerId: string, listener: ChangeListener): () => void {
    this.start();
    let owned = this.listeners.get(ownerId);
    if (!owned) this.listeners.set(ownerId, (owned = new Set()));
    owned.add(listener);
    return () => {
      owned.delete(listener);
      if (owned.size === 0 && this.listeners.get(ownerId) === owned) this.listeners.delete(ownerId);
    };
  }

  /** Called whenever the transport (re)connects: messages sent meanwhile were lost, so everyone should look. */
  onConnected(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  protected connected(): void {
    for (const listener of this.reconnectListeners) listener();
  }

  /** A message from the wire, handed to this instance's listeners of its owner; anything malformed is dropped. */
  protected received(payload: string): void {
    const decoded = decodeMessage(payload);
    if (!decoded) return;
    for (const listener of this.listeners.get(decoded.ownerId) ?? []) listener(decoded.message);
  }
}

export function encodeMessage(ownerId: string, message: ChangeMessage): string {
  return JSON.stringify(message.kind === 'changes' ? { o: ownerId } : { o: ownerId, r: message.firing });
}

function decodeMessage(payload: string): { ownerId: string; message: ChangeMessage } | undefined {
  if (payload.length > MAX_WIRE_LENGTH) return undefined;
  try {
    const parsed = JSON.parse(payload) as { o?: unknown; r?: unknown; x?: unknown };
    if (typeof parsed.o !== 'string') return undefined;
    if (parsed.r === undefined) return { ownerId: parsed.o, message: typeof parsed.x === 'string' && UINT64.test(parsed.x) ? { kind: 'changes', xid: parsed.x } : { kind: 'changes' } };
    if (typeof parsed.r !== 'object' || parsed.r === null) return undefined;
    return { ownerId: parsed.o, message: { kind: 'reminder', firing: parsed.r as FiredReminderResponse } };
  } catch {
    return undefined;
  }
}
