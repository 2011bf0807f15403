import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrate.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { withDatabase } from './utils/tasks-client.js';

const MIGRATION_COUNT = Object.values(MIGRATIONS).length;

const SCHEMA = `
  SELECT string_agg(format('%s %s', c.relkind, c.relname), ', ' ORDER BY c.relname) AS objects,
         (SELECT reloptions FROM pg_class WHERE relname = 'tasks' AND relnamespace = 'public'::regnamespace) AS task_options
  FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'migrations%'
    AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'migrations'::regclass)`;

/** An operator rolling a release back runs `npm run migration:revert`: every step must undo cleanly, and re-apply. */
describe('database migrations', () => {
  it('apply, revert one by one to an empty schema, and apply again to the same schema', async () => {
    // Created and dropped from this run's test database, so the schema under test starts empty.
    const name = `tasks_api_migrations_test_${randomBytes(3).toString('hex')}`;
    await withDatabase((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const dataSource = new DataSource(dataSourceOptions(loadConfig({ NODE_ENV: 'test' }).database, url.toString()));
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toHaveLength(MIGRATION_COUNT);
      const applied = await dataSource.query(SCHEMA);
      expect(applied[0].task_options).toEqual(['parallel_workers=0']);

      for (let i = 0; i < MIGRATION_COUNT; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      expect((await dataSource.query(SCHEMA))[0].objects).toBeNull();

      expect(await runMigrations(dataSource)).toHaveLength(MIGRATION_COUNT);
      expect(await dataSource.query(SCHEMA)).toEqual(applied);
    } finally {
      await dataSource.destroy();
      await withDatabase((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    }
  });
});
