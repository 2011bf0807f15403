/** What the baseline takes from the built API (dist/): its task statements, list planning, cursors and response mapping. */
import { planTaskList } from '../../dist/tasks/task-list.query.js';

export { TaskResponse } from '../../dist/tasks/dto/task.response.js';
export { encodeCursor } from '../../dist/tasks/task-cursor.js';
export { insertTaskStatement, selectTaskStatement, updateTaskStatement } from '../../dist/tasks/task.statements.js';

/** planTaskList's plan as `{ text, values, pageSize, binding }`, whether the plan nests its statement or not. */
export function planList(ownerId, query) {
  const plan = planTaskList(ownerId, query);
  return { ...(plan.statement ?? plan), pageSize: plan.pageSize, binding: plan.binding };
}
