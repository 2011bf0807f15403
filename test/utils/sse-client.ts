import { setTimeout as sleep } from 'node:timers/promises';

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * A Server-Sent Events client over fetch(): parses the body stream as the WHATWG spec does (events
 * end at a blank line; lines starting with `:` are comments), keeps every event and comment, and
 * lets a test wait for the next ones.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry?: number;
  /** Resolves when the server ends the stream (true) or it fails (false). */
  readonly ended: Promise<boolean>;
  private read = 0;
  private readonly controller = new AbortController();
  private response?: Response;

  private constructor(private readonly url: string, private readonly headers: Record<string, string>) {
    this.ended = this.pump().then(() => true, () => false);
  }

  /** Opens a stream; resolves with the client once the response head has arrived, or the error response. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(url, headers);
    for (let i = 0; i < 2000 && !client.response; i++) await Promise.race([sleep(5), client.ended]);
    return client;
  }

  get status(): number {
    return this.response?.status ?? 0;
  }

  header(name: string): string | null {
    return this.response?.headers.get(name) ?? null;
  }

  /** The response body of a refused request (problem+json). */
  async problem(): Promise<{ status: number; type: string; detail: string }> {
    return (await this.response!.json()) as { status: number; type: string; detail: string };
  }

  /** Waits for `count` more events (after those already taken) and takes them. */
  async take(count: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < this.read + count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} more events within ${timeoutMs} ms, got ${JSON.stringify(this.events.slice(this.read))}`);
      await sleep(5);
    }
    const taken = this.events.slice(this.read, this.read + count);
    this.read += count;
    return taken;
  }

  /** The events not taken yet, after waiting `ms` for stragglers. */
  async rest(ms = 300): Promise<SseEvent[]> {
    await sleep(ms);
    const rest = this.events.slice(this.read);
    this.read = this.events.length;
    return rest;
  }

  /** The id of the last event that had one (what EventSource would send as Last-Event-ID). */
  get lastEventId(): string | undefined {
    return this.events.findLast((event) => event.id !== undefined)?.id;
  }

  close(): void {
    this.controller.abort();
  }

  private async pump(): Promise<void> {
    const response = await fetch(this.url, { headers: { accept: 'text/event-stream', ...this.headers }, signal: this.controller.signal });
    if (response.status !== 200 || !response.body) {
      // Read now: an unread body would hold its connection (and the server's close) open.
      const body = await response.arrayBuffer();
      this.response = new Response(body, { status: response.status, headers: response.headers });
      return;
    }
    this.response = response;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        this.block(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  private block(text: string): void {
    const event: Partial<SseEvent> & { data?: string } = {};
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const [field, value] = [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
      if (field === 'event') event.event = value;
      else if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
      else if (field === 'id') event.id = value;
      else if (field === 'retry') this.retry = Number(value);
    }
    if (event.data !== undefined) this.events.push({ event: event.event ?? 'message', data: event.data, ...(event.id === undefined ? {} : { id: event.id }) });
  }
}
