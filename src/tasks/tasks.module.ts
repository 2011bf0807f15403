import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskBatchController } from './batch/task-batch.controller.js';
import { TaskBatchService } from './batch/task-batch.service.js';
import { CompatTasksController } from './compat/compat-tasks.controller.js';
import { OwnPathUserGuard } from './compat/own-path-user.guard.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { CLOCK_PROVIDER } from '../common/clock/clock.js';
import { IdempotencyPurger } from './idempotency-purger.js';
import { RecurrenceViews } from './recurrence/recurrence-views.js';
import { RecurringTasks } from './recurrence/recurring-tasks.js';
import { TaskCompletion } from './recurrence/task-completion.entity.js';
import { TaskCompletionsRepository } from './recurrence/task-completions.repository.js';
import { TaskRecurrenceController } from './recurrence/task-recurrence.controller.js';
import { TagsController } from './tags.controller.js';
import { Task } from './task.entity.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { SearchWordStatsCache } from './search-word-stats.cache.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task, IdempotencyKey, TaskCompletion])],
  // The compatibility routes (`/:userId/tasks`) come last, after every static `/tasks…` route.
  controllers: [TasksController, TaskBatchController, TaskRecurrenceController, TagsController, CompatTasksController],
  providers: [TasksService, TaskBatchService, TasksRepository, SearchWordStatsCache, IdempotencyPurger, OwnPathUserGuard, RecurringTasks, RecurrenceViews, TaskCompletionsRepository, CLOCK_PROVIDER],
  exports: [TasksService],
})
export class TasksModule {}
