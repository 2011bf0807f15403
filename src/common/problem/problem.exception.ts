import { HttpException } from '@nestjs/common';

export interface FieldError {
  /** Dotted path of the offending input, e.g. `title`, `tags.3`, or a query or header name. */
  field: string;
  message: string;
}

export interface ProblemOptions {
  status: number;
  type?: string;
  title?: string;
  detail: string;
  errors?: FieldError[];
  /** Response headers the problem needs, e.g. WWW-Authenticate or Retry-After. */
  headers?: Record<string, string>;
  /** Extra members (RFC 9457 §3.2), e.g. the health checks behind a 503. */
  extensions?: Record<string, unknown>;
}

/** An error that already knows how it is rendered as problem+json. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemOptions) {
    super(problem.detail, problem.status);
  }
}
