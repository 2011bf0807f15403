import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_BYTES, BATCH_DELAY_MS, batchedOutput } from './batched-output.js';

describe('batchedOutput', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    // Only the batch timer is faked: file writes still complete on libuv's thread pool.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    dir = mkdtempSync(join(tmpdir(), 'batched-output-'));
    file = join(dir, 'log');
    fd = openSync(file, 'a');
  });

  afterEach(() => {
    vi.useRealTimers();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  function loggerWithWrites() {
    const output = batchedOutput(fd);
    const logger = pino({ level: 'info', hooks: output.hooks }, output.stream);
    let writes = 0;
    output.stream.on('write', () => (writes += 1));
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; level: number });
    return { output, logger, lines, writes: () => writes };
  }

  it('writes a quiet moment’s lines together, once the batch delay has passed', async () => {
    const { output, logger, lines, writes } = loggerWithWrites();
    for (let i = 0; i < 20; i++) logger.info({ requestId: `r${i}` }, `GET /api/tasks ${i}`);
    expect(lines()).toEqual([]);

    vi.advanceTimersByTime(BATCH_DELAY_MS);
    await once(output.stream, 'write');

    expect(lines().map((line) => line.msg)).toEqual(Array.from({ length: 20 }, (_, i) => `GET /api/tasks ${i}`));
    expect(writes()).toBe(1);
  });

  it('writes an error line at once, with the lines before it, without waiting for the delay', async () => {
    const { output, logger, lines } = loggerWithWrites();
    logger.info('GET /api/tasks 200');
    logger.error('database unavailable');

    await once(output.stream, 'write');

    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      [30, 'GET /api/tasks 200'],
      [50, 'database unavailable'],
    ]);
  });

  it('writes a full batch at once, without waiting for the delay', async () => {
    const { output, logger, lines } = loggerWithWrites();
    const padding = 'x'.repeat(200);
    for (let i = 0; i < Math.ceil(BATCH_BYTES / padding.length) + 1; i++) logger.info({ padding }, `line ${i}`);

    await once(output.stream, 'write');

    expect(readFileSync(file).length).toBeGreaterThanOrEqual(BATCH_BYTES);
    expect(lines()[0].msg).toBe('line 0');
  });
});
