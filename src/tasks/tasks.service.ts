import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import type { AppConfig, LimitsConfig } from '../config/app-config.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import type { TagSummaryResponse } from './dto/tag-summary.response.js';
import type { TaskPageResponse } from './dto/task-page.response.js';
import { TaskResponse } from './dto/task.response.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { type EtagCondition, versionsAllowedBy } from './etag.js';
import { idempotently, requestFingerprint } from './idempotency.js';
import { RecurringTasks } from './recurrence/recurring-tasks.js';
import { startSchedule } from './recurrence/task-schedule.js';
import { OwnerSlots, TOO_MANY_SEARCHES_DETAIL } from './owner-slots.js';
import { SearchWordStatsCache } from './search-word-stats.cache.js';
import type { NewTask, TaskKey, TaskRow } from './task.statements.js';
import { TasksRepository } from './tasks.repository.js';

/** The compatibility list: its first COMPAT_LIST_MAX tasks, and whether there were more. */
export interface BoundedTaskList {
  tasks: TaskResponse[];
  truncated: boolean;
}

export interface CreatedTask {
  task: TaskResponse;
  /** True when this is a retry answered with the first response of its Idempotency-Key. */
  replayed: boolean;
}

/**
 * The rules of one owner's tasks. The owner is the first argument of every method and goes into
 * every repository call: a task of someone else is never read, changed or even acknowledged (it
 * is the same 404 as a task that does not exist).
 */
@Injectable()
export class TasksService {
  private readonly limits: LimitsConfig;
  private readonly searches: OwnerSlots;

  constructor(
    private readonly tasks: TasksRepository,
    private readonly recurring: RecurringTasks,
    private readonly wordStats: SearchWordStatsCache,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limits = config.get('limits', { infer: true });
    this.searches = new OwnerSlots(this.limits.searchesPerUser, TOO_MANY_SEARCHES_DETAIL);
  }

  async create(owner: Principal, dto: CreateTaskDto, idempotencyKey?: string): Promise<CreatedTask> {
    if (idempotencyKey === undefined) return { task: await this.insert(owner, dto), replayed: false };
    return this.createIdempotently(owner, idempotencyKey, newTaskFields(dto));
  }

  /** Creates the task, within the owner's quota; with `manager`, inside that transaction (a batch's). */
  async insert(owner: Principal, dto: CreateTaskDto, manager?: EntityManager): Promise<TaskResponse> {
    return this.withinQuota(await this.tasks.insert({ ownerId: owner.id, ...newTaskFields(dto) }, this.limits.tasksPerUser, manager));
  }

  async list(owner: Principal, query: ListTasksQueryDto): Promise<TaskPageResponse> {
    const list = async () => this.tasks.list({ ownerId: owner.id, query, wordStats: query.q === undefined ? undefined : await this.wordStats.get() });
    const { rows, nextCursor } = await (query.q === undefined ? list() : this.searches.run(owner.id, list));
    return { items: rows.map((row) => TaskResponse.from(row)), nextCursor };
  }

  /**
   * The compatibility API's unpaged list, bounded: its first COMPAT_LIST_MAX tasks in the requested
   * order, in one query, so that a user with a million tasks costs what one with a thousand does.
   */
  async listAll(owner: Principal, query: Pick<ListTasksQueryDto, 'status' | 'sort'>): Promise<BoundedTaskList> {
    const page = await this.list(owner, { ...query, limit: this.limits.compatListMax });
    return { tasks: page.items, truncated: page.nextCursor !== null };
  }

  async findOne(owner: Principal, id: string): Promise<TaskResponse> {
    return found(await this.tasks.findOwned({ ownerId: owner.id, id }), id);
  }

  /** Applies the fields that were sent. With `ifMatch`, only when the task is still at one of those versions (else 412). */
  async update(owner: Principal, id: string, dto: UpdateTaskDto, ifMatch?: EtagCondition, manager?: EntityManager): Promise<TaskResponse> {
    const allowedVersions = versionsAllowedBy(ifMatch);
    const { title, description, completed, priority, tags, recurrence, timeZone, recurrenceBase } = dto;
    const changes = { title, description, completed, priority, tags, dueAt: dto.dueAt === undefined ? undefined : toInstant(dto.dueAt) };
    const key = { ownerId: owner.id, id };
    if (recurrence !== undefined || timeZone !== undefined || recurrenceBase !== undefined) {
      return TaskResponse.from(await this.recurring.update(key, { changes, allowedVersions, recurrence, timeZone, recurrenceBase }, manager));
    }
    const updated = await this.tasks.update({ ...key, changes, allowedVersions }, manager);
    if (updated) return TaskResponse.from(updated);
    // The statement leaves completing a recurring task, or moving its due date, to RecurringTasks.
    if (completed === true || changes.dueAt !== undefined) return TaskResponse.from(await this.recurring.update(key, { changes, allowedVersions }, manager));
    // Nothing matched: either no such task (404) or it is at another version (412).
    throw await this.notFoundOrChanged(key, allowedVersions, manager);
  }

