import { HttpException, Injectable } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../auth/principal.js';
import { ProblemDetailsFilter } from '../../common/problem/problem-details.filter.js';
import { defaultProblemType } from '../../common/problem/problem-type.js';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { etagFor } from '../etag.js';
import { idempotently, requestFingerprint } from '../idempotency.js';
import { TasksRepository } from '../tasks.repository.js';
import { TasksService } from '../tasks.service.js';
import type { BatchOperation } from './batch-operation.js';
import type { BatchResponse, BatchResult } from './batch.response.js';

const problems = new ProblemDetailsFilter();
/** 424 Failed Dependency (RFC 4918 §11.4): not applied, because another operation of the batch failed. */
const NOT_APPLIED = 424;

/** An operation refused with a client error; the batch is rolled back and answered with it. */
class OperationFailed extends Error {
  constructor(
    readonly index: number,
    readonly error: HttpException,
  ) {
    super(`Operation ${index} failed`);
  }
}

/**
 * Applies a batch of task writes in one transaction, in order, each by the same TasksService
 * method as its single route (quota, If-Match, recurrence rules, change feed trigger): all of them,
 * or none when one fails.
 */
@Injectable()
export class TaskBatchService {
  constructor(
    private readonly tasks: TasksService,
    private readonly repository: TasksRepository,
  ) {}

  async run(owner: Principal, operations: BatchOperation[], idempotencyKey?: string): Promise<{ response: BatchResponse; replayed: boolean }> {
    try {
      if (idempotencyKey === undefined) return { response: await this.repository.transaction((manager) => this.apply(owner, operations, manager)), replayed: false };
      const request = { ownerId: owner.id, key: idempotencyKey, fingerprint: requestFingerprint(['BATCH', operations]) };
      return await idempotently(this.repository, request, async (manager) => ({ response: await this.apply(owner, operations, manager), taskId: null }));
    } catch (error) {
      if (error instanceof OperationFailed) throw failedBatch(error, operations.length);
      throw error;
    }
  }

  private async apply(owner: Principal, operations: BatchOperation[], manager: EntityManager): Promise<BatchResponse> {
    // Every batch locks the rows it will change first, in one order, so that two batches over the
    // same tasks in opposite orders wait for each other instead of deadlocking.
    const ids = [...new Set(operations.flatMap((operation) => (operation.op === 'create' ? [] : [operation.id.toLowerCase()])))];
    if (ids.length > 0) await this.repository.lockOwnedIds({ ownerId: owner.id, ids }, manager);
    const results: BatchResult[] = [];
    for (const [index, operation] of operations.entries()) {
      try {
        results.push(await this.applyOne(owner, operation, manager));
      } catch (error) {
        if (error instanceof HttpException && error.getStatus() < 500) throw new OperationFailed(index, error);
        throw error;
      }
    }
    return { results };
  }

  private async applyOne(owner: Principal, operation: BatchOperation, manager: EntityManager): Promise<BatchResult> {
    switch (operation.op) {
      case 'create': {
        const task = await this.tasks.insert(owner, operation.task, manager);
        return { status: 201, task, etag: etagFor(task.version) };
      }
      case 'update': {
        const task = await this.tasks.update(owner, operation.id, operation.task, operation.ifMatch, manager);
        return { status: 200, task, etag: etagFor(task.version) };
      }
      case 'delete':
        await this.tasks.remove(owner, operation.id, operation.ifMatch, manager);
        return { status: 204 };
    }
  }
}

/**
 * The failing operation's problem, for the whole batch: its status, type and detail, plus which
 * operation it was and every operation's result (the failing one's problem, 424 for the others).
 * A 400 raised while applying (a recurrence rule) names its fields under the operation's task.
 */
function failedBatch({ index, error }: OperationFailed, count: number): ProblemException {
  const problem = problems.toProblem(error);
  const { status, detail } = problem;
  const ownProblem = { type: problem.type ?? defaultProblemType(status), title: problem.title ?? STATUS_CODES[status] ?? 'Error', status, detail };
  const results: BatchResult[] = Array.from({ length: count }, (_, i) => (i === index ? { status, problem: ownProblem } : { status: NOT_APPLIED }));
  const errors = problem.errors?.map(({ field, message }) => ({ field: `operations.${index}.task.${field}`, message }));
  return new ProblemException({ ...problem, errors, extensions: { ...problem.extensions, operation: index, results } });
}
