import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CLOCK_PROVIDER } from '../common/clock/clock.js';
import { ReminderEvents } from './reminder-events.js';
import { ReminderFiring } from './reminder-firing.entity.js';
import { Reminder } from './reminder.entity.js';
import { ReminderPoller } from './reminder-poller.js';
import { RemindersController } from './reminders.controller.js';
import { RemindersRepository } from './reminders.repository.js';
import { RemindersService } from './reminders.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Reminder, ReminderFiring])],
  controllers: [RemindersController],
  providers: [RemindersService, RemindersRepository, ReminderPoller, ReminderEvents, CLOCK_PROVIDER],
  exports: [ReminderEvents, ReminderPoller],
})
export class RemindersModule {}
