/**
 * The text/event-stream format (WHATWG HTML, "Server-sent events"). Data is JSON, which never
 * contains a raw line break, so every event's data is one `data:` line.
 */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by EventSource, but traffic for every proxy and idle timeout on the way. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** How long an EventSource waits before reconnecting after the stream ends. */
export function sseRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}
