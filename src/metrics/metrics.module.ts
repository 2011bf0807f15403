import { Module } from '@nestjs/common';
import { MetricsServer } from './metrics.server.js';

/** Prometheus metrics on their own port (README, "Observability"). */
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule {}
