import pg from 'pg';
import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics.registry.js';

/** The pools the app opened and has not ended. */
const openPools = new Set<pg.Pool>();

/**
 * TypeORM keeps its pg pool private (a driver property typed `any`, on a class its public API does not
 * export), so the pool is observed where TypeORM creates it: its public `driver` option takes the
 * pg module to use, and this one is pg with a Pool that registers itself. Counts then come from
 * pg's own public pool API.
 */
class ObservedPool extends pg.Pool {
  constructor(options?: pg.PoolConfig) {
    super(options);
    openPools.add(this);
  }
}

/** pg, unchanged except that its pools can be measured. For TypeORM's `driver` option. */
export const observedPg: typeof pg = Object.create(pg, { Pool: { value: ObservedPool, enumerable: true } }) as typeof pg;

function sumOverOpenPools(count: (pool: pg.Pool) => number): number {
  let total = 0;
  for (const pool of openPools) {
    if (pool.ended) openPools.delete(pool);
    else total += count(pool);
  }
  return total;
}

new Gauge({
  name: 'db_pool_connections_in_use',
  help: 'Database connections checked out of the pool.',
  registers: [metricsRegistry],
  collect() {
    this.set(sumOverOpenPools((pool) => pool.totalCount - pool.idleCount));
  },
});

new Gauge({
  name: 'db_pool_connections_idle',
  help: 'Open database connections waiting in the pool.',
  registers: [metricsRegistry],
  collect() {
    this.set(sumOverOpenPools((pool) => pool.idleCount));
  },
});

new Gauge({
  name: 'db_pool_requests_waiting',
  help: 'Queries waiting for a free database connection.',
  registers: [metricsRegistry],
  collect() {
    this.set(sumOverOpenPools((pool) => pool.waitingCount));
  },
});
