import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config.js';
import { InvalidEnvironmentError } from '../config/env-reader.js';

describe('metrics and tracing configuration', () => {
  it('serves no metrics and loads no tracing by default; metrics bind to loopback', () => {
    const config = loadConfig({});
    expect(config.metrics).toEqual({ port: undefined, host: '127.0.0.1', token: undefined });
    expect(config.otlpEndpoint).toBeUndefined();
  });

  it('reads METRICS_PORT, METRICS_HOST, METRICS_TOKEN and OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const config = loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 't'.repeat(16), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(config.metrics).toEqual({ port: 9464, host: '0.0.0.0', token: 't'.repeat(16) });
    expect(config.otlpEndpoint).toBe('http://collector:4318');
  });

  it('refuses the API port for metrics, a short token and a malformed endpoint, naming each', () => {
    const attempt = () => loadConfig({ PORT: '3000', METRICS_PORT: '3000', METRICS_TOKEN: 'short', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' });
    expect(attempt).toThrow(InvalidEnvironmentError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of ['METRICS_PORT must differ from PORT', 'METRICS_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT']) expect(message).toContain(name);
  });
});
