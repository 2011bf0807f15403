import pino, { type DestinationStream } from 'pino';

/** Lines are handed to the writer once this many characters have gathered... */
export const BATCH_CHARS = 64 * 1024;
/**
 * ...or this long after the first line of a batch, whichever comes first. Shorter than the time
 * between two young-generation collections under load (`--trace-gc`): a waiting line that lives
 * through two of them is promoted to the old generation, where only a full collection frees it.
 * With 100 ms, the waiting lines were a large part of what the API promoted (BENCHMARKS.md).
 */
export const BATCH_DELAY_MS = 20;
/** A log reader that stops reading makes lines queue in memory; past this many bytes they are dropped. */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
const ERROR_LEVEL = 50;

type Sink = ReturnType<typeof pino.destination>;

/**
 * pino's destination in production: log lines to a file descriptor (stdout), written in batches.
 *
 * pino's default stdout stream hands every line to its own asynchronous write on libuv's thread
 * pool: a thread wake-up and a completion callback per access line, dear under load
 * (BENCHMARKS.md has the figures). Here lines wait in an array and go out as one write when
 * 64 KiB have gathered or 20 ms after the first of them, so a quiet server's lines still reach a
 * reader within 20 ms; an error or fatal line goes out at once, with those before it.
 *
 * Not pino.destination's own buffering (its `minLength`): sonic-boom measures the UTF-8 length of
 * everything it holds again on every line, so a line costs more the bigger the batch, and small
 * batches mean many writes under load; batching here, with large batches, costs less CPU per
 * request (BENCHMARKS.md). sonic-boom still does the writing: asynchronous, retried on EAGAIN,
 * dropping lines past MAX_QUEUED_BYTES.
 *
 * pino flushes the sink when the process exits (synchronously, also after process.exit() or an
 * uncaught exception) and when its event loop empties; lines still waiting here go to the sink
 * first, so only a kill -9 or a crash of the runtime itself can lose the last batch.
 */
export class BatchedLogStream implements DestinationStream {
  /** Asks pino to set `lastLevel` before each write (its metadata protocol, as pino.multistream uses). */
  readonly [pino.symbols.needsMetadataGsym] = true;
  lastLevel = 0;
  private readonly lines: string[] = [];
  private chars = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param sink the writer, from {@link logSink}. */
  constructor(private readonly sink: Sink) {
    // pino's exit handling flushes the sink (it registered it in pino.destination()): lines still
    // waiting here are handed over first.
    const flush = sink.flush.bind(sink);
    const flushSync = sink.flushSync.bind(sink);
    sink.flush = (callback) => {
      this.drain();
      flush(callback);
    };
    sink.flushSync = () => {
      this.drain();
      flushSync();
    };
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.lastLevel >= ERROR_LEVEL || this.chars >= BATCH_CHARS) this.drain();
    // unref: a waiting batch never keeps the process alive; the exit flush writes it.
    else this.timer ??= setTimeout(this.drain, BATCH_DELAY_MS).unref();
  }

  /** Hands what is waiting to the writer now (pino's `logger.flush()`). */
  flush(callback?: (error?: Error) => void): void {
    this.sink.flush(callback);
  }

  /** Hands the waiting lines to the sink as one write. */
  private readonly drain = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const batch = this.lines.join('');
    this.lines.length = 0;
    this.chars = 0;
    // pino ends the sink when the event loop empties (beforeExit); a line after that is dropped.
    if (!(this.sink as { destroyed?: boolean }).destroyed) this.sink.write(batch);
  };
}

/** The writer under the batches: asynchronous, and bounded by MAX_QUEUED_BYTES. */
export function logSink(fd: number): Sink {
  return pino.destination({ dest: fd, sync: false, maxLength: MAX_QUEUED_BYTES });
}

/** Log lines to `fd` (stdout by default), in batches: see {@link BatchedLogStream}. */
export function batchedLogStream(fd = 1): BatchedLogStream {
  return new BatchedLogStream(logSink(fd));
}
