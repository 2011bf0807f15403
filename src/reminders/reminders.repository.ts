import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Statement, statementRows } from '../database/statement-rows.js';
import { taskExistsStatement } from '../tasks/task.statements.js';
import {
  claimDueRemindersStatement,
  deleteReminderStatement,
  type FiringRow,
  insertReminderStatement,
  listFiringsStatement,
  listRemindersStatement,
  lockTaskForRemindersStatement,
  type ReminderRow,
} from './reminder.statements.js';

interface TaskRef {
  ownerId: string;
  taskId: string;
}

/** Every read and write of `reminders` and `reminder_firings` (the SQL is in reminder.statements.ts). */
@Injectable()
export class RemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async taskExists({ ownerId, taskId }: TaskRef): Promise<boolean> {
    return (await this.rows(taskExistsStatement({ ownerId, id: taskId }))).length > 0;
  }

  /** Whether the task exists, locking it until the transaction ends. */
  async lockTask(task: TaskRef, manager: EntityManager): Promise<boolean> {
    return (await this.rows(lockTaskForRemindersStatement(task), manager)).length > 0;
  }

  /** The new reminder; undefined when the task already has as many as allowed. */
  async insert(reminder: TaskRef & { before: string | null; at: string | null }, manager: EntityManager): Promise<ReminderRow | undefined> {
    return (await this.rows<ReminderRow>(insertReminderStatement(reminder), manager))[0];
  }

  async list(task: TaskRef): Promise<ReminderRow[]> {
    return this.rows<ReminderRow>(listRemindersStatement(task));
  }

  async delete(reminder: TaskRef & { id: string }): Promise<boolean> {
    return (await this.rows(deleteReminderStatement(reminder))).length > 0;
  }

  /** Claims and records the firing of up to `limit` due reminders (of every owner: the poller's statement). */
  async claimDue(claim: { now: Date; limit: number; lateAfterMs: number }): Promise<FiringRow[]> {
    return this.rows<FiringRow>(claimDueRemindersStatement(claim));
  }

  async listFirings(query: { ownerId: string; since: string | null; after?: { key: string; id: string }; limit: number }): Promise<FiringRow[]> {
    return this.rows<FiringRow>(listFiringsStatement(query));
  }

  private rows<Row>(statement: Statement, manager?: EntityManager): Promise<Row[]> {
    return statementRows<Row>(this.dataSource, statement, manager?.queryRunner);
  }
}
