import { describe, expect, it } from 'vitest';
import { startTracing } from './tracing.js';

describe('startTracing', () => {
  it('says what to install when the optional OpenTelemetry packages are missing', async () => {
    await expect(startTracing()).rejects.toThrow(/npm install @opentelemetry\/sdk-node @opentelemetry\/auto-instrumentations-node/);
  });
});
