import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../tasks/task-cursor.js';
import { FiredReminderResponse, type FiredReminderPageResponse } from './dto/fired-reminder.response.js';
import { type CreateReminderDto, type ListFiredRemindersQueryDto, ReminderResponse } from './dto/reminder.dto.js';
import { REMINDERS_PER_TASK } from './reminder.statements.js';
import { RemindersRepository } from './reminders.repository.js';

/** A user's reminders, always under the owner of their task. */
@Injectable()
export class RemindersService {
  constructor(private readonly reminders: RemindersRepository) {}

  async create(owner: Principal, taskId: string, dto: CreateReminderDto): Promise<ReminderResponse> {
    if (dto.before !== undefined && dto.at !== undefined) throw invalidField('at', 'Give either before or at, not both');
    const ref = { ownerId: owner.id, taskId };
    const created = await this.reminders.transaction(async (manager) => {
      if (!(await this.reminders.lockTask(ref, manager))) throw taskNotFound(taskId);
      return this.reminders.insert({ ...ref, before: dto.before ?? null, at: dto.at === undefined ? null : new Date(dto.at).toISOString() }, manager);
    });
    if (!created) throw new ProblemException({ status: 409, type: ProblemType.Conflict, detail: `A task can have at most ${REMINDERS_PER_TASK} reminders.` });
    return ReminderResponse.from(created);
  }

  async list(owner: Principal, taskId: string): Promise<ReminderResponse[]> {
    const rows = await this.reminders.list({ ownerId: owner.id, taskId });
    // No reminders: the task may not exist (404) or just have none.
    if (rows.length === 0 && !(await this.reminders.taskExists({ ownerId: owner.id, taskId }))) throw taskNotFound(taskId);
    return rows.map((row) => ReminderResponse.from(row));
  }

  async remove(owner: Principal, taskId: string, id: string): Promise<void> {
    if (!(await this.reminders.delete({ ownerId: owner.id, taskId, id }))) throw new NotFoundException(`There is no reminder ${id} on task ${taskId}.`);
  }

  async listFired(owner: Principal, query: ListFiredRemindersQueryDto): Promise<FiredReminderPageResponse> {
    const since = query.since === undefined ? null : new Date(query.since).toISOString();
    const binding = `firings:${since}`;
    let after: { key: string; id: string } | undefined;
    try {
      after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, binding);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw invalidField('cursor', error.message);
      throw error;
    }
    const limit = query.limit ?? 50;
    const rows = await this.reminders.listFirings({ ownerId: owner.id, since, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map((row) => FiredReminderResponse.from(row)), nextCursor: rows.length > limit && last ? encodeCursor(binding, { key: last.sortKey, id: last.id }) : null };
  }
}

function taskNotFound(id: string): NotFoundException {
  return new NotFoundException(`There is no task ${id}.`);
}
