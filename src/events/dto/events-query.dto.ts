import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class EventsQueryDto {
  @ApiPropertyOptional({
    description: 'Start after this change token (a `nextSince` of GET /api/tasks/changes, or an event id). A `Last-Event-ID` header wins over it. Neither: changes from now on.',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  since?: string;

  @ApiPropertyOptional({ description: 'A stream ticket from POST /api/events/tickets, for clients that cannot send an Authorization header (EventSource). Single use.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ticket?: string;
}
