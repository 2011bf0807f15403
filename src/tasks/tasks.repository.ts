import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, Raw, Repository } from 'typeorm';
import { statementRows } from '../database/statement-rows.js';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { encodeCursor } from './task-cursor.js';
import { planTaskList } from './task-list.query.js';
import { type ListedTaskRow, searchWordStatsStatement } from './task-list.statements.js';
import type { SearchWordStats } from './task-search.js';
import { Task } from './task.entity.js';
import {
  claimIdempotencyKeyStatement,
  insertTaskStatement,
  listTagsStatement,
  lockTasksStatement,
  lockTaskStatement,
  type ScheduledTaskRow,
  selectScheduledTaskStatement,
  type NewTask,
  selectTaskStatement,
  type Statement,
  type TaskKey,
  taskExistsStatement,
  type TaskRow,
  type TaskUpdate,
  toggleCompletedStatement,
  updateTaskStatement,
} from './task.statements.js';

export interface TaskRowPage {
  rows: TaskRow[];
  /** The cursor of the next page; null on the last. */
  nextCursor: string | null;
}

export interface TagCount {
  name: string;
  open: number;
  total: number;
}

interface IdempotencyKeyRef {
  ownerId: string;
  key: string;
}

/** The live record of an Idempotency-Key. */
export type IdempotencyRecord = Pick<IdempotencyKey, 'requestHash' | 'response'>;

/**
 * Every read and write of `tasks` and `idempotency_keys`. Each method but the purge takes the
 * owner in its arguments, and its statement is scoped by it. The statements of task.statements.ts run as
 * written (it says why they are SQL); what TypeORM's Repository API says as plainly (a delete by
 * key, the idempotency record's update and lookup) goes through it. Methods given an
 * EntityManager run inside that transaction (see `transaction`).
 */
@Injectable()
export class TasksRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(IdempotencyKey) private readonly idempotencyKeys: Repository<IdempotencyKey>,
  ) {}

  /** Runs `work` in one transaction (rolled back if it throws); pass its manager to the methods that take one. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The new task, or undefined when the owner already has `maxOwnedTasks` (see insertTaskStatement). */
  async insert(task: NewTask, maxOwnedTasks: number, manager?: EntityManager): Promise<TaskRow | undefined> {
    const [row] = await this.rows<TaskRow>(insertTaskStatement(task, maxOwnedTasks), manager);
    return row;
  }

  async findOwned(key: TaskKey): Promise<TaskRow | undefined> {
    return (await this.rows<TaskRow>(selectTaskStatement(key)))[0];
  }

  /** The task with where its series stands. */
  async findScheduled(key: TaskKey): Promise<ScheduledTaskRow | undefined> {
    return (await this.rows<ScheduledTaskRow>(selectScheduledTaskStatement(key)))[0];
  }

  /** The task with where its series stands, locked until `manager`'s transaction ends. */
  async lockOwned(key: TaskKey, manager: EntityManager): Promise<ScheduledTaskRow | undefined> {
    return (await this.rows<ScheduledTaskRow>(lockTaskStatement(key), manager))[0];
  }

  async exists(key: TaskKey, manager?: EntityManager): Promise<boolean> {
    return (await this.rows(taskExistsStatement(key), manager)).length > 0;
  }

  /** Locks the owner's tasks among `ids` until `manager`'s transaction ends, in id order (see lockTasksStatement). */
  async lockOwnedIds({ ownerId, ids }: { ownerId: string; ids: string[] }, manager: EntityManager): Promise<void> {
    await this.rows(lockTasksStatement({ ownerId, ids }), manager);
  }

  /** The updated task; undefined when there is no such task or it is not at an allowed version. */
  async update(update: TaskUpdate, manager?: EntityManager): Promise<TaskRow | undefined> {
    return (await this.rows<TaskRow>(updateTaskStatement(update), manager))[0];
  }

  async toggleCompleted(key: TaskKey): Promise<TaskRow | undefined> {
    return (await this.rows<TaskRow>(toggleCompletedStatement(key)))[0];
  }

  /** Whether there was such a task (at one of `allowedVersions`, unless null). */
  async delete({ ownerId, id, allowedVersions = null }: TaskKey & { allowedVersions?: number[] | null }, manager?: EntityManager): Promise<boolean> {
    const criteria = { ownerId, id, ...(allowedVersions === null ? {} : { version: In(allowedVersions) }) };
    const { affected } = await (manager ?? this.tasks.manager).delete(Task, criteria);
    return affected === 1;
  }

  /** One page of GET /api/tasks (planTaskList throws the 400 for a cursor of another list), and the next page's cursor. */
  async list({ ownerId, query, wordStats }: { ownerId: string; query: ListTasksQueryDto; wordStats?: SearchWordStats }): Promise<TaskRowPage> {
    const plan = planTaskList(ownerId, query, new Date(), wordStats);
    const rows = await this.rows<ListedTaskRow>(plan.statement);
    const page = rows.slice(0, plan.pageSize);
    const last = page.at(-1);
    const nextCursor = rows.length > plan.pageSize && last ? encodeCursor(plan.binding, { key: last.sortKey, id: last.id }) : null;
    return { rows: page, nextCursor };
  }

  /** The column statistics of the search words; undefined before the table was first analysed. */
  async searchWordStats(): Promise<SearchWordStats | undefined> {
    return (await this.rows<SearchWordStats>(searchWordStatsStatement()))[0];
  }

  async listTags({ ownerId }: { ownerId: string }): Promise<TagCount[]> {
    return this.rows<TagCount>(listTagsStatement({ ownerId }));
  }

  /**
   * Claims the key for this request, or takes over an expired record of it. False when another
   * request holds it; the claim's row lock makes a concurrent claim of the same key wait until
   * this transaction ends.
   */
  async claimIdempotencyKey(claim: IdempotencyKeyRef & { fingerprint: string }, manager: EntityManager): Promise<boolean> {
    return (await this.rows(claimIdempotencyKeyStatement(claim), manager)).length > 0;
  }

  /** `taskId`: the task the request created or changed, when there is one (a batch has many). */
  async recordIdempotentResponse({ ownerId, key, taskId, response }: IdempotencyKeyRef & { taskId: string | null; response: object }, manager: EntityManager): Promise<void> {
    await manager.update(IdempotencyKey, { ownerId, key }, { taskId, response });
  }

  /** The key's record unless it has expired (by the database's clock, as the claim judges it). */
  async findIdempotencyRecord({ ownerId, key }: IdempotencyKeyRef): Promise<IdempotencyRecord | null> {
    return this.idempotencyKeys.findOne({ select: { requestHash: true, response: true }, where: { ownerId, key, expiresAt: Raw((column) => `${column} > now()`) } });
  }

  /** Deletes every expired record, of every owner; how many. */
  async purgeExpiredIdempotencyKeys(): Promise<number> {
    const { affected } = await this.idempotencyKeys.delete({ expiresAt: Raw((column) => `${column} <= now()`) });
    return affected ?? 0;
  }

  /** The rows a statement returns, typed as the statement's row (the one place a row gets its type). */
  private rows<Row>(statement: Statement, manager?: EntityManager): Promise<Row[]> {
    return statementRows<Row>(this.dataSource, statement, manager?.queryRunner);
  }
}
