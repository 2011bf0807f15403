import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';

/** A task id path parameter: a malformed one is a 400 naming the parameter, before any query. */
export const TaskIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => {
    const message = 'id must be a UUID';
    return new ProblemException({ status: 400, type: ProblemType.ValidationError, title: 'Validation failed', detail: message, errors: [{ field: 'id', message }] });
  },
});
