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
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined =>
  parseIfMatch(headersOf(context)['if-match'], 'If-Match'),
);

/** An If-Match value by the header's rules (a batch operation's `ifMatch` too); `field` names it in the 400. */
export function parseIfMatch(value: string | string[] | undefined, field: string): EtagCondition | undefined {
  if (value !== undefined && [value].flat().join('').trim() === '') {
    throw invalidField(field, `${field} must be "*" or one or more entity tags such as "3"`);
  }
  return parseEtagCondition(value, 'strong');
}

/** The If-None-Match condition (weak comparison), or undefined when the header is absent. */
export const IfNoneMatch = createParamDecorator((_data: unknown, context: ExecutionContext): EtagCondition | undefined =>
  parseEtagCondition(headersOf(context)['if-none-match'], 'weak'),
);
