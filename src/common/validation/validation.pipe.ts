import { type ArgumentMetadata, ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { invalidField } from '../problem/invalid-field.js';
import { ProblemType } from '../problem/problem-type.js';
import { type FieldError, ProblemException } from '../problem/problem.exception.js';

/** Flattens class-validator's nested errors into one entry per broken rule, with dotted paths. */
function toFieldErrors(errors: ValidationError[], parentPath = ''): FieldError[] {
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
const MAX_REPORTED_FIELDS = 20;

/**
 * The global pipe's options: unknown fields are rejected (not silently dropped), every broken
 * rule of up to MAX_REPORTED_FIELDS fields is listed, and inputs are transformed into their DTO classes.
 */
const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
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
 * Nest's pipe, except that a `null` body is refused: Nest would validate it as `{}`, so a PATCH or
 * PUT of `null` changed nothing and answered 200 (RFC 7396 reads a `null` patch as "remove the
 * whole resource", which this API does not offer).
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === null) throw invalidField('body', 'The body must be a JSON object, not null');
    return super.transform(value, metadata);
  }
}

/** The global pipe: Nest's own, with the options above. configureApp() makes one per application. */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe(VALIDATION_PIPE_OPTIONS);
}
