import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import type { TagSummaryResponse } from './dto/tag-summary.response.js';
import type { TaskPageResponse } from './dto/task-page.response.js';
import { TaskResponse } from './dto/task.response.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import type { EtagCondition } from './etag.js';
import { requestFingerprint } from './idempotency.js';
import { RecurringTasks } from './recurrence/recurring-tasks.js';
import { startSchedule } from './recurrence/task-schedule.js';
import type { NewTask, TaskRow } from './task.statements.js';
import { TasksRepository } from './tasks.repository.js';

const LIST_ALL_PAGE = 500;

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
  constructor(
    private readonly tasks: TasksRepository,
    private readonly recurring: RecurringTasks,
  ) {}

  async create(owner: Principal, dto: CreateTaskDto, idempotencyKey?: string): Promise<CreatedTask> {
    const dueAt = toInstant(dto.dueAt);
    const fields: Omit<NewTask, 'ownerId'> = {
      title: dto.title,
      description: dto.description ?? null,
      completed: dto.completed ?? false,
      priority: dto.priority ?? 'none',
      tags: dto.tags ?? [],
      dueAt,
      ...startSchedule(dto, dueAt),
    };
    if (idempotencyKey === undefined) return { task: TaskResponse.from(await this.tasks.insert({ ownerId: owner.id, ...fields })), replayed: false };
    return this.createIdempotently(owner, idempotencyKey, fields);
  }

  async list(owner: Principal, query: ListTasksQueryDto): Promise<TaskPageResponse> {
    const { rows, nextCursor } = await this.tasks.list({ ownerId: owner.id, query });
    return { items: rows.map((row) => TaskResponse.from(row)), nextCursor };
  }

  /** Every matching task, walking the pages (the compatibility API has no pagination). */
  async listAll(owner: Principal, query: Pick<ListTasksQueryDto, 'status' | 'sort'>): Promise<TaskResponse[]> {
    const tasks: TaskResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(owner, { ...query, limit: LIST_ALL_PAGE, cursor });
      tasks.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return tasks;
  }

  async findOne(owner: Principal, id: string): Promise<TaskResponse> {
    return found(await this.tasks.findOwned({ ownerId: owner.id, id }), id);
  }

  /** Applies the fields that were sent. With `ifMatch`, only when the task is still at one of those versions (else 412). */
  async update(owner: Principal, id: string, dto: UpdateTaskDto, ifMatch?: EtagCondition, manager?: EntityManager): Promise<TaskResponse> {
    const allowedVersions = ifMatch === undefined || ifMatch === '*' ? null : ifMatch;
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
    if (allowedVersions !== null && (await this.tasks.exists({ ownerId: owner.id, id }))) {
      throw new ProblemException({ status: 412, type: ProblemType.PreconditionFailed, detail: 'The task has changed since the version named in If-Match. Fetch it again and retry.' });
    }
    throw taskNotFound(id);
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

  async remove(owner: Principal, id: string): Promise<void> {
    if (!(await this.tasks.delete({ ownerId: owner.id, id }))) throw taskNotFound(id);
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
    return this.idempotently(ownerId, key, fingerprint, async (manager) => TaskResponse.from(await this.tasks.insert({ ownerId, ...fields }, manager)));
  }

  /**
   * Claims the key, does the work and records its response in one transaction; or, for a key
   * already used, replays the first response (422 when it was for another request).
   */
  private async idempotently(ownerId: string, key: string, fingerprint: string, work: (manager: EntityManager) => Promise<TaskResponse>): Promise<CreatedTask> {
    const done = await this.tasks.transaction(async (manager) => {
      if (!(await this.tasks.claimIdempotencyKey({ ownerId, key, fingerprint }, manager))) return undefined;
      const task = await work(manager);
      await this.tasks.recordIdempotentResponse({ ownerId, key, response: task }, manager);
      return task;
    });
    if (done) return { task: done, replayed: false };

    const record = await this.tasks.findIdempotencyRecord({ ownerId, key });
    if (record?.response && record.requestHash === fingerprint) return { task: record.response, replayed: true };
    if (record?.response) {
      throw new ProblemException({
        status: 422,
        type: ProblemType.Unprocessable,
        detail: 'This Idempotency-Key was already used, within the last 24 hours, for a request with a different body.',
      });
    }
    // The key's record expired or was taken over between the two statements: rare, and safe to retry.
    throw new ProblemException({ status: 409, type: ProblemType.Conflict, detail: 'A request with this Idempotency-Key is being processed. Retry shortly.' });
  }
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
