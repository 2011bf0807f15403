import { Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { TicketAuth } from '../auth/event-ticket-auth.js';
import type { Principal } from '../auth/principal.js';
import { BEARER_SCHEME } from '../common/openapi/openapi.js';
import { invalidField } from '../common/problem/invalid-field.js';
import { ProblemResponse } from '../common/problem/problem.response.js';
import { FiredReminderResponse } from '../reminders/dto/fired-reminder.response.js';
import { TaskTombstone } from '../sync/dto/change-feed.response.js';
import { TaskResponse } from '../tasks/dto/task.response.js';
import { ApiProblems } from '../tasks/api-problems.decorator.js';
import { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventsQueryDto } from './dto/events-query.dto.js';
import { EventTicketsService } from './event-tickets.service.js';
import { EventsService } from './events.service.js';

const MAX_LAST_EVENT_ID = 500;
const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } } });

const STREAM_DESCRIPTION = `Server-Sent Events (text/event-stream) of the caller's tasks, across every instance:
- \`task.created\`, \`task.updated\`: \`data\` is the task (TaskResponse) as it is now; \`task.deleted\`: its tombstone \`{ id, deleted: true, deletedAt }\`. Their \`id\` is a change token: a reconnection with \`Last-Event-ID\` (EventSource sends it) resumes with nothing lost or repeated, and GET /api/tasks/changes accepts it as \`since\`.
- \`reminder.fired\`: \`data\` is the firing (FiredReminderResponse); no \`id\`, and not replayed after a reconnection (GET /api/reminders?state=fired&since= has them all).
- A comment line every EVENTS_HEARTBEAT_SECONDS, and \`retry:\` (the reconnection delay) first.

Start: \`Last-Event-ID\`, else \`since\` (a change feed token: sync, then stream with no gap), else from now on. Authenticate with the bearer header, or, from a browser's EventSource, with \`ticket\` (POST /api/events/tickets).`;

@ApiTags('events')
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(TaskResponse, TaskTombstone, FiredReminderResponse, ProblemResponse)
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly tickets: EventTicketsService,
  ) {}

  @Post('tickets')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createEventTicket', summary: 'A single-use ticket for GET /api/events (for EventSource, which cannot send headers)', description: 'Valid 60 s, once. At most 10 unused tickets per user (429 past that).' })
  @ApiCreatedResponse({ type: EventTicketResponse })
  @problem(429, 'The caller holds 10 unused tickets already')
  issueTicket(@CurrentUser() owner: Principal): Promise<EventTicketResponse> {
    return this.tickets.issue(owner);
  }

  @Get()
  @TicketAuth()
  @ApiOperation({ operationId: 'streamEvents', summary: "Live events: the caller's task changes and reminders, as they happen", description: STREAM_DESCRIPTION })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last event id received: resume after it.' })
  @ApiOkResponse({ description: 'The event stream; it stays open (heartbeats) until the client or the server ends it.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems(400, 410)
  @problem(429, 'The caller has EVENT_STREAMS_PER_USER streams open on this instance already')
  @problem(503, 'This instance holds EVENT_STREAMS_MAX streams, or is shutting down')
  async stream(@CurrentUser() owner: Principal, @Query() query: EventsQueryDto, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (lastEventId !== undefined && lastEventId.length > MAX_LAST_EVENT_ID) throw invalidField('Last-Event-ID', `Last-Event-ID must be at most ${MAX_LAST_EVENT_ID} characters`);
    const start = lastEventId !== undefined && lastEventId !== '' ? { token: lastEventId, field: 'Last-Event-ID' } : { token: query.since, field: 'since' };
    await this.events.open(owner, start, reply);
  }
}
