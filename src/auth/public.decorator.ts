import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'tasks-api:public';

/** Opens a route (or a whole controller) to callers without a token. Every other route needs one. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
