import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type EtagCondition, parseEtagCondition } from './etag.js';

type Headers = Record<string, string | string[] | undefined>;

const headersOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ headers: Headers }>().headers;

/** The If-Match precondition (strong comparison), or undefined when the header is absent. */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined =>
  parseEtagCondition(headersOf(context)['if-match'], 'strong'),
);

/** The If-None-Match condition (weak comparison), or undefined when the header is absent. */
export const IfNoneMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined =>
  parseEtagCondition(headersOf(context)['if-none-match'], 'weak'),
);
