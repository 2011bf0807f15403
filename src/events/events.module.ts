import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ChangeNotifier } from './change-notifier.js';
import { EventStreams } from './event-streams.js';
import { EventTicket } from './event-ticket.entity.js';
import { EventTicketStrategy } from './event-ticket.strategy.js';
import { EventTicketsRepository } from './event-tickets.repository.js';
import { EventTicketsService } from './event-tickets.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { PgChangeNotifier } from './pg-change-notifier.js';
import { RedisChangeNotifier } from './redis-change-notifier.js';
import { ReminderRelay } from './reminder-relay.js';

/** Live events (README, "Live events"): GET /api/events streams the change feed as Server-Sent Events, on every instance. */
@Module({
  imports: [TypeOrmModule.forFeature([EventTicket]), SyncModule, RemindersModule],
  controllers: [EventsController],
  providers: [
    {
      provide: ChangeNotifier,
      inject: [ConfigService, getDataSourceToken()],
      useFactory: (config: ConfigService<AppConfig, true>, dataSource: DataSource): ChangeNotifier => {
        const { redisUrl } = config.get('events', { infer: true });
        return redisUrl === undefined ? new PgChangeNotifier(dataSource, config.get('database', { infer: true }).connectTimeoutMs) : new RedisChangeNotifier(redisUrl);
      },
    },
    EventStreams,
    EventsService,
    EventTicketsRepository,
    EventTicketsService,
    EventTicketStrategy,
    ReminderRelay,
  ],
})
export class EventsModule {}
