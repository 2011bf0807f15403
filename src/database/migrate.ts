import type { DataSource } from 'typeorm';

// Arbitrary, fixed: every instance of this app takes the same advisory lock.
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so several instances starting at
 * once (a rolling deploy, parallel test workers) apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lockRunner.release();
  }
}
