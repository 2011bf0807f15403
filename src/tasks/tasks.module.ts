import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CompatTasksController } from './compat/compat-tasks.controller.js';
import { OwnPathUserGuard } from './compat/own-path-user.guard.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { IdempotencyPurger } from './idempotency-purger.js';
import { TagsController } from './tags.controller.js';
import { Task } from './task.entity.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task, IdempotencyKey])],
  // The compatibility routes (`/:userId/tasks`) come last, after every static `/tasks…` route.
  controllers: [TasksController, TagsController, CompatTasksController],
  providers: [TasksService, TasksRepository, IdempotencyPurger, OwnPathUserGuard],
  exports: [TasksService],
})
export class TasksModule {}
