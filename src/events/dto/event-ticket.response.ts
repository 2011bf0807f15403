import { ApiProperty } from '@nestjs/swagger';

export class EventTicketResponse {
  @ApiProperty({ description: 'Pass as `ticket` to GET /api/events, once, before it expires. Keep it out of logs.', example: 'q3X8m0c2yB1u9kZ6Vw4s7tRjL5nPaHe0dGfIbCoUxYz' })
  ticket!: string;

  @ApiProperty({ description: 'When the ticket stops working (60 s after issue).', format: 'date-time' })
  expiresAt!: string;
}
