import type { CreateTaskDto } from '../dto/create-task.dto.js';
import type { UpdateTaskDto } from '../dto/update-task.dto.js';
import type { EtagCondition } from '../etag.js';

/** One operation of a batch, validated: what the single routes' handlers receive. */
export type BatchOperation =
  | { op: 'create'; task: CreateTaskDto }
  | { op: 'update'; id: string; ifMatch?: EtagCondition; task: UpdateTaskDto }
  | { op: 'delete'; id: string; ifMatch?: EtagCondition };
