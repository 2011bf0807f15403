import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC_KEY = 'tasks-api:public';
/** Marks public operations in the OpenAPI document until documentBearerAuth() has read it. */
export const PUBLIC_OPERATION_EXTENSION = 'x-tasks-api-public';

/**
 * Opens a route (or a whole controller) to callers without a token. Every other route needs one,
 * and is documented as such in OpenAPI (see documentBearerAuth).
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION_EXTENSION, true));
