import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { AuthModule } from './auth/auth.module.js';
import { AppConfigModule } from './config/config.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RemindersModule } from './reminders/reminders.module.js';
import { SyncModule } from './sync/sync.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  // RateLimitModule after AuthModule: its global guard runs after the auth guard (see RateLimitGuard).
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), LoggingModule, DatabaseModule, AuthModule, RateLimitModule, HealthModule, TasksModule, SyncModule, EventsModule, RemindersModule, WebhooksModule, McpModule, MetricsModule],
    };
  }
}
