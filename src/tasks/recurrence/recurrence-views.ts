import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../../auth/principal.js';
import { Clock } from '../../common/clock/clock.js';
import { invalidField } from '../../common/problem/invalid-field.js';
import { InvalidCursorError } from '../task-cursor.js';
import type { ScheduledTaskRow } from '../task.statements.js';
import { TasksRepository } from '../tasks.repository.js';
import type { CompletionPageResponse, ListCompletionsQueryDto, ListOccurrencesQueryDto, OccurrenceListResponse } from './recurrence.dto.js';
import { upcomingOccurrences } from './recurrence-series.js';
import { TaskCompletionsRepository } from './task-completions.repository.js';
import { scheduleOf, seriesOf } from './task-schedule.js';

const YEAR_MS = 366 * 24 * 3600_000;

/** What a task's recurrence looks like from outside: its upcoming occurrences and its past completions. */
@Injectable()
export class RecurrenceViews {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly completionRecords: TaskCompletionsRepository,
    private readonly clock: Clock,
  ) {}

  async occurrences(owner: Principal, id: string, query: ListOccurrencesQueryDto): Promise<OccurrenceListResponse> {
    const task = await this.ownedTask(owner, id);
    const from = query.from === undefined ? this.clock.now().getTime() : Date.parse(query.from);
    const to = query.to === undefined ? from + YEAR_MS : Date.parse(query.to);
    if (to < from || to - from > YEAR_MS) throw invalidField('to', 'to must be after from, and at most a year after it');
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: query.limit ?? 10 };
    return { items: upcoming(task, range).map((dueAt) => ({ dueAt })) };
  }

  async completions(owner: Principal, id: string, query: ListCompletionsQueryDto): Promise<CompletionPageResponse> {
    await this.ownedTask(owner, id);
    try {
      const { rows, nextCursor } = await this.completionRecords.page({ ownerId: owner.id, taskId: id, limit: query.limit ?? 20, cursor: query.cursor });
      return { items: rows, nextCursor };
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidField('cursor', error.message);
      throw error;
    }
  }

  private async ownedTask(owner: Principal, id: string): Promise<ScheduledTaskRow> {
    const task = await this.tasks.findScheduled({ ownerId: owner.id, id });
    if (!task) throw new NotFoundException(`There is no task ${id}.`);
    return task;
  }
}

function upcoming(task: ScheduledTaskRow, range: { from: string; to: string; limit: number }): string[] {
  if (task.completed || task.dueAt === null) return [];
  if (task.recurrence === null) return task.dueAt >= range.from && task.dueAt <= range.to ? [task.dueAt] : [];
  return upcomingOccurrences(seriesOf(scheduleOf(task)), range).map((occurrence) => occurrence.dueAt);
}
