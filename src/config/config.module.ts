import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { AppConfig } from './app-config.js';

/**
 * Makes the already validated {@link AppConfig} injectable as `ConfigService<AppConfig, true>`.
 * Validation happens before Nest starts (see createApp) because the HTTP adapter needs some of
 * these values (body limit, request ids) before any module exists.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] })],
    };
  }
}
