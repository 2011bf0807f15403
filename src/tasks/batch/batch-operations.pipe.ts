import { Injectable, type PipeTransform, type Type } from '@nestjs/common';
import { invalidField } from '../../common/problem/invalid-field.js';
import { ProblemException } from '../../common/problem/problem.exception.js';
import { createValidationPipe } from '../../common/validation/validation.pipe.js';
import { parseIfMatch } from '../conditional-request.js';
import { CreateTaskDto } from '../dto/create-task.dto.js';
import { UpdateTaskDto } from '../dto/update-task.dto.js';
import { TaskIdPipe } from '../task-id.pipe.js';
import type { BatchOperation } from './batch-operation.js';
import { BATCH_OPERATION_KINDS, BATCH_OPERATION_SHAPES, type BatchOperationKind, BatchRequestDto, type ExistingTaskOperationDto, type UpdateOperationDto } from './batch-request.dto.js';

/** The API's own validation pipe: the same options, rules and messages as for a single route's body. */
const validation = createValidationPipe();
const validated = async <T>(value: unknown, dto: Type<T>): Promise<T> => (await validation.transform(value, { type: 'body', metatype: dto })) as T;

/**
 * The body of POST /api/tasks/batch as its operations, each validated before anything is written:
 * its shape, then its `task` with the single route's DTO through the same pipe, its id with the
 * single route's pipe, its `ifMatch` by the If-Match header's rules. The first invalid operation is
 * the 400: its index in `operation`, its errors' fields prefixed with `operations.<index>.`.
 */
@Injectable()
export class BatchOperationsPipe implements PipeTransform<unknown, Promise<BatchOperation[]>> {
  async transform(body: unknown): Promise<BatchOperation[]> {
    const { operations } = await validated(body, BatchRequestDto);
    const parsed: BatchOperation[] = [];
    for (const [index, operation] of operations.entries()) parsed.push(await atOperation(index, () => parseOperation(operation)));
    return parsed;
  }
}

async function parseOperation(raw: unknown): Promise<BatchOperation> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidField('', 'An operation must be an object');
  const kind = (raw as { op?: unknown }).op;
  if (!isKind(kind)) throw invalidField('op', `op must be one of ${BATCH_OPERATION_KINDS.join(', ')}`);
  if (kind === 'create') {
    const shape = await validated(raw, BATCH_OPERATION_SHAPES.create);
    return { op: 'create', task: await within('task', () => validated((shape).task, CreateTaskDto)) };
  }
  const shape = (await validated<object>(raw, BATCH_OPERATION_SHAPES[kind])) as ExistingTaskOperationDto & Partial<Pick<UpdateOperationDto, 'task'>>;
  // The shape made it a string; the pipe's type also allows the nil of its `optional` mode, unused here.
  const id = (await TaskIdPipe.transform(shape.id, { type: 'param', data: 'id' })) as string;
  const ifMatch = parseIfMatch(shape.ifMatch, 'ifMatch');
  if (kind === 'delete') return { op: 'delete', id, ifMatch };
  return { op: 'update', id, ifMatch, task: await within('task', () => validated(shape.task, UpdateTaskDto)) };
}

function isKind(value: unknown): value is BatchOperationKind {
  return typeof value === 'string' && (BATCH_OPERATION_KINDS as readonly string[]).includes(value);
}

/** Runs `parse`; a 400 it throws is about operation `index`: say so, and prefix its fields. */
async function atOperation<T>(index: number, parse: () => Promise<T>): Promise<T> {
  try {
    return await within(`operations.${index}`, parse);
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    throw new ProblemException({ ...error.problem, detail: `Operation ${index} is invalid: ${error.problem.detail}`, extensions: { ...error.problem.extensions, operation: index } });
  }
}

/** Runs `parse`; the fields of a 400 it throws are under `prefix`. */
async function within<T>(prefix: string, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    if (!(error instanceof ProblemException) || error.problem.errors === undefined) throw error;
    const errors = error.problem.errors.map(({ field, message }) => ({ field: field === '' ? prefix : `${prefix}.${field}`, message }));
    throw new ProblemException({ ...error.problem, errors });
  }
}
