import { z } from 'zod';
import { MAX_LIMIT, TASK_SORTS, TASK_STATUSES } from '../tasks/dto/list-tasks-query.dto.js';
import { DESCRIPTION_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX } from '../tasks/dto/task-fields.js';
import { TASK_PRIORITIES } from '../tasks/task.entity.js';

/**
 * The tools' arguments and results as the model sees them (JSON Schema, with descriptions written
 * for a model). The input shapes describe; they do not decide: every tool validates its arguments
 * with the REST API's DTO (see validateArguments), so the limits here are the DTOs' own constants.
 * The result shapes are checked by the SDK before a result leaves the server.
 */

const taskId = z.string().meta({ format: 'uuid' }).describe('The task id (from add_task or list_tasks).');
const dateTime = (description: string) =>
  z
    .string()
    .meta({ format: 'date-time', examples: ['2026-05-01T09:00:00Z'] })
    .describe(`${description} An RFC 3339 date-time with an offset.`);
const priority = z.enum(TASK_PRIORITIES);

const writableFields = {
  title: z.string().min(1).max(TITLE_MAX).describe('What to do, in a few words.'),
  description: z.string().max(DESCRIPTION_MAX).nullable().describe('Details, if any; null removes them.'),
  priority: priority.describe('How urgent the task is; new tasks get none.'),
  tags: z
    .array(z.string().min(1).max(TAG_MAX))
    .max(TAGS_MAX)
    .describe('Labels such as "home" or "work", compared ignoring case. On update_task, the list replaces the current tags.'),
  dueAt: dateTime('When the task is due; null removes the due date.').nullable(),
};

export const addTaskInput = z.strictObject({
  title: writableFields.title,
  description: writableFields.description.optional(),
  priority: writableFields.priority.optional(),
  tags: writableFields.tags.optional(),
  dueAt: writableFields.dueAt.optional(),
});

export const taskIdInput = z.strictObject({ id: taskId });

export const updateTaskInput = z.strictObject({
  id: taskId,
  title: writableFields.title.optional(),
  description: writableFields.description.optional(),
  completed: z.boolean().optional().describe('true: done; false: open again.'),
  priority: writableFields.priority.optional(),
  tags: writableFields.tags.optional(),
  dueAt: writableFields.dueAt.optional(),
  expectedVersion: z
    .int()
    .min(1)
    .optional()
    .describe("The task's version as you last read it: the change is refused if the task has changed since (read it again, then retry)."),
});

export const listTasksInput = z.strictObject({
  status: z.enum(TASK_STATUSES).optional().describe('open (not done), completed, or all (the default).'),
  priority: z.array(priority).optional().describe('Only tasks with any of these priorities.'),
  tag: z.array(z.string().min(1).max(TAG_MAX)).max(TAGS_MAX).optional().describe('Only tasks carrying all of these tags (ignoring case).'),
  q: z
    .string()
    .max(200)
    .optional()
    .describe('Search the title and description: every word must match, a partial word matches as a prefix ("mil" finds "milk"). Results come by relevance unless sort is given.'),
  dueBefore: dateTime('Only tasks due strictly before this.').optional(),
  dueAfter: dateTime('Only tasks due strictly after this.').optional(),
  overdue: z.boolean().optional().describe('true: only open tasks whose due date has passed.'),
  sort: z
    .enum(TASK_SORTS)
    .optional()
    .describe('Order: a field, with - for descending. Default -createdAt (newest first); relevance (the default with q) needs q. Tasks without a due date come last.'),
  limit: z.int().min(1).max(MAX_LIMIT).optional().describe('Page size, 20 by default.'),
  cursor: z.string().max(2000).optional().describe('nextCursor from the previous page, to get the next one; keep the other arguments the same.'),
});

export const taskOutput = z.object({
  id: z.string().describe('The task id, for get_task, update_task, complete_task and delete_task.'),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  completedAt: z.string().nullable().describe('When it was completed; null while open.'),
  priority,
  tags: z.array(z.string()),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int().describe('Grows by one with every change: pass it as expectedVersion to update_task.'),
});

export const taskPageOutput = z.object({
  items: z.array(taskOutput),
  nextCursor: z.string().nullable().describe('null on the last page; otherwise pass it as cursor, with the same filters, for the next page.'),
});

export const tagListOutput = z.object({
  items: z.array(z.object({ name: z.string(), open: z.int().describe('Open tasks carrying it.'), total: z.int().describe('All tasks carrying it.') })),
});

export const deletedOutput = z.object({ id: z.string(), deleted: z.literal(true) });
