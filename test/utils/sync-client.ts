import { setTimeout as sleep } from 'node:timers/promises';
import { type TaskJson, type TasksUser, withDatabase } from './tasks-client.js';

export interface Tombstone {
  id: string;
  deleted: true;
  deletedAt: string;
}

export interface ChangeFeedPage {
  changes: (TaskJson | Tombstone)[];
  nextSince: string;
  hasMore: boolean;
}

/** A device's copy of a user's tasks, kept up to date through GET /api/tasks/changes only. */
export class SyncingDevice {
  readonly tasks = new Map<string, TaskJson>();
  since?: string;

  constructor(private readonly user: TasksUser) {}

  /** One page of the feed, applied; the page. */
  async syncPage(limit = 100): Promise<ChangeFeedPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(this.since === undefined ? {} : { since: this.since }) });
    const page = (await this.user.get(`/api/tasks/changes?${query.toString()}`).expect(200)).body as ChangeFeedPage;
    for (const change of page.changes) {
      if ('deleted' in change) this.tasks.delete(change.id);
      else this.tasks.set(change.id, change);
    }
    this.since = page.nextSince;
    return page;
  }

  /**
   * Pages until the feed has nothing more ready; every change seen. Unless told not to, first waits
   * for every transaction running now (in any database of the server, other test files included) to
   * end: the feed holds a change back while an older transaction runs, so only then is every
   * committed write ready.
   */
  async syncToEnd(limit = 100, { waitForRunning = true } = {}): Promise<(TaskJson | Tombstone)[]> {
    if (waitForRunning) await runningTransactionsEnded();
    const seen: (TaskJson | Tombstone)[] = [];
    for (let page = await this.syncPage(limit); ; page = await this.syncPage(limit)) {
      seen.push(...page.changes);
      if (!page.hasMore) return seen;
    }
  }
}

/** Every task of the user, as GET /api/tasks lists them, by id. */
export async function serverTasks(user: TasksUser): Promise<Map<string, TaskJson>> {
  const tasks = new Map<string, TaskJson>();
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor === undefined ? {} : { cursor }) });
    const body = (await user.get(`/api/tasks?${query.toString()}`).expect(200)).body as { items: TaskJson[]; nextCursor: string | null };
    for (const task of body.items) tasks.set(task.id, task);
    cursor = body.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return tasks;
}

/** Resolves once every transaction that is running now has ended (the server's oldest running xid has passed a new one). */
async function runningTransactionsEnded(): Promise<void> {
  await withDatabase(async (client) => {
    const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    for (;;) {
      const { rows: now } = await client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      if (BigInt(now[0].xmin) > BigInt(rows[0].xid)) return;
      await sleep(10);
    }
  });
}
