import { describe, expect, it } from 'vitest';
import { refusals } from './metrics.registry.js';
import { countIfRefusal } from './refusals.js';

async function countOf(type: string): Promise<number> {
  return (await refusals.get()).values.find((value) => value.labels.type === type)?.value ?? 0;
}

describe('countIfRefusal', () => {
  it('counts every 429 and every quota problem by type, and nothing else', async () => {
    const limited = 'https://tasks-api.dev/problems/too-many-requests';
    const quota = 'https://tasks-api.dev/problems/task-quota-exceeded';
    const [limitedBefore, quotaBefore] = [await countOf(limited), await countOf(quota)];
    countIfRefusal(429, limited);
    countIfRefusal(403, quota);
    countIfRefusal(404, 'https://tasks-api.dev/problems/not-found');
    expect(await countOf(limited)).toBe(limitedBefore + 1);
    expect(await countOf(quota)).toBe(quotaBefore + 1);
    expect(await countOf('https://tasks-api.dev/problems/not-found')).toBe(0);
  });
});
