/**
 * The data source the TypeORM CLI reads (`npm run migration:run|revert|generate`). It uses the same
 * configuration as the app: DATABASE_URL when set, otherwise the embedded PostgreSQL in ./.data
 * (started here, stopped when the CLI exits).
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { processEnvironment } from '../config/environment.js';
import { dataSourceOptions } from './data-source-options.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

const config = loadConfig(processEnvironment());
let url = config.database.url;
if (!url) {
  const embedded = await startEmbeddedPostgres(config.dataDir, {
    info: (message) => console.error(message),
    warn: (message) => console.error(message),
    debug: () => undefined,
  });
  url = embedded.url;
  console.error(`Using the embedded PostgreSQL in ${embedded.clusterDir}`);
}

export default new DataSource({
  ...dataSourceOptions(config.database, url),
  // Entities are only needed by migration:generate, which diffs them against the schema.
  entities: [new URL('../**/*.entity.js', import.meta.url).pathname],
});
