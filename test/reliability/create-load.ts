import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_PAUSE_MS = 50;
/** A create no instance acknowledges within this long is reported, not retried for ever. */
const GIVE_UP_AFTER_MS = 60_000;

/**
 * A bounded load of idempotent creates: `concurrency` clients, each sending one create at a time
 * with its own Idempotency-Key and retrying it (same key, same body) until it is acknowledged,
 * as a careful client would through an outage. Records what was acknowledged, and any answer a
 * client should never see (a 500, or any status other than 201, 503 and the in-progress 409).
 */
export class CreateLoad {
  /** Idempotency-Key → the id of the task its acknowledgement named. */
  readonly acknowledged = new Map<string, string>();
  readonly unexpected: string[] = [];
  readonly outcomes = new Map<string, number>();
  private readonly acknowledgedAt: number[] = [];
  private running = false;
  private clients: Promise<void>[] = [];

  constructor(
    private readonly origin: string,
    private readonly authorization: string,
    private readonly concurrency: number,
  ) {}

  start(): void {
    this.running = true;
    this.clients = Array.from({ length: this.concurrency }, (_, index) => this.client(index));
  }

  /** Stops starting new creates; each client still sees its current one acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  /** Milliseconds from `since` until a create was next acknowledged (polled, bounded). */
  async acknowledgementAfter(since: number): Promise<number> {
    for (let waited = 0; waited < GIVE_UP_AFTER_MS; waited += RETRY_PAUSE_MS) {
      const first = this.acknowledgedAt.find((at) => at >= since);
      if (first !== undefined) return first - since;
      await sleep(RETRY_PAUSE_MS);
    }
    throw new Error(`no create acknowledged within ${GIVE_UP_AFTER_MS} ms`);
  }

  private async client(index: number): Promise<void> {
    for (let sequence = 0; this.running; sequence += 1) {
      const key = `reliability-${index}-${sequence}-${randomUUID()}`;
      const body = JSON.stringify({ title: `reliability ${index}/${sequence}` });
      const deadline = Date.now() + GIVE_UP_AFTER_MS;
      while (!(await this.attempt(key, body))) {
        if (Date.now() > deadline) {
          this.unexpected.push(`${key}: not acknowledged within ${GIVE_UP_AFTER_MS} ms`);
          break;
        }
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  /** One try; true when the create is settled (acknowledged, or answered in a way no retry changes). */
  private async attempt(key: string, body: string): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(`${this.origin}/api/tasks`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      this.count('no answer');
      return false;
    }
    this.count(String(response.status));
    if (response.status === 201) {
      this.acknowledged.set(key, ((await response.json()) as { id: string }).id);
      this.acknowledgedAt.push(Date.now());
      return true;
    }
    const text = await response.text();
    if (response.status === 503 || response.status === 409) return false;
    this.unexpected.push(`${key}: ${response.status} ${text.slice(0, 200)}`);
    return true;
  }

  private count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }
}
