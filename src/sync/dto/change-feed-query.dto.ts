import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_CHANGES_LIMIT = 100;
export const MAX_CHANGES_LIMIT = 1000;

export class ChangeFeedQueryDto {
  @ApiPropertyOptional({ description: "The previous response's `nextSince`. Absent: start with a snapshot of every current task.", maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  since?: string;

  @ApiPropertyOptional({ description: 'Most changes (or snapshot tasks) per response.', type: 'integer', minimum: 1, maximum: MAX_CHANGES_LIMIT, default: DEFAULT_CHANGES_LIMIT })
  @IsOptional()
  // A query string is a string: digits become a number, anything else stays as it is for validation to reject.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value))
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(MAX_CHANGES_LIMIT)
  limit?: number;
}
