import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../utils/tasks-client.js';
import { TcpProxy } from '../utils/tcp-proxy.js';
import { freshUser } from '../utils/tokens.js';
import { ApiProcess, freePort } from './api-process.js';
import { CreateLoad } from './create-load.js';

const CLIENTS = 8;

/**
 * Item 8 of issue 22: the built API in a child process under a bounded load of idempotent creates
 * (retried by the clients), its database cut (a proxy in between) and restored, then the API sent
 * SIGTERM and started again. Afterwards every acknowledged create is in the database, exactly
 * once, and no client ever saw a 500. Run `npm run build` first (`npm run test:reliability` does).
 */
describe('reliability: a database outage and a restart under load', () => {
  const started: ApiProcess[] = [];
  let proxy: TcpProxy | undefined;

  afterAll(async () => {
    for (const api of started) api.kill();
    await proxy?.stop();
  });

  it('keeps every acknowledged create, answers no 500, and recovers', async () => {
    const database = await TcpProxy.inFrontOf(inject('databaseUrl'));
    proxy = database.proxy;
    const port = await freePort();
    const startApi = async () => {
      const api = new ApiProcess(port, database.url);
      started.push(api);
      await api.start();
      return api;
    };
    let api = await startApi();
    const owner = await freshUser('reliability');
    const load = new CreateLoad(api.origin, owner.authorization, CLIENTS);
    load.start();
    await sleep(1_000);

    await database.proxy.stop();
    await sleep(2_000);
    await database.proxy.start();
    const databaseRecovery = await load.acknowledgementAfter(Date.now());
    await sleep(1_000);

    const terminatedAt = Date.now();
    expect(await api.terminate(), api.output).toBe(0);
    const exitedAt = Date.now();
    api = await startApi();
    const restartRecovery = await load.acknowledgementAfter(exitedAt);
    await sleep(1_000);
    await load.stop();
    await api.terminate();

    console.log(
      `reliability: ${load.acknowledged.size} creates acknowledged; the first ${databaseRecovery} ms after the database returned; ` +
        `SIGTERM to exit ${exitedAt - terminatedAt} ms, then the first on the new instance ${restartRecovery} ms after the exit (start-up included); ` +
        `answers: ${JSON.stringify(Object.fromEntries(load.outcomes))}`,
    );
    expect(load.unexpected).toEqual([]);
    expect(load.outcomes.get('500')).toBeUndefined();
    expect(load.outcomes.get('503')).toBeGreaterThan(0);
    const stored = await withDatabase(async (client) => (await client.query<{ id: string }>('SELECT id FROM tasks WHERE owner_id = $1', [owner.id])).rows.map((row) => row.id));
    // Every acknowledged create is stored, and retries created nothing twice.
    expect(new Set(stored)).toEqual(new Set(load.acknowledged.values()));
    expect(stored).toHaveLength(load.acknowledged.size);
  });
});
