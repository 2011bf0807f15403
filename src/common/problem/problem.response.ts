import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

class FieldErrorResponse {
  @ApiProperty({ description: 'The offending input: a body field (dotted path), a query parameter or a header.', example: 'title' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it.', example: 'title must be 1 to 200 characters long (after trimming)' })
  message!: string;
}

/** The RFC 9457 problem+json body of every error, for the OpenAPI document (one schema, `ProblemDetails`). */
@ApiSchema({ name: 'ProblemDetails', description: 'An RFC 9457 problem' })
export class ProblemResponse {
  @ApiProperty({ description: 'Identifies the kind of problem; stable.', format: 'uri', example: 'https://tasks-api.dev/problems/validation-error' })
  type!: string;

  @ApiProperty({ description: 'Short summary of the kind of problem.', example: 'Validation failed' })
  title!: string;

  @ApiProperty({ description: 'The HTTP status code.', type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ description: 'What went wrong with this request.', example: 'The request has 1 invalid field: title.' })
  detail!: string;

  @ApiProperty({ description: 'The request path.', example: '/api/tasks' })
  instance!: string;

  @ApiProperty({ description: "The request's id (also in X-Request-Id), for support.", example: 'b3f1c2d4-0000-4000-8000-000000000000' })
  requestId!: string;

  @ApiPropertyOptional({ description: 'One entry per broken rule (validation errors only).', type: [FieldErrorResponse] })
  errors?: FieldErrorResponse[];
}
