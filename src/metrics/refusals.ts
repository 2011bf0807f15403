import { refusals } from './metrics.registry.js';

/**
 * Counts a problem response that refuses work on purpose: any 429 (whichever limiter sent it) and
 * any quota problem (a type whose name says quota, whatever its status). Called from the one place
 * every problem+json leaves through, so it holds however the limits are implemented.
 */
export function countIfRefusal(status: number, type: string): void {
  if (status === 429 || type.includes('quota')) refusals.inc({ type });
}
