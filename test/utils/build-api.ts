import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Where the e2e suites that run the API as a process build it (gitignored): `npm test` on a fresh clone has no dist/. */
export const E2E_BUILD_DIR = 'dist-e2e';

/** Compiles the API (incrementally after the first time) and returns its entry point. */
export function buildApi(): string {
  execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', E2E_BUILD_DIR, '--tsBuildInfoFile', `${E2E_BUILD_DIR}/.tsbuildinfo`], { stdio: 'inherit' });
  return `${E2E_BUILD_DIR}/main.js`;
}
