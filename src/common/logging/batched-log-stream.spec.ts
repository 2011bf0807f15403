import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_CHARS, BATCH_DELAY_MS, BatchedLogStream, logSink } from './batched-log-stream.js';

describe('BatchedLogStream', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    // Only the batch timer is faked: file writes still complete on libuv's thread pool.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    dir = mkdtempSync(join(tmpdir(), 'batched-log-stream-'));
    file = join(dir, 'log');
    fd = openSync(file, 'a');
  });

  afterEach(() => {
    vi.useRealTimers();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  function loggerWithWrites() {
    const sink = logSink(fd);
    const logger = pino({ level: 'info' }, new BatchedLogStream(sink));
    let writes = 0;
    sink.on('write', () => (writes += 1));
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; level: number });
    return { sink, logger, lines, writes: () => writes };
  }

  it('writes a quiet moment’s lines together, once the batch delay has passed', async () => {
    const { sink, logger, lines, writes } = loggerWithWrites();
    const handOvers = vi.spyOn(sink, 'write');
    for (let i = 0; i < 20; i++) logger.info({ requestId: `r${i}` }, `GET /api/tasks ${i}`);
    vi.advanceTimersByTime(BATCH_DELAY_MS - 1);
    expect(handOvers).not.toHaveBeenCalled();

    vi.advanceTimersByTime(1);
    expect(handOvers).toHaveBeenCalledTimes(1);
    await once(sink, 'write');

    expect(lines().map((line) => line.msg)).toEqual(Array.from({ length: 20 }, (_, i) => `GET /api/tasks ${i}`));
    expect(writes()).toBe(1);
  });

  it('writes an error line at once, with the lines before it, without waiting for the delay', async () => {
    const { sink, logger, lines } = loggerWithWrites();
    logger.info('GET /api/tasks 200');
    logger.error('database unavailable');

    await once(sink, 'write');

    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      [30, 'GET /api/tasks 200'],
      [50, 'database unavailable'],
    ]);
  });

  it('writes a full batch at once, in one write, without waiting for the delay', async () => {
    const { sink, logger, lines, writes } = loggerWithWrites();
    const padding = 'x'.repeat(200);
    const count = Math.ceil(BATCH_CHARS / padding.length);
    for (let i = 0; i < count; i++) logger.info({ padding }, `line ${i}`);

    await once(sink, 'write');

    // The first lines, up to the one that filled the batch; the rest wait for the next.
    const written = lines().map((line) => line.msg);
    expect(written).toEqual(Array.from({ length: written.length }, (_, i) => `line ${i}`));
    expect(written.length).toBeLessThan(count);
    expect(readFileSync(file).length).toBeGreaterThanOrEqual(BATCH_CHARS);
    expect(writes()).toBe(1);
  });

  it('hands waiting lines over when pino flushes the sink at exit', () => {
    const { sink, logger, lines } = loggerWithWrites();
    logger.info('last request');
    logger.info('Stopped cleanly');

    // What pino's exit handler calls on a pino.destination() sink.
    sink.flushSync();

    expect(lines().map((line) => line.msg)).toEqual(['last request', 'Stopped cleanly']);
  });
});
