import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { invalidField } from '../common/problem/invalid-field.js';
import { type EtagCondition, parseEtagCondition } from './etag.js';

type Headers = Record<string, string | string[] | undefined>;

const headersOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ headers: Headers }>().headers;

/**
 * The If-Match precondition (strong comparison), or undefined when the header is absent. An empty
 * one names no version at all: a client mistake (a variable that was never set), so a 400 rather
 * than a 412 that suggests fetching the task again.
 */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined => {
  const header = headersOf(context)['if-match'];
  if (header !== undefined && [header].flat().join('').trim() === '') {
    throw invalidField('If-Match', 'If-Match must be "*" or one or more entity tags such as "3"');
  }
  return parseEtagCondition(header, 'strong');
});

/** The If-None-Match condition (weak comparison), or undefined when the header is absent. */
export const IfNoneMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined =>
  parseEtagCondition(headersOf(context)['if-none-match'], 'weak'),
);
