import { type INestApplication, Logger } from '@nestjs/common';

/**
 * On SIGTERM, SIGINT or SIGHUP (the terminal that ran `npm start` was closed): stop accepting
 * connections, let in-flight requests finish, close the database pool (and the embedded server),
 * then exit 0. Nest's own enableShutdownHooks() re-raises
 * the signal after closing, which makes the process exit 143 instead, so it is not used.
 * A second signal, or a shutdown slower than the timeout, exits at once with status 1.
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  let closing = false;

  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: finishing in-flight requests, then stopping`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => {
        logger.log('Stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };

  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGHUP', shutdown);
}
