import { HttpException } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import { TaskResponse } from './dto/task.response.js';
import { RecurringTasks } from './recurrence/recurring-tasks.js';
import type { TaskCompletionsRepository } from './recurrence/task-completions.repository.js';
import type { TaskRow } from './task.statements.js';
import type { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { SearchWordStatsCache } from './search-word-stats.cache.js';

const alice: Principal = { id: 'alice', issuer: 'shared-secret' };
const ID = '0b6f2a4e-5d1c-4f7a-9c3e-2a1b0c9d8e7f';
const TRANSACTION = { name: 'the transaction' } as unknown as EntityManager;
const AT = '2026-04-20T08:15:30.123Z';
const ROW: TaskRow = { id: ID, title: 'Buy milk', description: null, completed: false, completedAt: null, priority: 'none', tags: [], dueAt: null, createdAt: AT, updatedAt: AT, version: 1,
  recurrence: null, timeZone: null, recurrenceBase: 'due' };
const TASK = TaskResponse.from(ROW);
const DTO = { title: 'Buy milk' } as CreateTaskDto;
const MAX_TASKS = 100_000;
const LIMITS = { get: () => ({ tasksPerUser: MAX_TASKS, compatListMax: 1_000, searchesPerUser: 2 }) } as unknown as ConfigService<AppConfig, true>;

type StandIn = { [Method in keyof TasksRepository]: Mock };

/** Every method a stand-in: nothing found, nothing claimed, unless a test says otherwise. */
function standInRepository(): StandIn {
  return {
    transaction: vi.fn((work: (manager: EntityManager) => Promise<unknown>) => work(TRANSACTION)),
    insert: vi.fn().mockResolvedValue(ROW),
    findOwned: vi.fn().mockResolvedValue(undefined),
    lockOwned: vi.fn().mockResolvedValue(undefined),
    findScheduled: vi.fn().mockResolvedValue(undefined),
    exists: vi.fn().mockResolvedValue(false),
    lockOwnedIds: vi.fn().mockResolvedValue(undefined),
    update: vi.fn().mockResolvedValue(undefined),
    toggleCompleted: vi.fn().mockResolvedValue(undefined),
    delete: vi.fn().mockResolvedValue(false),
    list: vi.fn().mockResolvedValue({ rows: [], nextCursor: null }),
    listTags: vi.fn().mockResolvedValue([]),
    searchWordStats: vi.fn().mockResolvedValue(undefined),
    claimIdempotencyKey: vi.fn().mockResolvedValue(false),
    recordIdempotentResponse: vi.fn().mockResolvedValue(undefined),
    findIdempotencyRecord: vi.fn().mockResolvedValue(null),
    purgeExpiredIdempotencyKeys: vi.fn().mockResolvedValue(0),
  };
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected an HTTP error, got ${String(error)}`);
  return error.getStatus();
}

/** The rules of TasksService, on a stand-in repository: no database. */
describe('TasksService', () => {
  let repository: StandIn;
  let service: TasksService;

  beforeEach(() => {
    repository = standInRepository();
    const tasks = repository as unknown as TasksRepository;
    service = new TasksService(tasks, new RecurringTasks(tasks, {} as TaskCompletionsRepository, { now: () => new Date(AT) }), new SearchWordStatsCache(tasks), LIMITS);
  });

  afterEach(() => {
    // Whatever the test did: every call that reached the repository named the caller as owner.
    const calls = Object.entries(repository).flatMap(([method, mock]) => (method === 'transaction' ? [] : mock.mock.calls.map((call) => [method, call[0]])));
    for (const [method, args] of calls) expect({ method, ownerId: (args as { ownerId?: string }).ownerId }).toEqual({ method, ownerId: alice.id });
  });

  it('answers 404 for a task that does not exist or is someone else’s, whatever the operation', async () => {
    repository.findOwned.mockImplementation(({ ownerId }: { ownerId: string }) => Promise.resolve(ownerId === 'bob' ? ROW : undefined));
    expect(await statusOf(service.findOne(alice, ID))).toBe(404);
    expect(repository.findOwned).toHaveBeenCalledWith({ ownerId: 'alice', id: ID });
    expect(await statusOf(service.update(alice, ID, { title: 'x' }))).toBe(404);
    expect(await statusOf(service.toggleCompleted(alice, ID))).toBe(404);
    expect(await statusOf(service.remove(alice, ID))).toBe(404);
  });

  it('tells 412 from 404 when a conditional update matched nothing', async () => {
    repository.exists.mockResolvedValue(true);
    expect(await statusOf(service.update(alice, ID, { title: 'x' }, [3]))).toBe(412);
    expect(repository.update).toHaveBeenCalledWith({ ownerId: 'alice', id: ID, changes: expect.objectContaining({ title: 'x' }) as unknown, allowedVersions: [3] }, undefined);

    repository.exists.mockResolvedValue(false);
    expect(await statusOf(service.update(alice, ID, { title: 'x' }, [3]))).toBe(404);

    // Without a version condition, nothing matched can only mean no such task.
    repository.exists.mockClear();
    expect(await statusOf(service.update(alice, ID, { title: 'x' }, '*'))).toBe(404);
    expect(repository.update).toHaveBeenLastCalledWith(expect.objectContaining({ allowedVersions: null }), undefined);
    expect(repository.exists).not.toHaveBeenCalled();
  });

  it('creates under a new Idempotency-Key in one transaction, and records the response', async () => {
    repository.claimIdempotencyKey.mockResolvedValue(true);
    const created = await service.create(alice, DTO, 'key-1');
    expect(created).toEqual({ task: TASK, replayed: false });
    expect(repository.claimIdempotencyKey).toHaveBeenCalledWith(expect.objectContaining({ ownerId: 'alice', key: 'key-1' }), TRANSACTION);
    expect(repository.insert).toHaveBeenCalledWith(expect.objectContaining({ ownerId: 'alice', title: 'Buy milk' }), MAX_TASKS, TRANSACTION);
    expect(repository.recordIdempotentResponse).toHaveBeenCalledWith({ ownerId: 'alice', key: 'key-1', taskId: TASK.id, response: TASK }, TRANSACTION);
  });

  it('replays a taken key’s response for the same body, 422 for another body, 409 when its record is gone', async () => {
    repository.claimIdempotencyKey.mockResolvedValueOnce(true);
    await service.create(alice, DTO, 'key-1');
    const [{ fingerprint }] = repository.claimIdempotencyKey.mock.calls[0] as [{ fingerprint: string }];
    const firstResponse = { ...ROW, title: 'as first answered' };

    repository.findIdempotencyRecord.mockResolvedValue({ requestHash: fingerprint, response: firstResponse });
    expect(await service.create(alice, DTO, 'key-1')).toEqual({ task: firstResponse, replayed: true });
    expect(repository.findIdempotencyRecord).toHaveBeenLastCalledWith({ ownerId: 'alice', key: 'key-1' });
    expect(await statusOf(service.create(alice, { ...DTO, title: 'Buy bread' }, 'key-1'))).toBe(422);

    repository.findIdempotencyRecord.mockResolvedValue(null);
    expect(await statusOf(service.create(alice, DTO, 'key-1'))).toBe(409);
    repository.findIdempotencyRecord.mockResolvedValue({ requestHash: fingerprint, response: null });
    expect(await statusOf(service.create(alice, DTO, 'key-1'))).toBe(409);
    expect(repository.insert).toHaveBeenCalledTimes(1);
  });
});
