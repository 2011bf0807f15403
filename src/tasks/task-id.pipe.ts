import { ParseUUIDPipe } from '@nestjs/common';
import { invalidField } from '../common/problem/invalid-field.js';

/** A task id path parameter: a malformed one is a 400 naming the parameter, before any query. */
export const TaskIdPipe = new ParseUUIDPipe({ exceptionFactory: () => invalidField('id', 'id must be a UUID') });
