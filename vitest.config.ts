import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// esbuild (Vitest's default transform) does not emit decorator metadata, which Nest's DI,
// class-validator and @nestjs/swagger all read; SWC does.
const swcPlugin = () =>
  swc.vite({
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  });

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [swcPlugin()],
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts', 'bench/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [swcPlugin()],
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // `npm run test:reliability`: slower runs (fuzzing, failure injection) kept out of `npm test`.
        plugins: [swcPlugin()],
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.reliability-spec.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          pool: 'forks',
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
