import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { observedPg } from '../metrics/database-pool.js';
import { dataSourceOptions } from './data-source-options.js';
import { DatabaseServer } from './database-server.js';
import { runMigrations } from './migrate.js';

const logger = new Logger('Database');

@Module({
  providers: [
    {
      provide: DatabaseServer,
      inject: [ConfigService, ModuleRef],
      useFactory: (config: ConfigService<AppConfig, true>, moduleRef: ModuleRef) =>
        DatabaseServer.start(config.get('database', { infer: true }), config.get('dataDir', { infer: true }), moduleRef),
    },
  ],
  exports: [DatabaseServer],
})
class DatabaseServerModule {}

/** Applies pending migrations before the app starts serving, unless DATABASE_MIGRATE=false. */
@Injectable()
class SchemaMigrator implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.get('database.migrate', { infer: true })) return;
    const applied = await runMigrations(this.dataSource);
    logger.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Schema is up to date');
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [ConfigService, DatabaseServer],
      useFactory: (config: ConfigService<AppConfig, true>, server: DatabaseServer) => ({
        ...dataSourceOptions(config.get('database', { infer: true }), server.url, (error) =>
          logger.warn(`Idle database connection lost: ${error.message}`),
        ),
        // pg whose pools the metrics can count (TypeORM keeps its pool private).
        driver: observedPg,
        autoLoadEntities: true,
        // Start-up fails fast, with the reason, rather than retrying for half a minute.
        retryAttempts: 2,
        retryDelay: 1_000,
      }),
    }),
  ],
  providers: [SchemaMigrator],
})
export class DatabaseModule {}
