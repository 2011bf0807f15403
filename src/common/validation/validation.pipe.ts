import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemType } from '../problem/problem-type.js';
import { type FieldError, ProblemException } from '../problem/problem.exception.js';

/** Flattens class-validator's nested errors into one entry per broken rule, with dotted paths. */
export function toFieldErrors(errors: ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * The global pipe: unknown fields are rejected (not silently dropped), every broken rule is
 * listed, and inputs are transformed into their DTO classes.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      // One field can break several rules: the detail counts fields, `errors` lists every rule.
      const fields = [...new Set(fieldErrors.map((e) => e.field))];
      return new ProblemException({
        status: 400,
        type: ProblemType.ValidationError,
        title: 'Validation failed',
        detail: `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}.`,
        errors: fieldErrors,
      });
    },
  });
}
