import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangePurger } from './change-purger.js';
import { SyncHorizon } from './sync-horizon.entity.js';
import { SyncController } from './sync.controller.js';
import { SyncRepository } from './sync.repository.js';
import { SyncService } from './sync.service.js';
import { TaskChange } from './task-change.entity.js';

/** Multi-device sync: the change feed of tasks, recorded by a trigger on `tasks` (see the TaskChanges migration). */
@Module({
  imports: [TypeOrmModule.forFeature([TaskChange, SyncHorizon])],
  controllers: [SyncController],
  providers: [SyncService, SyncRepository, ChangePurger],
  // The live events (src/events) read the same feed.
  exports: [SyncService],
})
export class SyncModule {}
