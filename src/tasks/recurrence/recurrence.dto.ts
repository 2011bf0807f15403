import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsRfc3339DateTime } from '../dto/date-time.validator.js';

const toInteger = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

export const OCCURRENCES_MAX = 100;
export const COMPLETIONS_MAX = 100;

export class ListOccurrencesQueryDto {
  @ApiPropertyOptional({ description: 'From this instant (inclusive). Default: now.', format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({ description: 'Up to this instant (inclusive). Default and longest: one year after `from`.', format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  to?: string;

  @ApiPropertyOptional({ description: 'At most this many occurrences.', type: 'integer', minimum: 1, maximum: OCCURRENCES_MAX, default: 10 })
  @IsOptional()
  @toInteger
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(OCCURRENCES_MAX)
  limit?: number;
}

export class OccurrenceResponse {
  @ApiProperty({ description: 'When this occurrence is due.', format: 'date-time', example: '2026-05-04T07:00:00.000Z' })
  dueAt!: string;
}

export class OccurrenceListResponse {
  @ApiProperty({ description: 'The occurrences from the current one on, in order, within the range (a task that does not recur has at most its dueAt).', type: [OccurrenceResponse] })
  items!: OccurrenceResponse[];
}

export class ListCompletionsQueryDto {
  @ApiPropertyOptional({ description: 'Page size.', type: 'integer', minimum: 1, maximum: COMPLETIONS_MAX, default: 20 })
  @IsOptional()
  @toInteger
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(COMPLETIONS_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`.", maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

export class CompletionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The occurrence that was completed (the task’s dueAt then).', type: String, format: 'date-time', nullable: true })
  dueAt!: string | null;

  @ApiProperty({ description: 'When it was completed.', format: 'date-time' })
  completedAt!: string;
}

export class CompletionPageResponse {
  @ApiProperty({ description: 'Newest first.', type: [CompletionResponse] })
  items!: CompletionResponse[];

  @ApiProperty({ description: 'Pass as `cursor` for the next page; null on the last page.', type: String, nullable: true })
  nextCursor!: string | null;
}
