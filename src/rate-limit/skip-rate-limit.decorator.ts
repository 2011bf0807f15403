import { SetMetadata } from '@nestjs/common';

export const SKIP_RATE_LIMIT_KEY = 'tasks-api:skip-rate-limit';

/** Keeps a route (or controller) out of the rate limits: probes that orchestrators call on a schedule. */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT_KEY, true);
