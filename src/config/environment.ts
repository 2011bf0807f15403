import { existsSync } from 'node:fs';
import type { Environment } from './env-reader.js';

/**
 * The process environment, with `./.env` loaded underneath it when present (real environment
 * variables win). The only place that reads process.env.
 */
export function processEnvironment(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
