import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from '../common/openapi/bearer-security.js';

export const IS_PUBLIC_KEY = 'tasks-api:public';

/**
 * Opens a route (or a whole controller) to callers without a token. Every other route needs one,
 * and is documented as such in OpenAPI (see documentBearerAuth).
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
