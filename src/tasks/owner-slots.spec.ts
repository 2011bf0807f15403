import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { OwnerSlots } from './owner-slots.js';

/** A search that ends when the test says so. */
function pendingSearch() {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve('rows')));
  return { run: () => done, finish };
}

describe('OwnerSlots', () => {
  it('refuses a third concurrent search of one owner with 429, and admits it again once one ends', async () => {
    const slots = new OwnerSlots(2, 'busy');
    const [first, second] = [pendingSearch(), pendingSearch()];
    const running = [slots.run('alice', first.run), slots.run('alice', second.run)];
    const refused = await slots.run('alice', () => Promise.resolve('rows')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(429);
    // Another owner is not affected.
    await expect(slots.run('bob', () => Promise.resolve('rows'))).resolves.toBe('rows');
    first.finish();
    await running[0];
    await expect(slots.run('alice', () => Promise.resolve('again'))).resolves.toBe('again');
    second.finish();
    await running[1];
  });

  it('frees the slot of a search that fails', async () => {
    const slots = new OwnerSlots(1, 'busy');
    await expect(slots.run('alice', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    await expect(slots.run('alice', () => Promise.resolve('rows'))).resolves.toBe('rows');
  });
});
