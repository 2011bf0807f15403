import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { TaskResponse } from '../tasks/dto/task.response.js';
import type { ChangeFeedQueryDto } from './dto/change-feed-query.dto.js';
import { DEFAULT_CHANGES_LIMIT } from './dto/change-feed-query.dto.js';
import type { ChangeFeedResponse, TaskTombstone } from './dto/change-feed.response.js';
import type { ChangeRow } from './sync.statements.js';
import { SyncRepository } from './sync.repository.js';
import { decodeSyncToken, encodeSyncToken, FIRST_TASK_ID, InvalidSyncTokenError, type SyncPosition } from './sync-token.js';

export type FeedPosition = Extract<SyncPosition, { kind: 'feed' }>;

/** One live event's worth of the feed: a task created, updated or deleted, and the token right after it. */
export interface StreamEntry {
  kind: 'created' | 'updated' | 'deleted';
  change: TaskResponse | TaskTombstone;
  token: string;
}

/**
 * The change feed: a first sync pages through a snapshot of the caller's tasks, then follows their
 * changes. The snapshot's token remembers the oldest running transaction at its first page: every
 * write the snapshot pages may have missed belongs to a transaction at or after it, so the feed
 * starts there (a task may then come once more, in the state it has by then).
 */
@Injectable()
export class SyncService {
  constructor(private readonly repository: SyncRepository) {}

  async changes(owner: Principal, { since, limit = DEFAULT_CHANGES_LIMIT }: ChangeFeedQueryDto): Promise<ChangeFeedResponse> {
    const position = since === undefined ? undefined : this.decode(owner, since);
    if (position?.kind === 'feed') return this.feedPage(owner, position, limit);
    return this.snapshotPage(owner, position, limit);
  }

  private async snapshotPage(owner: Principal, position: Extract<SyncPosition, { kind: 'snapshot' }> | undefined, limit: number): Promise<ChangeFeedResponse> {
    const rows = await this.repository.snapshot({ ownerId: owner.id, xid: position?.xid ?? '0', afterId: position?.afterId ?? FIRST_TASK_ID, limit: limit + 1 });
    if (position && rows[0].expired) throw syncTokenExpired();
    const xid = position?.xid ?? rows[0].runningXmin;
    const tasks = rows.flatMap((row) => (row.task ? [row.task] : []));
    const page = tasks.slice(0, limit);
    const next: SyncPosition = tasks.length > limit ? { kind: 'snapshot', xid, afterId: page[page.length - 1].id } : { kind: 'feed', xid, position: '0' };
    // Always more after a snapshot page: after its last one, the writes made while the snapshot was
    // being paged wait in the feed from its start. A client that stopped at `hasMore: false` here
    // would hold an older state than the server's until its next sync.
    return { changes: page.map((task) => TaskResponse.from(task)), nextSince: encodeSyncToken(owner.id, next), hasMore: true };
  }

  private async feedPage(owner: Principal, position: FeedPosition, limit: number): Promise<ChangeFeedResponse> {
    const { changes, next, hasMore } = await this.readFeed(owner.id, position, limit);
    return { changes: collapse(changes).map(toEntry), nextSince: encodeSyncToken(owner.id, next), hasMore };
  }

  /**
   * Where a live event stream starts: at a feed token (a stream's event id, or a change feed's
   * `nextSince`), or, with none, at the current horizon (changes from now on). A snapshot token
   * is refused: the snapshot's remaining pages are only on GET /api/tasks/changes, and a stream
   * that skipped them would leave the client without those tasks.
   */
  async streamStart(owner: Principal, token: string | undefined, field: string): Promise<FeedPosition> {
    if (token === undefined) {
      const [horizon] = await this.repository.changes({ ownerId: owner.id, xid: '0', position: '0', limit: 0 });
      return { kind: 'feed', xid: horizon.runningXmin, position: '0' };
    }
    const position = this.decode(owner, token, field);
    if (position.kind === 'snapshot') throw invalidField(field, 'This is a snapshot token: finish the snapshot with GET /api/tasks/changes, then stream from its last nextSince.');
    return position;
  }

  /**
   * Live events: up to `limit` changes after `position`, collapsed as the feed collapses them, each
   * with the token right after it (so a client resuming from any event misses nothing) and whether
   * the task was created in them; 410 when the position is older than the tombstone retention.
   */
  async streamEntries(owner: Principal, position: FeedPosition, limit: number): Promise<{ entries: StreamEntry[]; next: FeedPosition; hasMore: boolean }> {
    const { changes, next, hasMore } = await this.readFeed(owner.id, position, limit);
    const entries = collapse(changes).map(({ last, inserted }) => ({
      kind: !last.task ? ('deleted' as const) : inserted ? ('created' as const) : ('updated' as const),
      change: toEntry({ last }),
      token: encodeSyncToken(owner.id, { kind: 'feed', xid: last.xid!, position: last.position! }),
    }));
    return { entries, next, hasMore };
  }

  private async readFeed(ownerId: string, position: FeedPosition, limit: number): Promise<{ changes: ChangeRow[]; next: FeedPosition; hasMore: boolean }> {
    const rows = await this.repository.changes({ ownerId, xid: position.xid, position: position.position, limit: limit + 1 });
    if (rows[0].expired) throw syncTokenExpired();
    const changes = rows.filter((row) => row.xid !== null).slice(0, limit);
    const hasMore = rows.length > limit;
    const last = changes[changes.length - 1];
    // With nothing more to hand out, the token moves up to the oldest running transaction, so the
    // next sync does not scan again what this one found empty.
    const next: FeedPosition = hasMore ? { kind: 'feed', xid: last.xid!, position: last.position! } : laterOf(position, { kind: 'feed', xid: rows[0].runningXmin, position: '0' });
    return { changes, next, hasMore };
  }

  private decode(owner: Principal, since: string, field = 'since'): SyncPosition {
    try {
      return decodeSyncToken(owner.id, since);
    } catch (error) {
      if (error instanceof InvalidSyncTokenError) throw invalidField(field, error.message);
      throw error;
    }
  }
}

/** One entry per task, where its last change was (so in the order of those), and whether one of its changes inserted it. */
function collapse(changes: ChangeRow[]): { last: ChangeRow; inserted: boolean }[] {
  const latest = new Map<string, { last: ChangeRow; inserted: boolean }>();
  for (const change of changes) {
    const inserted = latest.get(change.taskId!)?.inserted === true || change.operation === 'insert';
    latest.delete(change.taskId!);
    latest.set(change.taskId!, { last: change, inserted });
  }
  return [...latest.values()];
}

/** The task as it is now, or its tombstone. */
function toEntry({ last }: { last: ChangeRow }): TaskResponse | TaskTombstone {
  return last.task ? TaskResponse.from(last.task) : { id: last.taskId!, deleted: true as const, deletedAt: last.changedAt! };
}

function laterOf(a: FeedPosition, b: FeedPosition): FeedPosition {
  const key = (p: typeof a) => [BigInt(p.xid), BigInt(p.position)] as const;
  const [ax, ap] = key(a);
  const [bx, bp] = key(b);
  return ax > bx || (ax === bx && ap > bp) ? a : b;
}

function syncTokenExpired(): ProblemException {
  return new ProblemException({
    status: 410,
    type: ProblemType.SyncTokenExpired,
    title: 'Sync token expired',
    detail: 'Changes this token still needed have been purged: sync again from the start, without `since`.',
  });
}
