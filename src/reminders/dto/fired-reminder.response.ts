import { ApiProperty } from '@nestjs/swagger';
import type { FiringRow } from '../reminder.statements.js';

/** One firing of a reminder. */
export class FiredReminderResponse {
  @ApiProperty({ description: 'The firing.', format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  reminderId!: string;

  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ description: 'The occurrence it reminded of (the task’s dueAt when it fired).', type: String, format: 'date-time', nullable: true })
  dueAt!: string | null;

  @ApiProperty({ description: 'When it was meant to fire.', format: 'date-time' })
  scheduledFor!: string;

  @ApiProperty({ description: 'When it fired.', format: 'date-time' })
  firedAt!: string;

  @ApiProperty({ description: 'Fired more than a minute after its time (e.g. every instance was down then).' })
  late!: boolean;

  static from(row: FiringRow): FiredReminderResponse {
    return { id: row.id, reminderId: row.reminderId, taskId: row.taskId, dueAt: row.dueAt, scheduledFor: row.scheduledFor, firedAt: row.firedAt, late: row.late };
  }
}

export class FiredReminderPageResponse {
  @ApiProperty({ description: 'Oldest first.', type: [FiredReminderResponse] })
  items!: FiredReminderResponse[];

  @ApiProperty({ description: 'Pass as `cursor` for the next page; null on the last page.', type: String, nullable: true })
  nextCursor!: string | null;
}
