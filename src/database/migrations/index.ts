import type { MixedList } from 'typeorm';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so that the compiled app, the
 * TypeORM CLI and the TypeScript test runner all load exactly the same set.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: MixedList<Function> = [];