  /**
   * `update` under an Idempotency-Key: a retry with the same body (and If-Match) gets the first
   * response instead of applying the change again, so a retried completion of a recurring task
   * never skips an occurrence.
   */
  async updateIdempotently(owner: Principal, id: string, dto: UpdateTaskDto, ifMatch: EtagCondition | undefined, key: string): Promise<CreatedTask> {
    const fingerprint = requestFingerprint(['PATCH', id, dto, ifMatch ?? null]);
    return this.idempotently(owner.id, key, fingerprint, (manager) => this.update(owner, id, dto, ifMatch, manager));
  }

  /** Flips `completed` (the compatibility API's PATCH …/complete). */
  async toggleCompleted(owner: Principal, id: string): Promise<TaskResponse> {
    const toggled = await this.tasks.toggleCompleted({ ownerId: owner.id, id });
    // No row: no such task (404), or an open recurring one, which completing advances.
    return TaskResponse.from(toggled ?? (await this.recurring.toggle({ ownerId: owner.id, id })));
  }

  /** Deletes the task; with `ifMatch`, only while it is at one of those versions (else 412). */
  async remove(owner: Principal, id: string, ifMatch?: EtagCondition, manager?: EntityManager): Promise<void> {
    const allowedVersions = versionsAllowedBy(ifMatch);
    const key = { ownerId: owner.id, id };
    if (!(await this.tasks.delete({ ...key, allowedVersions }, manager))) throw await this.notFoundOrChanged(key, allowedVersions, manager);
  }

  async listTags(owner: Principal): Promise<TagSummaryResponse[]> {
    return this.tasks.listTags({ ownerId: owner.id });
  }

  /**
   * Claims the key and creates the task in one transaction. Concurrent requests with the same key
   * wait on the claim's row lock (the primary key) until the first commits, then replay its
   * response: exactly one task, whatever the race. If the first fails, its claim rolls back and a
   * waiting request takes the key over.
   */
  private async createIdempotently(owner: Principal, key: string, fields: Omit<NewTask, 'ownerId'>): Promise<CreatedTask> {
    const ownerId = owner.id;
    const { title, description, completed, priority, tags, dueAt, recurrence, timeZone, recurrenceBase } = fields;
    const fingerprint = requestFingerprint([title, description, completed, priority, tags, dueAt, ...(recurrence === null && timeZone === null ? [] : [recurrence, timeZone, recurrenceBase])]);
    return this.idempotently(ownerId, key, fingerprint, async (manager) => this.withinQuota(await this.tasks.insert({ ownerId, ...fields }, this.limits.tasksPerUser, manager)));
  }

  private async idempotently(ownerId: string, key: string, fingerprint: string, work: (manager: EntityManager) => Promise<TaskResponse>): Promise<CreatedTask> {
    const { response, replayed } = await idempotently(this.tasks, { ownerId, key, fingerprint }, async (manager) => {
      const task = await work(manager);
      return { response: task, taskId: task.id };
    });
    return { task: response, replayed };
  }

  /** Why a write matched no row: no such task (404), or it is at another version than If-Match allows (412). */
  private async notFoundOrChanged(key: TaskKey, allowedVersions: number[] | null, manager?: EntityManager): Promise<Error> {
    if (allowedVersions === null || !(await this.tasks.exists(key, manager))) return taskNotFound(key.id);
    return new ProblemException({ status: 412, type: ProblemType.PreconditionFailed, detail: 'The task has changed since the version named in If-Match. Fetch it again and retry.' });
  }

  /**
   * A 409 rather than a 403 when the owner is at TASKS_PER_USER_MAX: the refusal comes from the
   * state of their task list, which they can change (delete tasks), not from what they may do;
   * and 403 already means "not your tasks" here.
   */
  private withinQuota(row: TaskRow | undefined): TaskResponse {
    if (row) return TaskResponse.from(row);
    throw new ProblemException({
      status: 409,
      type: ProblemType.QuotaExceeded,
      detail: `You have reached the limit of ${this.limits.tasksPerUser} tasks. Delete some before creating more.`,
    });
  }
}

function newTaskFields(dto: CreateTaskDto): Omit<NewTask, 'ownerId'> {
  const dueAt = toInstant(dto.dueAt);
  return {
    title: dto.title,
    description: dto.description ?? null,
    completed: dto.completed ?? false,
    priority: dto.priority ?? 'none',
    tags: dto.tags ?? [],
    dueAt,
    ...startSchedule(dto, dueAt),
  };
}

/** A stored date-time: UTC, to the millisecond, so that what the API returns is what it stored. */
function toInstant(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : new Date(value).toISOString();
}

function found(row: TaskRow | undefined, id: string): TaskResponse {
  if (!row) throw taskNotFound(id);
  return TaskResponse.from(row);
}

function taskNotFound(id: string): NotFoundException {
  return new NotFoundException(`There is no task ${id}.`);
}
