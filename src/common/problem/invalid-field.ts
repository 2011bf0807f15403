import { ProblemType } from './problem-type.js';
import { ProblemException } from './problem.exception.js';

/**
 * The 400 for one invalid input outside a DTO (a header, a path parameter, a query parameter
 * checked after validation), shaped like the validation pipe's: `detail` is the message, and
 * `errors` names the field.
 */
export function invalidField(field: string, message: string): ProblemException {
  return new ProblemException({ status: 400, type: ProblemType.ValidationError, title: 'Validation failed', detail: message, errors: [{ field, message }] });
}
