import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock.js';
import { ProblemType } from '../../common/problem/problem-type.js';
import { ProblemException } from '../../common/problem/problem.exception.js';
import type { ScheduledTaskRow, TaskFields, TaskKey, TaskRow, TaskSchedule } from '../task.statements.js';
import { TasksRepository } from '../tasks.repository.js';
import { TaskCompletionsRepository } from './task-completions.repository.js';
import { changeSchedule, completeOccurrence, type ScheduleFields } from './task-schedule.js';

export interface ScheduledChange extends ScheduleFields {
  changes: Partial<TaskFields>;
  allowedVersions: number[] | null;
}

/**
 * The changes that need a recurring task's rules: completing it (which advances it to its next
 * occurrence and records the completion), moving its due date, or changing its recurrence. Each
 * runs in one transaction holding the task's row lock, so two completions of the same occurrence
 * cannot both advance it: the second waits, then sees the new version (If-Match: 412) or the next
 * occurrence.
 */
@Injectable()
export class RecurringTasks {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly completions: TaskCompletionsRepository,
    private readonly clock: Clock,
  ) {}

  /** With `manager`, inside that transaction (an idempotent request's). */
  async update(key: TaskKey, { changes, allowedVersions, ...fields }: ScheduledChange, manager?: EntityManager): Promise<TaskRow> {
    return this.apply(key, allowedVersions, () => ({ changes, fields }), manager);
  }

  /** The compatibility API's toggle: completing an open recurring task advances it. */
  async toggle(key: TaskKey): Promise<TaskRow> {
    return this.apply(key, null, (current) => ({ changes: { completed: !current.completed }, fields: {} }));
  }

  private async apply(
    key: TaskKey,
    allowedVersions: number[] | null,
    change: (current: ScheduledTaskRow) => { changes: Partial<TaskFields>; fields: ScheduleFields },
    transaction?: EntityManager,
  ): Promise<TaskRow> {
    const work = async (manager: EntityManager) => {
      const current = await this.tasks.lockOwned(key, manager);
      if (!current) throw taskNotFound(key.id);
      if (allowedVersions !== null && !allowedVersions.includes(current.version)) {
        throw new ProblemException({ status: 412, type: ProblemType.PreconditionFailed, detail: 'The task has changed since the version named in If-Match. Fetch it again and retry.' });
      }
      const { changes, fields } = change(current);
      let schedule: TaskSchedule = changeSchedule(current, fields, changes.dueAt);
      let next = changes;
      if (changes.completed === true && !current.completed && schedule.recurrence !== null) {
        const completedAt = this.clock.now().toISOString();
        const occurrence = completeOccurrence(schedule, changes.dueAt === undefined ? current.dueAt : changes.dueAt, completedAt);
        await this.completions.record({ ownerId: key.ownerId, taskId: key.id, dueAt: occurrence.completedDueAt, completedAt }, manager);
        next = { ...changes, completed: occurrence.completed, dueAt: occurrence.dueAt };
        schedule = occurrence.schedule;
      }
      const updated = await this.tasks.update({ ...key, changes: next, schedule, allowedVersions: null }, manager);
      if (!updated) throw taskNotFound(key.id);
      return updated;
    };
    return transaction ? work(transaction) : this.tasks.transaction(work);
  }
}

function taskNotFound(id: string): NotFoundException {
  return new NotFoundException(`There is no task ${id}.`);
}
