/** One caller's standing in the current window. */
export interface WindowCount {
  /** Requests counted in this window, this one included. */
  hits: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetsInMs: number;
}

/**
 * Counts requests per key in fixed windows. Fixed windows rather than a sliding log (the shape of
 * @nestjs/throttler's in-memory storage, one timestamp kept per request) so that a request costs
 * the same whatever the limit; a client may send up to twice the limit across a window boundary,
 * which a generous per-minute limit tolerates.
 */
export interface WindowCounter {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** The counter of one process (the default): each instance enforces the limit on its own. */
export class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    // Ended windows are dropped in the background so that idle callers do not accumulate.
    this.sweep = setInterval(() => this.dropEnded(Date.now()), sweepIntervalMs).unref();
  }

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return Promise.resolve({ hits: window.hits, resetsInMs: window.endsAt - now });
  }

  close(): Promise<void> {
    clearInterval(this.sweep);
    this.windows.clear();
    return Promise.resolve();
  }

  private dropEnded(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
