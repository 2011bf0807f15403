import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';

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
        return {
          pinoHttp: {
            level: config.get('logLevel', { infer: true }),
            transport: pretty ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'HH:MM:ss.l' } } : undefined,
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[redacted]' },
            // The access line comes from registerAccessLog (one per request, with the matched route);
            // the middleware only binds the request id to every line logged while serving it.
            autoLogging: false,
            quietReqLogger: true,
          },
        };
      },
    }),
  ],
})
export class LoggingModule {}
