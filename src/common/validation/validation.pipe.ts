import { ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { ProblemType } from '../problem/problem-type.js';
import { type FieldError, ProblemException } from '../problem/problem.exception.js';
import { passesCompiledRules } from './compiled-rules.js';

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
 * The global pipe's options: unknown fields are rejected (not silently dropped), every broken
 * rule is listed, and inputs are transformed into their DTO classes.
 */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
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
};

/** Nest's pipe, asking class-validator only about input the compiled rules cannot pass (see compiled-rules.ts). */
class CompiledRulesValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    return passesCompiledRules(object, validatorOptions) ? [] : super.validate(object, validatorOptions);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new CompiledRulesValidationPipe(VALIDATION_PIPE_OPTIONS);
}
