import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';
import { batchedLogStream } from './batched-log-stream.js';

/**
 * JSON logs through nestjs-pino (pretty on a development terminal). Request headers are never
 * serialised, so tokens and cookies cannot reach the log; the redact list is a second guard for
 * anything that logs a request by hand.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const pretty = config.get('nodeEnv', { infer: true }) === 'development' && process.stdout.isTTY;
        const output = pretty ? undefined : batchedLogStream();
        const options = {
          level: config.get('logLevel', { infer: true }),
          transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'HH:MM:ss.l' } } : undefined,
          // Exact paths only: a wildcard (`*.token`) makes pino clone every line, the per-request
          // access line included, to look for a key no line carries.
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
        };
        return {
          // No per-request pino-http middleware: it would put Fastify's middleware layer (middie)
          // and a child logger on every request (a large share of a simple request's CPU;
          // BENCHMARKS.md), only to bind the request id to log lines; the access line and error
          // logs carry it already.
          forRoutes: [],
          pinoHttp: output ? [options, output] : options,
        };
      },
    }),
  ],
})
export class LoggingModule {}
