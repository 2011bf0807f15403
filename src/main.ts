import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { installGracefulShutdown } from './common/http/graceful-shutdown.js';
import { startTracing } from './common/observability/tracing.js';
import { type AppConfig, loadConfig } from './config/app-config.js';
import { processEnvironment } from './config/environment.js';

async function bootstrap(): Promise<void> {
  const env = processEnvironment();
  // Tracing starts before the app's modules are loaded (imported below), so that its
  // instrumentations can wrap them; without an endpoint, nothing of OpenTelemetry is loaded.
  const tracing = loadConfig(env).otlpEndpoint === undefined ? undefined : await startTracing();
  const { createApp } = await import('./app.setup.js');
  const app = await createApp(env);
  // Closing the app (graceful shutdown) exports the last spans before the process exits.
  if (tracing) app.getHttpAdapter().getInstance().addHook('onClose', () => tracing.shutdown());
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
