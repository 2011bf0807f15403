import { McpServer } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal.js';
import { CreateTaskDto } from '../tasks/dto/create-task.dto.js';
import { ListTasksQueryDto } from '../tasks/dto/list-tasks-query.dto.js';
import type { TasksService } from '../tasks/tasks.service.js';
import { TaskIdArguments, UpdateTaskArguments } from './dto/task-tool-arguments.dto.js';
import { describedBy, returning, validateArguments } from './tool-arguments.js';
import { runTool } from './tool-results.js';
import * as schemas from './task-tool-schemas.js';

/** Who is calling, as the MCP endpoint hands it over (see McpEndpoint). */
export interface McpCaller {
  owner: Principal;
  requestId: string;
}

const INSTRUCTIONS =
  "Manages the signed-in user's own tasks (a to-do list): add, list and search, read, change, complete and delete them, " +
  'and list their tags. Task ids come from add_task and list_tasks. Dates are RFC 3339 date-times with an offset, ' +
  'e.g. 2026-05-01T09:00:00Z. A refused call returns the problem (what is wrong, and which argument): correct it and retry.';

// Made once, at load: the servers built per request share them, and their JSON Schemas (see tool-arguments.ts).
const input = {
  addTask: describedBy(schemas.addTaskInput),
  listTasks: describedBy(schemas.listTasksInput),
  taskId: describedBy(schemas.taskIdInput),
  updateTask: describedBy(schemas.updateTaskInput),
};
const output = {
  task: returning(schemas.taskOutput),
  taskPage: returning(schemas.taskPageOutput),
  tagList: returning(schemas.tagListOutput),
  deleted: returning(schemas.deletedOutput),
};

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
const writes = (hints: { destructiveHint: boolean; idempotentHint: boolean }) => ({ readOnlyHint: false, openWorldHint: false, ...hints });
const taskIdOf = async (args: Record<string, unknown>) => (await validateArguments(TaskIdArguments, args)).id;

/**
 * An MCP server whose tools act for `caller`. Each tool is one TasksService method with the
 * caller's principal, exactly as the REST controller calls it, after the same validation: there
 * is no second path to the data, and a user's tools reach only that user's tasks.
 */
export function createTasksMcpServer(tasks: TasksService, caller: McpCaller): McpServer {
  const { owner, requestId } = caller;
  const server = new McpServer({ name: 'tasks-api', version: '0.1.0' }, { instructions: INSTRUCTIONS });

  server.registerTool(
    'add_task',
    {
      title: 'Add a task',
      description: "Create a task in the user's list. Only title is required; the task starts open. Returns the new task, with the id the other tools take.",
      inputSchema: input.addTask,
      outputSchema: output.task,
      annotations: writes({ destructiveHint: false, idempotentHint: false }),
    },
    (args) => runTool(requestId, async () => (await tasks.create(owner, await validateArguments(CreateTaskDto, args))).task),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List and search tasks',
      description:
        "List the user's tasks a page at a time, newest first unless sort says otherwise. Filters combine: status, priority " +
        '(any of), tag (all of), q (search in title and description), dueBefore, dueAfter, overdue. When nextCursor is not ' +
        'null there are more: call again with the same arguments and cursor set to it.',
      inputSchema: input.listTasks,
      outputSchema: output.taskPage,
      annotations: READ_ONLY,
    },
    (args) => runTool(requestId, async () => tasks.list(owner, await validateArguments(ListTasksQueryDto, args))),
  );

  server.registerTool(
    'get_task',
    { title: 'Get a task', description: 'Get one task by its id.', inputSchema: input.taskId, outputSchema: output.task, annotations: READ_ONLY },
    (args) => runTool(requestId, async () => tasks.findOne(owner, await taskIdOf(args))),
  );

  server.registerTool(
    'update_task',
    {
      title: 'Change a task',
      description:
        'Change some fields of a task: send only those to change. description: null and dueAt: null remove them; tags replaces ' +
        'the whole list. With expectedVersion, the change is refused if someone changed the task since you read it.',
      inputSchema: input.updateTask,
      outputSchema: output.task,
      annotations: writes({ destructiveHint: false, idempotentHint: true }),
    },
    (args) =>
      runTool(requestId, async () => {
        const update = await validateArguments(UpdateTaskArguments, args);
        return tasks.update(owner, update.id, update, update.expectedVersion === undefined ? undefined : [update.expectedVersion]);
      }),
  );

  server.registerTool(
    'complete_task',
    {
      title: 'Complete a task',
      description: 'Mark a task as done (update_task with completed: false reopens it). Completing a done task changes nothing.',
      inputSchema: input.taskId,
      outputSchema: output.task,
      annotations: writes({ destructiveHint: false, idempotentHint: true }),
    },
    (args) => runTool(requestId, async () => tasks.update(owner, await taskIdOf(args), { completed: true })),
  );

  server.registerTool(
    'delete_task',
    {
      title: 'Delete a task',
      description: 'Delete a task for good; there is no undo. Unless the user asked for this deletion, confirm with them first.',
      inputSchema: input.taskId,
      outputSchema: output.deleted,
      annotations: writes({ destructiveHint: true, idempotentHint: true }),
    },
    (args) =>
      runTool(requestId, async () => {
        const id = await taskIdOf(args);
        await tasks.remove(owner, id);
        return { id, deleted: true };
      }),
  );

  server.registerTool(
    'list_tags',
    {
      title: 'List tags',
      description: "The user's tags, alphabetically, each with how many open tasks and how many tasks in all carry it. Use them to filter list_tasks by tag.",
      outputSchema: output.tagList,
      annotations: READ_ONLY,
    },
    () => runTool(requestId, async () => ({ items: await tasks.listTags(owner) })),
  );

  return server;
}
