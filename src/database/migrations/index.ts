import type { MixedList } from 'typeorm';
import { CreateTasks1764000000000 } from './1764000000000-create-tasks.js';
import { OwnerScopedGinIndexes1764100000000 } from './1764100000000-owner-scoped-gin-indexes.js';
import { RecordGeneratedColumns1764200000000 } from './1764200000000-record-generated-columns.js';
import { EnglishSearch1764300000000 } from './1764300000000-english-search.js';
import { TaskRecurrence1764500000000 } from './1764500000000-task-recurrence.js';
import { Reminders1764600000000 } from './1764600000000-reminders.js';
import { TaskChanges1764800000000 } from './1764800000000-task-changes.js';
import { LiveEvents1764900000000 } from './1764900000000-live-events.js';
import { Webhooks1764700000000 } from './1764700000000-webhooks.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so that the compiled app, the
 * TypeORM CLI and the TypeScript test runner all load exactly the same set.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: MixedList<Function> = [
  CreateTasks1764000000000,
  OwnerScopedGinIndexes1764100000000,
  RecordGeneratedColumns1764200000000,
  EnglishSearch1764300000000,
  TaskRecurrence1764500000000,
  Reminders1764600000000,
  Webhooks1764700000000,
  TaskChanges1764800000000,
  LiveEvents1764900000000,
];
