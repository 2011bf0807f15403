import { type ArgumentMetadata, ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { ProblemType } from '../problem/problem-type.js';
import { type FieldError, ProblemException } from '../problem/problem.exception.js';
import { passesCompiledRules } from './compiled-rules.js';
import { plainToDto } from './compiled-transform.js';

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
 * At most this many fields are reported, with every rule each one breaks. A body of thousands of
 * unknown keys fits in the size limit, and listing them all made a 79 KB request a 509 KB answer.
 */
export const MAX_REPORTED_FIELDS = 20;

/**
 * The global pipe's options: unknown fields are rejected (not silently dropped), every broken
 * rule of up to MAX_REPORTED_FIELDS fields is listed, and inputs are transformed into their DTO classes.
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
    const listed = fields.slice(0, MAX_REPORTED_FIELDS);
    const reported = new Set(listed);
    const unreported = fields.length - listed.length;
    return new ProblemException({
      status: 400,
      type: ProblemType.ValidationError,
      title: 'Validation failed',
      detail:
        `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${listed.join(', ')}` +
        (unreported > 0 ? ` and ${unreported} more (not listed).` : '.'),
      errors: fieldErrors.filter((error) => reported.has(error.field)),
    });
  },
};

/**
 * Nest's pipe, with compiled fast paths for the common case (compiled-transform.ts,
 * compiled-rules.ts): a flat, valid DTO is built and checked without class-transformer's and
 * class-validator's per-call metadata lookups. Anything else, and every invalid input, takes
 * Nest's own path, which writes the 400.
 */
class CompiledRulesValidationPipe extends ValidationPipe {
  /** What Nest's transform() hands validate(). */
  private readonly compiledValidatorOptions: ValidatorOptions = {
    ...this.validatorOptions,
    validationError: { target: false, ...this.validatorOptions.validationError },
  };

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = this.compiledTransform(value, metadata);
    return dto === undefined ? super.transform(value, metadata) : Promise.resolve(dto);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    return passesCompiledRules(object, validatorOptions) ? [] : super.validate(object, validatorOptions);
  }

  /** The DTO Nest's transform() would return for `value`, when the compiled paths can tell; otherwise undefined. */
  private compiledTransform(value: unknown, metadata: ArgumentMetadata): object | undefined {
    const { metatype } = metadata;
    if (!this.isTransformEnabled || this.expectedType || !metatype || !this.toValidate(metadata)) return undefined;
    const dto = plainToDto(metatype as new () => object, value, this.transformOptions);
    return dto !== undefined && passesCompiledRules(dto, this.compiledValidatorOptions) ? dto : undefined;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new CompiledRulesValidationPipe(VALIDATION_PIPE_OPTIONS);
}
