import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, Repository } from 'typeorm';
import { decodeCursor, encodeCursor } from '../task-cursor.js';
import { TaskCompletion } from './task-completion.entity.js';

export interface CompletionRow {
  id: string;
  dueAt: string | null;
  completedAt: string;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Completion cursors are bound to the task they page through. */
const bindingOf = (taskId: string) => `completions:${taskId}`;

/** The completions of recurring tasks, always under their owner. */
@Injectable()
export class TaskCompletionsRepository {
  constructor(@InjectRepository(TaskCompletion) private readonly completions: Repository<TaskCompletion>) {}

  async record(completion: { ownerId: string; taskId: string; dueAt: string | null; completedAt: string }, manager: EntityManager): Promise<void> {
    await manager.insert(TaskCompletion, { ...completion, dueAt: completion.dueAt === null ? null : new Date(completion.dueAt), completedAt: new Date(completion.completedAt) });
  }

  /** Newest first, a keyset page; throws InvalidCursorError for a cursor of another task. */
  async page({ ownerId, taskId, limit, cursor }: { ownerId: string; taskId: string; limit: number; cursor?: string }): Promise<{ rows: CompletionRow[]; nextCursor: string | null }> {
    const query = this.completions
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .addSelect(ISO('c.completed_at'), 'completedAt')
      .addSelect(ISO('c.due_at'), 'dueAt')
      .addSelect('c.completed_at::text', 'sortKey')
      .where('c.owner_id = :ownerId AND c.task_id = :taskId', { ownerId, taskId })
      .orderBy('c.completed_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (cursor !== undefined) {
      const after = decodeCursor(cursor, bindingOf(taskId));
      query.andWhere(new Brackets((where) => where.where('(c.completed_at, c.id) < (:key::timestamptz, :id::uuid)', { key: after.key, id: after.id })));
    }
    const rows = await query.getRawMany<CompletionRow & { sortKey: string }>();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      rows: page.map(({ id, dueAt, completedAt }) => ({ id, dueAt, completedAt })),
      nextCursor: rows.length > limit && last ? encodeCursor(bindingOf(taskId), { key: last.sortKey, id: last.id }) : null,
    };
  }
}
