import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.setup.js';
import { installGracefulShutdown } from './common/http/graceful-shutdown.js';
import type { AppConfig } from './config/app-config.js';
import { processEnvironment } from './config/environment.js';

async function bootstrap(): Promise<void> {
  const app = await createApp(processEnvironment());
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  installGracefulShutdown(app, config.get('shutdownTimeoutMs', { infer: true }));
  await app.listen({ port: config.get('port', { infer: true }), host: config.get('host', { infer: true }) });
  new Logger('Bootstrap').log(`tasks-api is listening on ${await app.getUrl()} (Swagger UI at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // One clear line for a configuration or start-up failure.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tasks-api failed to start: ${message}\n`);
  process.exit(1);
});
