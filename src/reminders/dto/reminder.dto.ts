import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsRfc3339DateTime } from '../../tasks/dto/date-time.validator.js';
import type { ReminderRow } from '../reminder.statements.js';

/** An ISO 8601 duration of weeks, or of days, hours, minutes and seconds (`PT30M`, `P1D`, `P1DT12H`), bounded in size. */
const DURATION = /^P(?:\d{1,2}W|(?=\d|T\d)(?:\d{1,3}D)?(?:T(?=\d)(?:\d{1,4}H)?(?:\d{1,6}M)?(?:\d{1,7}S)?)?)$/;

export class CreateReminderDto {
  @ApiPropertyOptional({ description: 'Fire this long before the task’s dueAt (an ISO 8601 duration); re-armed for every occurrence of a recurring task. Give `before` or `at`.', example: 'PT30M' })
  @ValidateIf((dto: CreateReminderDto) => dto.at === undefined || dto.before !== undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsString()
  @Matches(DURATION, { message: '$property must be an ISO 8601 duration such as PT30M, P1D or P1W' })
  before?: string;

  @ApiPropertyOptional({ description: 'Fire at this instant (RFC 3339 with offset). Give `before` or `at`.', format: 'date-time', example: '2026-05-01T08:30:00Z' })
  @ValidateIf((dto: CreateReminderDto) => dto.before === undefined || dto.at !== undefined)
  @IsRfc3339DateTime()
  at?: string;
}

export class ReminderResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'PT30M' })
  before!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  at!: string | null;

  @ApiProperty({ description: 'When it fires next; null when nothing is armed (its time has passed, or the task has no dueAt).', type: String, format: 'date-time', nullable: true })
  fireAt!: string | null;

  static from(row: ReminderRow): ReminderResponse {
    return { id: row.id, taskId: row.taskId, before: row.before, at: row.at, fireAt: row.fireAt };
  }
}

export class ReminderListResponse {
  @ApiProperty({ type: [ReminderResponse] })
  items!: ReminderResponse[];
}

const toInteger = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

export class ListFiredRemindersQueryDto {
  @ApiPropertyOptional({ description: 'Only `fired` for now: reminders that have fired.', enum: ['fired'], default: 'fired' })
  @IsOptional()
  @IsIn(['fired'], { message: '$property must be fired' })
  state?: 'fired';

  @ApiPropertyOptional({ description: 'Only firings after this instant (exclusive).', format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  since?: string;

  @ApiPropertyOptional({ description: 'Page size.', type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @toInteger
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`, with the same `since`.", maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}
